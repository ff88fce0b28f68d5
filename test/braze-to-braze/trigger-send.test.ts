/**
 * Trigger Canvas and Trigger Campaign in the real engine against a stand-in that enforces Braze's
 * body schema, 50-recipient cap, permissions and rate-limit headers.
 */
import type { IDataObject } from 'n8n-workflow';

import { BrazeEndpointsStandIn } from './endpoints-stand-in';
import { deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

const FULL_KEY = 'braze-key-all-permissions-0001';
const TRACK_ONLY_KEY = 'braze-key-users-track-only-0002';
const KEYS = {
	[FULL_KEY]: ['users.track', 'canvas.trigger.send', 'campaigns.trigger.send'],
	[TRACK_ONLY_KEY]: ['users.track'],
};
const GENEROUS_MS = 240_000;

let braze: BrazeEndpointsStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const canvasPlan = {
	operation: 'triggerCanvas',
	canvasId: 'canvas-2',
	externalId: '={{ $json.id }}',
	propertiesSource: 'itemFields',
	propertyFields: 'source, amount',
};

describe('Trigger Canvas', () => {
	it(
		'sends 10,000 recipients in 200 requests of 50, each item with its recipient and its request\'s dispatch_id',
		async () => {
			braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
			const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `user-${i}`, source: 'canvas-1', amount: i }));
			const started = Date.now();
			const result = await runBrazeToBraze(braze, canvasPlan, items, { apiKey: FULL_KEY });
			const elapsed = Date.now() - started;

			expect(result.error).toBeUndefined();
			expect(braze.requests).toHaveLength(200);
			expect(braze.tooManyRequests).toBe(0);
			expect(braze.accepted.every((call) => (call.body.recipients as unknown[]).length === 50)).toBe(true);
			// Which request carried which user, from what Braze received.
			const dispatchOf = new Map<string, string>();
			for (const call of braze.accepted) {
				expect(call.body.canvas_id).toBe('canvas-2');
				for (const recipient of call.body.recipients as IDataObject[]) dispatchOf.set(String(recipient.external_user_id), call.dispatchId!);
			}
			expect(dispatchOf.size).toBe(10_000);
			const [output] = result.outputs;
			expect(output).toHaveLength(10_000);
			expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			const out = deliveries(output);
			out.forEach((delivery, i) => {
				expect(delivery.status).toBe('sent');
				expect(delivery.dispatchId).toBe(dispatchOf.get(`user-${i}`));
			});
			const first = braze.accepted.find((call) => call.dispatchId === out[0].dispatchId)!;
			expect((first.body.recipients as IDataObject[])[0]).toEqual({
				external_user_id: 'user-0',
				context: { source: 'canvas-1', amount: 0 },
				send_to_existing_only: true,
			});
			process.stdout.write(`trigger canvas: 10,000 recipients → ${braze.requests.length} requests in ${elapsed} ms, ${braze.maxInFlight} at once\n`);
		},
		GENEROUS_MS,
	);

	it('a rejected request fails exactly its items, with Braze\'s message; the other requests are sent', async () => {
		braze = await BrazeEndpointsStandIn.start({
			keys: KEYS,
			refuse: (_path, body) =>
				(body.recipients as IDataObject[]).some((r) => r.external_user_id === 'user-60') ? 'Canvas canvas-2 is not active' : undefined,
		});
		const items = Array.from({ length: 120 }, (_, i) => ({ id: `user-${i}`, source: 's', amount: i }));
		const result = await runBrazeToBraze(braze, canvasPlan, items, { apiKey: FULL_KEY, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(3);
		const out = deliveries(result.outputs[0]);
		const failed = out.flatMap((delivery, i) => (delivery.status === 'failed' ? [i] : []));
		expect(failed).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
		expect(out[60]).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: 400, message: 'Canvas canvas-2 is not active', batch: 2 });
		expect(result.outputs[0][60].json.error).toMatch(/Braze rejected the request \(400 Bad Request\): Canvas canvas-2 is not active/);
		expect(out.filter((delivery) => delivery.status === 'sent')).toHaveLength(70);
	});

	it('fails an item whose entry properties are over 50 KB before sending; the others go', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const items = [
			{ id: 'a', source: 's', amount: 1 },
			{ id: 'b', source: 'x'.repeat(52_000), amount: 2 },
			{ id: 'c', source: 's', amount: 3 },
		];
		const result = await runBrazeToBraze(braze, canvasPlan, items, { apiKey: FULL_KEY, continueOnFail: true });
		const out = deliveries(result.outputs[0]);
		expect(out.map((d) => d.status)).toEqual(['sent', 'failed', 'sent']);
		expect(out[1]).toMatchObject({ reason: 'invalid-input' });
		expect(result.outputs[0][1].json.error).toMatch(/more than Braze's 50 KB/);
		expect(braze.requests).toHaveLength(1);
		expect((braze.accepted[0].body.recipients as IDataObject[]).map((r) => r.external_user_id)).toEqual(['a', 'c']);
	});

	it('names the canvas.trigger.send permission when Braze refuses the key (403), and the key is not in the error', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const result = await runBrazeToBraze(braze, canvasPlan, [{ id: 'a', source: 's', amount: 1 }], { apiKey: TRACK_ONLY_KEY });
		expect(result.error?.message).toMatch(/HTTP 403.*needs the canvas\.trigger\.send permission/);
		// The error that stops the run carries the item's outcome, as for /users/track.
		expect(result.error?.context?.delivery).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: 403, endpoint: '/canvas/trigger/send' });
		expect(JSON.stringify(result.error)).not.toContain(TRACK_ONLY_KEY);
		const unknown = await runBrazeToBraze(braze, canvasPlan, [{ id: 'a', source: 's', amount: 1 }], { apiKey: 'not-a-key' });
		expect(unknown.error?.message).toMatch(/HTTP 401.*canvas\.trigger\.send/);
	});

	it('writes entry properties in Braze Liquid, sends user aliases without send_to_existing_only, and shows a dry run', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = {
			operation: 'triggerCanvas',
			canvasId: 'canvas-2',
			identifierType: 'user_alias',
			aliasName: '={{ $json.id }}',
			aliasLabel: 'crm',
			propertiesSource: 'liquidJson',
			propertiesJson: '{ "tier": "{{event_properties.${tier} | upcase}}", "n": {{ $json.n }} }',
			attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }] },
		};
		const items = [
			{ id: 'a', n: 1, event_properties: { tier: 'silver' } },
			{ id: 'b', n: 2, event_properties: { tier: 'gold' } },
		];
		const dry = await runBrazeToBraze(braze, { ...plan, options: { dryRun: true } }, items, { apiKey: FULL_KEY });
		expect(braze.requests).toHaveLength(0);
		const shown = deliveries(dry.outputs[0]);
		expect(shown[0]).toMatchObject({ status: 'dryRun', endpoint: '/canvas/trigger/send', batch: 1, batchCount: 1 });
		expect((shown[0].request as IDataObject).body).toEqual({
			canvas_id: 'canvas-2',
			recipients: [
				{ user_alias: { alias_name: 'a', alias_label: 'crm' }, context: { tier: 'SILVER', n: 1 }, attributes: { plan: 'gold' } },
				{ user_alias: { alias_name: 'b', alias_label: 'crm' }, context: { tier: 'GOLD', n: 2 }, attributes: { plan: 'gold' } },
			],
		});
		expect(JSON.stringify(dry.outputs)).not.toContain(FULL_KEY);

		const sent = await runBrazeToBraze(braze, plan, items, { apiKey: FULL_KEY });
		expect(sent.error).toBeUndefined();
		expect(deliveries(sent.outputs[0]).map((d) => d.status)).toEqual(['sent', 'sent']);
	});

	it('an empty identifier fails its item with the field named; Send To Existing Only off needs attributes', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const result = await runBrazeToBraze(braze, { ...canvasPlan, propertiesSource: 'none' }, [{ id: 'a' }, { id: '' }], {
			apiKey: FULL_KEY,
			continueOnFail: true,
		});
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed']);
		expect(result.outputs[0][1].json.error).toMatch(/External ID is empty/);

		const noAttributes = await runBrazeToBraze(braze, { ...canvasPlan, propertiesSource: 'none', sendToExistingOnly: false }, [{ id: 'a' }]);
		expect(noAttributes.error?.message).toMatch(/Send To Existing Only is off but the item has no attributes/);
	});
});

