import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BrazeToBraze } from '../../nodes/BrazeToBraze/BrazeToBraze.node';
import { BrazeWebhook } from '../../nodes/BrazeWebhook/BrazeWebhook.node';
import {
	DELIVERY_GROUPS,
	flattenOptionGroups,
	hostCooldownGroup,
	limitsGroup,
	retriesGroup,
} from '../../nodes/shared/delivery/option-groups';
import { readDeliverySettings } from '../../nodes/shared/delivery/options';
import { DEFAULT_DELIVERY_SETTINGS } from '../../nodes/shared/delivery/settings';
import { EVERY_OPTION_SETTINGS } from './every-option';

/** A node whose parameters are `parameters` (version 2: `options` and the group collections). */
function fakeNode(parameters: IDataObject, typeVersion: number): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _item: number, fallback: unknown) => parameters[name] ?? fallback,
		getNode: () => ({ id: 'n', name: 'Node', type: 't', typeVersion, position: [0, 0], parameters: {} }),
	} as unknown as IExecuteFunctions;
}

const fakeContext = (options: IDataObject, typeVersion: number) => fakeNode({ options }, typeVersion);

const groupDefaults = (fields: INodeProperties[]) => Object.fromEntries(fields.map((field) => [field.name, field.default]));

/** The Options collection a node shows for one version. */
function optionsOf(properties: INodeProperties[], version: number): INodeProperties {
	const options = properties.find((p) => p.name === 'options' && p.displayOptions?.show?.['@version']?.includes(version));
	if (!options) throw new Error(`no Options for version ${version}`);
	return options;
}

describe('version 2 option groups', () => {
	it('the defaults shown in each group are the defaults the session uses', () => {
		const allDefaults = Object.fromEntries(
			DELIVERY_GROUPS.map((group) => [group.name, groupDefaults(group.fields.map((f) => f.property))]),
		);
		expect(readDeliverySettings(fakeNode(allDefaults, 2))).toEqual(DEFAULT_DELIVERY_SETTINGS);
		expect(readDeliverySettings(fakeNode({}, 2))).toEqual(DEFAULT_DELIVERY_SETTINGS);
		expect(readDeliverySettings(fakeNode({ retries: {} }, 2))).toEqual(DEFAULT_DELIVERY_SETTINGS);
	});

	it('reads seconds as milliseconds, and each group field as its version 1 option', () => {
		const settings = readDeliverySettings(
			fakeNode(
				{
					retries: {
						maxRetries: 2,
						initialRetryDelaySeconds: 0.01,
						maxRetryDelaySeconds: 0.02,
						maxRetryAfterSeconds: 0.5,
						waitBudgetSeconds: 0.4,
					},
					hostCooldown: {
						enabled: false,
						pauseSeconds: 0.8,
						maxPauseSeconds: 0.9,
						windowSeconds: 0.6,
						minRequests: 7,
						probeRequests: 3,
						failureStatusCodes: '503, 429',
						countConnectionFailures: false,
					},
					limits: { timeoutSeconds: 0.3, followRedirects: true },
					options: { reuseConnections: true },
				},
				2,
			),
		);
		expect(settings).toEqual(EVERY_OPTION_SETTINGS);
	});

	it('version 1 names left flat in a version 2 node are not read; version 1 still reads them', () => {
		const flat = { maxRetries: 1, initialRetryDelayMs: 5, timeoutMs: 700 };
		expect(readDeliverySettings(fakeContext(flat, 2))).toEqual(DEFAULT_DELIVERY_SETTINGS);
		expect(readDeliverySettings(fakeContext(flat, 1))).toMatchObject({ maxRetries: 1, initialDelayMs: 5, timeoutMs: 700 });
	});

	it('names the grouped field and its unit in an error', () => {
		expect(() => readDeliverySettings(fakeNode({ retries: { maxRetries: 2.5 } }, 2))).toThrow(
			'"Retries: Max Retries" must be a whole number from 0 to 20',
		);
		expect(() => readDeliverySettings(fakeNode({ limits: { timeoutSeconds: 0 } }, 2))).toThrow(
			'"Limits: Request Timeout (Seconds)" must be a number 0.001 or more',
		);
		expect(() => readDeliverySettings(fakeContext({ timeoutMs: 0 }, 1))).toThrow('"timeoutMs" must be a number 1 or more');
	});

	it('keeps options outside the groups, and the node\'s own Limits fields, under their names', () => {
		const webhookGroups = [retriesGroup, hostCooldownGroup, limitsGroup([{ property: { displayName: 'X', name: 'concurrency', type: 'number', default: 10 } }])];
		expect(
			flattenOptionGroups({ limits: { concurrency: 3, timeoutSeconds: 1 }, options: { idempotencyKey: { key: {} } } }, webhookGroups),
		).toEqual({ concurrency: 3, timeoutMs: 1000, idempotencyKey: { key: {} } });
	});

	it.each([
		['Braze-Style Webhook', new BrazeWebhook().description],
		['Braze to Braze', new BrazeToBraze().description],
	])('%s: version 2 has a Retries, a Host Cooldown and a Limits collection, units in the labels, and a short Options list', (_name, description) => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const inVersion2 = description.properties.filter((p) => p.displayOptions?.show?.['@version']?.includes(2));
		const groups = inVersion2.filter((p) => ['retries', 'hostCooldown', 'limits'].includes(p.name));
		expect(groups.map((g) => [g.displayName, g.type])).toEqual([
			['Retries', 'collection'],
			['Host Cooldown', 'collection'],
			['Limits', 'collection'],
		]);
		const fields = groups.flatMap((g) => g.options as INodeProperties[]);
		for (const group of groups) {
			const names = (group.options as INodeProperties[]).map((f) => f.displayName);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
		for (const field of fields) expect(field.displayName).not.toMatch(/\(Ms\)/);
		expect(fields.map((f) => f.displayName)).toEqual(
			expect.arrayContaining(['Initial Retry Delay (Seconds)', 'Request Timeout (Seconds)', 'Pause Unhealthy Hosts']),
		);
		const v2 = (optionsOf(description.properties, 2).options as INodeProperties[]).map((option) => option.displayName);
		expect(v2).toEqual([...v2].sort((a, b) => a.localeCompare(b)));
		expect(v2.length).toBeLessThanOrEqual(3);
		expect(v2).toContain('Reuse Connections');
		expect(v2).not.toContain('Dry Run');
		const v1 = (optionsOf(description.properties, 1).options as INodeProperties[]).map((option) => option.name);
		expect(v1).toEqual(expect.arrayContaining(['dryRun', 'maxRetries', 'initialRetryDelayMs', 'cooldownMs', 'timeoutMs']));
		const mode = description.properties.find((p) => p.name === 'mode');
		expect(mode?.displayOptions?.show?.['@version']).toEqual([2]);
	});
});
