/**
 * What each item of a batch reports when the batch is deferred, redirected, answered 2XX without
 * "success", or accepted with errors Braze gave for no object of the batch: the node run in the
 * engine against the Braze stand-in, whose answers are scripted per request.
 */
import type { IDataObject } from 'n8n-workflow';

import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

let braze: BrazeStandIn | undefined;

beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

// Fast answers; the limit only guards against a hang, the tests never race it.
const GENEROUS_MS = 60_000;

const trackPlan = {
	operation: 'trackUser',
	externalId: '={{ $json.id }}',
	attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: '={{ $json.plan }}' }] },
	options: { batchSize: 2 },
};
const threeItems = [
	{ id: 'a', plan: 'x' },
	{ id: 'b', plan: 'y' },
	{ id: 'c', plan: 'z' },
];
const sentInBatch2 = { status: 'sent', statusCode: 201, message: 'success', batch: 2, attempts: 1, durationMs: expect.any(Number) };

describe('a deferred batch', () => {
	it('defers every item of the batch, and the next batch without sending it, each with reason, retryAt, batch and attempts', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 429, headers: { 'X-Ratelimit-Retry-After': '30' }, body: { message: 'Rate limit exceeded' } });
		const result = await runBrazeToBraze(braze, { ...trackPlan, options: { batchSize: 2, waitBudgetMs: 2000 } }, threeItems);

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		const askedAt = braze.requests[0].receivedAt;
		const out = deliveries(result.outputs[0]);
		expect(result.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['a', { item: 0 }],
			['b', { item: 1 }],
			['c', { item: 2 }],
		]);

		// Batch 1 got the 429: the delivery core defers it through its pacer or its backoff (see node.test.ts).
		expect(['rate-limit', 'wait-budget']).toContain(out[0].reason);
		expect(out[0]).toEqual({
			status: 'deferred',
			reason: out[0].reason,
			retryAt: expect.any(String),
			message: expect.stringMatching(/beyond this execution's wait budget$/),
			statusCode: 429,
			batch: 1,
			attempts: 1,
		});
		expect(out[1]).toEqual(out[0]);
		// 30 s after the 429, less the second the header's rounding may take off, however long the run took.
		expect(Date.parse(out[0].retryAt as string)).toBeGreaterThanOrEqual(askedAt + 29_000);

		// Batch 2 never went out: the host is held by the 429, so no attempt and no status code.
		expect(out[2]).toEqual({
			status: 'deferred',
			reason: 'rate-limit',
			retryAt: expect.any(String),
			message: expect.stringMatching(/is rate limiting; the next request may go at .*, beyond this execution's wait budget$/),
			batch: 2,
			attempts: 0,
		});
		expect(Date.parse(out[2].retryAt as string)).toBeGreaterThanOrEqual(askedAt + 29_000);
	}, GENEROUS_MS);
});

describe('a redirect', () => {
	it('fails every item of the batch with reason redirect, naming the REST instance URL, and follows nothing', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 301, headers: { Location: 'https://rest.iad-01.braze.com/users/track' }, body: '' });
		const result = await runBrazeToBraze(braze, trackPlan, threeItems, { onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		// Batch 1 once (not followed, not retried), then batch 2.
		expect(braze.requests.map((request) => request.url)).toEqual(['/users/track', '/users/track']);
		const [output] = result.outputs;
		const port = new URL(braze.url).port;
		const failed = {
			status: 'failed',
			reason: 'redirect',
			statusCode: 301,
			batch: 1,
			attempts: 1,
			durationMs: expect.any(Number),
		};
		for (const [index, item] of output.slice(0, 2).entries()) {
			expect(item.json).toEqual({
				...threeItems[index],
				error: "Braze answered with a redirect (HTTP 301), which is not followed: check the credential's REST instance URL (https, no extra path)",
				errorDescription: `Batch 1 of 2 (items 0 to 1, 2 objects): every item of this request failed. 127.0.0.1:${port} answered HTTP 301 (a redirect), which is not followed and not retried.`,
				delivery: failed,
			});
		}
		expect(output[2].json.delivery).toEqual(sentInBatch2);
	}, GENEROUS_MS);

	it('without "continue on fail" stops the run on the first item of the redirected batch', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 308, headers: { Location: `${braze.url}/elsewhere` }, body: '' });
		const result = await runBrazeToBraze(braze, trackPlan, threeItems);

		expect(result.error?.message).toBe(
			"Braze answered with a redirect (HTTP 308), which is not followed: check the credential's REST instance URL (https, no extra path)",
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(braze.requests.map((request) => request.url)).toEqual(['/users/track']);
	}, GENEROUS_MS);
});