describe('broadcast guard', () => {
	it('sends nothing without Confirm Broadcast; with it, one broadcast request per item', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { operation: 'triggerCampaign', campaignId: 'camp-1', sendTo: 'broadcast', propertiesSource: 'itemFields', propertyFields: 'offer' };
		const refused = await runBrazeToBraze(braze, plan, [{ offer: 'x' }], { apiKey: FULL_KEY });
		expect(refused.error?.message).toMatch(/Confirm Broadcast is off: nothing was sent/);
		expect(braze.requests).toHaveLength(0);

		const sent = await runBrazeToBraze(braze, { ...plan, confirmBroadcast: true }, [{ offer: 'x' }], { apiKey: FULL_KEY });
		expect(sent.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		expect(braze.accepted[0].body).toEqual({ campaign_id: 'camp-1', broadcast: true, trigger_properties: { offer: 'x' } });
		expect(deliveries(sent.outputs[0])[0]).toMatchObject({ status: 'sent', dispatchId: 'dispatch-0' });
	});
});

describe('Braze\'s broadcast pool', () => {
	it('sends 10 broadcasts of one audience in a minute and defers the rest beyond the wait budget', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { operation: 'triggerCanvas', canvasId: 'c-1', sendTo: 'broadcast', confirmBroadcast: true, options: { waitBudgetMs: 5000 } };
		const result = await runBrazeToBraze(braze, plan, Array.from({ length: 12 }, (_, i) => ({ i })), { apiKey: FULL_KEY });
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(10);
		const out = deliveries(result.outputs[0]);
		expect(out.slice(0, 10).every((d) => d.status === 'sent')).toBe(true);
		expect(out.slice(10)).toEqual([
			expect.objectContaining({ status: 'deferred', reason: 'rate-limit', retryAt: expect.any(String), attempts: 0 }),
			expect.objectContaining({ status: 'deferred', reason: 'rate-limit' }),
		]);
		expect(String(out[10].message)).toMatch(/request limit for Trigger Canvas .* is used up until/);
	});
});

