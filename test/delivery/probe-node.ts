/**
 * A test-only node that delivers one request per input item through DeliverySession and outputs each
 * DeliveryResult as an item. Its settings come from a registry keyed by the `config` parameter, so a
 * test can hand it exact millisecond settings and a fixed random source.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { mapWithConcurrency } from '../../nodes/shared/delivery/concurrency';
import type { CooldownSettings } from '../../nodes/shared/delivery/host-cooldown';
import { deliveryOptions, readDeliverySettings } from '../../nodes/shared/delivery/options';
import { DeliverySession } from '../../nodes/shared/delivery/session';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from '../../nodes/shared/delivery/settings';
import { registerNodeType } from '../harness/engine';
import { defineTestNode } from '../support/test-node';

export interface ProbeConfig {
	settings?: Partial<Omit<DeliverySettings, 'cooldown'>> & { cooldown?: Partial<CooldownSettings & { enabled: boolean }> };
	/** Read settings from the node's Options collection instead (readDeliverySettings). */
	fromOptions?: boolean;
	concurrency?: number;
	random?: () => number;
	credentialType?: string;
}

const configs = new Map<string, ProbeConfig>();
let configCounter = 0;

export function probeConfig(config: ProbeConfig): string {
	const id = `config-${++configCounter}`;
	configs.set(id, config);
	return id;
}

/**
 * Millisecond-scale settings; cooldown off unless a test turns it on. The timeout is generous on
 * purpose: an answer the server sent must never race it on a loaded machine.
 */
export function fastSettings(config: ProbeConfig['settings'] = {}): DeliverySettings {
	return {
		...DEFAULT_DELIVERY_SETTINGS,
		maxRetries: 3,
		initialDelayMs: 10,
		maxDelayMs: 40,
		timeoutMs: 30_000,
		waitBudgetMs: 20_000,
		maxHintMs: 5000,
		...config,
		cooldown: {
			...DEFAULT_DELIVERY_SETTINGS.cooldown,
			enabled: false,
			windowMs: 10_000,
			minRequests: 4,
			cooldownMs: 300,
			maxCooldownMs: 2000,
			probeRequests: 2,
			probeLeaseMs: 3000,
			...config.cooldown,
		},
	};
}

const deliveryProbe = defineTestNode({
	name: 'deliveryProbe',
	displayName: 'Delivery Probe',
	description: 'Delivers one request per item (tests only)',
	group: ['output'],
	credentials: ['brazeApi'],
	properties: [
		{ displayName: 'Config', name: 'config', type: 'string', default: '' },
		{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: deliveryOptions },
	],
	async execute() {
		const items = this.getInputData();
		const config = configs.get(this.getNodeParameter('config', 0) as string) ?? {};
		const settings = config.fromOptions ? readDeliverySettings(this) : fastSettings(config.settings);
		const session = new DeliverySession(this, settings, { random: config.random ?? (() => 0.5) });
		let results;
		try {
			results = await mapWithConcurrency(items, config.concurrency ?? 1, async (item) => {
				const json = item.json;
				return await session.send({
					url: String(json.url),
					method: (json.method as IHttpRequestMethods | undefined) ?? 'POST',
					headers: (json.headers as Record<string, string> | undefined) ?? {},
					body: (json.body as IDataObject | undefined) ?? { item: json.url as string },
					json: true,
					credentialType: config.credentialType,
				});
			});
		} finally {
			session.finish();
		}
		return [results.map((result, index) => ({ json: result as unknown as IDataObject, pairedItem: { item: index } }))];
	},
});

export const DELIVERY_PROBE_TYPE = deliveryProbe.type;

registerNodeType(deliveryProbe);