describe('a 2XX answer without "message": "success"', () => {
	it('fails every item of the batch with reason unexpected-answer, keeping what Braze said', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 200, body: { message: 'accepted' } }, { status: 202, body: '' });
		const items = [...threeItems, { id: 'd', plan: 'w' }];
		const result = await runBrazeToBraze(braze, trackPlan, items, { onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(2);
		const [output] = result.outputs;
		for (const index of [0, 1]) {
			expect(output[index].json).toEqual({
				...items[index],
				error: 'Braze answered HTTP 200 without "message": "success", so the batch may not have been queued',
				errorDescription: 'Batch 1 of 2 (items 0 to 1, 2 objects): every item of this request failed. Braze said: accepted',
				delivery: { status: 'failed', reason: 'unexpected-answer', statusCode: 200, message: 'accepted', batch: 1, attempts: 1, durationMs: expect.any(Number) },
			});
		}
		// No JSON at all: no message to keep.
		for (const index of [2, 3]) {
			expect(output[index].json).toEqual({
				...items[index],
				error: 'Braze answered HTTP 202 without "message": "success", so the batch may not have been queued',
				errorDescription: 'Batch 2 of 2 (items 2 to 3, 2 objects): every item of this request failed.',
				delivery: { status: 'failed', reason: 'unexpected-answer', statusCode: 202, batch: 2, attempts: 1, durationMs: expect.any(Number) },
			});
		}
	}, GENEROUS_MS);
});

describe('batchErrors: errors Braze reports for no object of the batch', () => {
	const unplaced = [
		{ type: 'Out of range', input_array: 'attributes', index: 7 },
		{ type: 'For the whole request' },
	];

	it('stay on every item of the batch, which is sent', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 201, body: { message: 'success', errors: unplaced } });
		const result = await runBrazeToBraze(braze, trackPlan, threeItems);

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(2);
		const sentInBatch1 = { status: 'sent', statusCode: 201, message: 'success', batch: 1, attempts: 1, durationMs: expect.any(Number), batchErrors: unplaced };
		expect(deliveries(result.outputs[0])).toEqual([sentInBatch1, sentInBatch1, sentInBatch2]);
	}, GENEROUS_MS);

	it('stay on the sent items and on the item whose own object Braze rejected', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const own = { type: 'BAD_PLAN', input_array: 'attributes', index: 1 };
		braze.queue({ status: 201, body: { message: 'success', errors: [own, ...unplaced] } });
		const result = await runBrazeToBraze(braze, trackPlan, threeItems, { onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(2);
		const base = { statusCode: 201, message: 'success', batch: 1, attempts: 1, durationMs: expect.any(Number) };
		const out = deliveries(result.outputs[0]);
		expect(out).toEqual([
			{ status: 'sent', ...base, batchErrors: unplaced },
			{ status: 'failed', reason: 'object-error', ...base, errors: [{ ...own, object_index: 0 }], batchErrors: unplaced },
			sentInBatch2,
		]);
		expect((result.outputs[0][1].json as IDataObject).error).toBe('Braze rejected an object of this item: BAD_PLAN');
	}, GENEROUS_MS);

	it('stay on every item of a batch Braze refused, next to the errors it placed', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const own = { type: 'BAD_PLAN', input_array: 'attributes', index: 0 };
		braze.queue({ status: 400, body: { message: 'Bad objects', errors: [own, ...unplaced] } });
		const result = await runBrazeToBraze(braze, trackPlan, threeItems, { onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(2);
		const base = { status: 'failed', reason: 'client-error', statusCode: 400, message: 'Bad objects', batch: 1, attempts: 1, durationMs: expect.any(Number) };
		expect(deliveries(result.outputs[0])).toEqual([
			{ ...base, errors: [{ ...own, object_index: 0 }], batchErrors: unplaced },
			{ ...base, batchErrors: unplaced },
			sentInBatch2,
		]);
		expect((result.outputs[0][1].json as IDataObject).error).toBe('Braze rejected the whole request (400 Bad Request): Bad objects');
	}, GENEROUS_MS);
});