describe('Trigger Campaign', () => {
	it('sends trigger_properties per recipient, batches by campaign ID, and names campaigns.trigger.send on 403', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { operation: 'triggerCampaign', campaignId: '={{ $json.campaign }}', externalId: '={{ $json.id }}', propertiesSource: 'itemFields', propertyFields: 'coupon' };
		const items = Array.from({ length: 60 }, (_, i) => ({ id: `u${i}`, coupon: `C${i}`, campaign: i % 2 ? 'odd' : 'even' }));
		const result = await runBrazeToBraze(braze, plan, items, { apiKey: FULL_KEY });
		expect(result.error).toBeUndefined();
		expect(braze.accepted.map((call) => [call.body.campaign_id, (call.body.recipients as unknown[]).length]).sort()).toEqual([
			['even', 30],
			['odd', 30],
		]);
		const even = braze.accepted.find((call) => call.body.campaign_id === 'even')!;
		expect((even.body.recipients as IDataObject[])[1]).toEqual({ external_user_id: 'u2', trigger_properties: { coupon: 'C2' }, send_to_existing_only: true });

		const refused = await runBrazeToBraze(braze, plan, items.slice(0, 1), { apiKey: TRACK_ONLY_KEY });
		expect(refused.error?.message).toMatch(/campaigns\.trigger\.send permission/);
	});
});
