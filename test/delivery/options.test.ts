import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DELIVERY_GROUPS } from '../../nodes/shared/delivery/option-groups';
import { deliveryOptions, deliveryOptionsCollection, readDeliverySettings } from '../../nodes/shared/delivery/options';
import { DEFAULT_DELIVERY_SETTINGS } from '../../nodes/shared/delivery/settings';
import { EVERY_OPTION_SETTINGS } from './every-option';

function fakeContext(options: IDataObject): IExecuteFunctions {
	return {
		getNodeParameter: (name: string) => (name === 'options' ? options : undefined),
		getNode: () => ({ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
	} as unknown as IExecuteFunctions;
}

describe('delivery options', () => {
	it('the defaults shown in the UI are the defaults the session uses', () => {
		const allDefaults = Object.fromEntries(deliveryOptions.map((option) => [option.name, option.default]));
		expect(readDeliverySettings(fakeContext(allDefaults))).toEqual(DEFAULT_DELIVERY_SETTINGS);
		expect(readDeliverySettings(fakeContext({}))).toEqual(DEFAULT_DELIVERY_SETTINGS);
	});

	it('follows n8n conventions: sorted Title Case names, descriptions, booleans start with "Whether"', () => {
		const names = deliveryOptions.map((option) => option.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const option of deliveryOptions) {
			expect(option.displayName).toMatch(/^[A-Z][\w-]*( ([A-Z][\w-]*|\(Ms\)))*$/);
			expect(option.description).toBeTruthy();
			if (option.type === 'boolean') expect(option.description).toMatch(/^Whether /);
		}
		expect(deliveryOptionsCollection).toMatchObject({ name: 'deliveryOptions', type: 'collection', options: deliveryOptions });
	});

	// Version 2's fields are built from option-fields.ts's entries, so n8n's lint does not see them whole.
	it('version 2\'s grouped fields follow the same conventions', () => {
		const grouped = DELIVERY_GROUPS.flatMap((group) => group.fields.map((field) => field.property));
		expect(grouped.length).toBe(deliveryOptions.length - 1);
		for (const field of grouped) {
			expect(field.displayName).toMatch(/^[A-Z][\w-]*( ([A-Z][\w-]*|in|\(Seconds\)))*$/);
			expect(field.description).toBeTruthy();
			expect(field.default).not.toBeUndefined();
			if (field.type === 'boolean') expect(field.description).toMatch(/^Whether /);
		}
	});

	it('reads every option', () => {
		const settings = readDeliverySettings(
			fakeContext({
				maxRetries: 2,
				initialRetryDelayMs: 10,
				maxRetryDelayMs: 20,
				timeoutMs: 300,
				waitBudgetMs: 400,
				maxRetryAfterMs: 500,
				followRedirects: true,
				hostCooldown: false,
				cooldownWindowMs: 600,
				cooldownMinRequests: 7,
				cooldownMs: 800,
				maxCooldownMs: 900,
				cooldownProbeRequests: 3,
				cooldownFailureStatusCodes: ' 503;429 , 503 ',
				cooldownCountConnectionFailures: false,
				reuseConnections: true,
			}),
		);
		expect(settings).toEqual(EVERY_OPTION_SETTINGS);
	});

	it('an empty failure list means only connection failures count; a max cooldown below the cooldown is raised to it', () => {
		const settings = readDeliverySettings(fakeContext({ cooldownFailureStatusCodes: '', cooldownMs: 5000, maxCooldownMs: 1000 }));
		expect(settings.cooldown.failureStatusCodes).toEqual([]);
		expect(settings.cooldown.maxCooldownMs).toBe(5000);
	});

	it.each([
		[{ maxRetries: -1 }, '"maxRetries"'],
		[{ maxRetries: 21 }, '"maxRetries"'],
		[{ timeoutMs: 0 }, '"timeoutMs"'],
		[{ waitBudgetMs: Number.NaN }, '"waitBudgetMs"'],
		[{ cooldownMinRequests: 2.5 }, '"cooldownMinRequests"'],
		[{ cooldownFailureStatusCodes: '503,700' }, '"700"'],
		[{ initialRetryDelayMs: 'soon' }, '"initialRetryDelayMs"'],
	])('rejects %p', (options, named) => {
		expect(() => readDeliverySettings(fakeContext(options as IDataObject))).toThrow(named);
	});
});
