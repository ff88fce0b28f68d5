/** Version 2 of Braze to Braze in the real engine: Mode (Send / Dry Run with a preview) and grouped options. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

let braze: BrazeStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const trackPlan: INodeParameters = {
	operation: 'trackUser',
	externalId: '{{${id}}}',
	attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: '{{custom_attribute.${plan}}}' }] },
};

const users = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `u${i}`, custom_attributes: { plan: 'gold' } }));
const version2 = { typeVersion: 2 };

describe('Braze to Braze version 2', () => {
	it('Dry Run previews the first 5 items, batched as they would be sent, and sends nothing', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(braze, { ...trackPlan, mode: 'dryRun' }, users(8), version2);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(0);
		const out = deliveries(result.outputs[0]);
		expect(out[0].request).toMatchObject({
			objectCount: 5,
			body: { attributes: [0, 1, 2, 3, 4].map((i) => ({ external_id: `u${i}`, _update_existing_only: false, plan: 'gold' })) },
		});
		expect(out.slice(5)).toEqual(
			Array(3).fill({ status: 'dryRun', previewed: false, note: 'Not rendered: Dry Run previews the first 5 items' }),
		);
		expect(JSON.stringify(result.run)).not.toContain(API_KEY);
	});

	it('Dry Run renders one chosen item, or a custom user in place of the first', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const one = await runBrazeToBraze(braze, { ...trackPlan, mode: 'dryRun', preview: 'oneItem', previewItemIndex: 1 }, users(3), version2);
		expect(deliveries(one.outputs[0]).map((d) => d.previewed !== false)).toEqual([false, true, false]);
		expect(deliveries(one.outputs[0])[1].objects).toEqual({ attributes: [{ external_id: 'u1', _update_existing_only: false, plan: 'gold' }] });

		const custom = await runBrazeToBraze(
			braze,
			{ ...trackPlan, mode: 'dryRun', preview: 'customUser', previewUser: '{"id": "ada", "custom_attributes": {"plan": "trial"}}' },
			users(2),
			version2,
		);
		const out = deliveries(custom.outputs[0]);
		expect(out[0]).toMatchObject({
			renderedFor: 'customUser',
			objects: { attributes: [{ external_id: 'ada', _update_existing_only: false, plan: 'trial' }] },
		});
		expect(out[1].previewed).toBe(false);
		expect(braze.requests).toHaveLength(0);
	});

	it('Send reads Batch Size and the grouped Retries', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{ ...trackPlan, options: { batchSize: 2 }, retries: { initialRetryDelaySeconds: 0.02, waitBudgetSeconds: 10 } },
			users(5),
			version2,
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests.map((r) => ((r.json as IDataObject).attributes as unknown[]).length)).toEqual([2, 2, 1]);
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(Array(5).fill('sent'));
	});
});
