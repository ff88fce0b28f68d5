/**
 * Concurrency with order, in the real engine: batches go out concurrently, yet every user's calls
 * reach Braze in the order of their items, and the rate-limit headers keep the sends under the
 * stand-in's window (it answers 429 past it).
 */
import type { IDataObject } from 'n8n-workflow';

import { BrazeEndpointsStandIn } from './endpoints-stand-in';
import { deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

const KEY = 'braze-key-order-0005';
const KEYS = { [KEY]: ['users.track', 'canvas.trigger.send'] };
const GENEROUS_MS = 120_000;

let braze: BrazeEndpointsStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

/** Requests after the first are answered after a pseudo-random 0 to 60 ms, so a later batch could overtake an earlier one. */
const jitter = (request: { index: number }) => (request.index * 37) % 61;

/** 400 items for 10 users, round robin: each user's items are in many batches. */
const items = Array.from({ length: 400 }, (_, i) => ({ id: `u${i % 10}`, seq: i }));

function seqsPerUser(standIn: BrazeEndpointsStandIn, read: (entry: IDataObject) => number): Map<string, number[]> {
	const result = new Map<string, number[]>();
	for (const [user, entries] of standIn.entriesPerUser) result.set(user, (entries as IDataObject[]).map(read));
	return result;
}

function increasing(values: number[]): boolean {
	return values.every((value, i) => i === 0 || value > values[i - 1]);
}

describe('per-user order under concurrency', () => {
	it(
		'/users/track: batches concurrent (several in flight), each user\'s attributes in item order',
		async () => {
			braze = await BrazeEndpointsStandIn.start({ keys: KEYS, delayMs: jitter });
			const plan = {
				operation: 'trackUser',
				externalId: '={{ $json.id }}',
				attributes: { attribute: [{ name: 'seq', type: 'number', numberValue: '={{ $json.seq }}' }] },
				options: { batchSize: 5, concurrentRequests: 8 },
			};
			const result = await runBrazeToBraze(braze, plan, items, { apiKey: KEY });
			expect(result.error).toBeUndefined();
			expect(deliveries(result.outputs[0]).every((d) => d.status === 'sent')).toBe(true);
			expect(braze.requests).toHaveLength(80);
			const perUser = seqsPerUser(braze, (entry) => Number(entry.seq));
			expect(perUser.size).toBe(10);
			for (const [, seqs] of perUser) {
				expect(seqs).toHaveLength(40);
				expect(increasing(seqs)).toBe(true);
			}
			// Disjoint batches (users u0-u4 and u5-u9) did run side by side.
			expect(braze.maxInFlight).toBeGreaterThan(1);
			process.stdout.write(`order: 80 /users/track requests, at most ${braze.maxInFlight} in flight\n`);
		},
		GENEROUS_MS,
	);

	it(
		'Trigger Canvas: a user appearing twice goes in a later request, after the first settled',
		async () => {
			braze = await BrazeEndpointsStandIn.start({ keys: KEYS, delayMs: jitter });
			const plan = {
				operation: 'triggerCanvas',
				canvasId: 'c',
				externalId: '={{ $json.id }}',
				propertiesSource: 'itemFields',
				propertyFields: 'seq',
				options: { concurrentRequests: 8 },
			};
			const result = await runBrazeToBraze(braze, plan, items, { apiKey: KEY });
			expect(result.error).toBeUndefined();
			// Ten users per request at most (no user twice in one request): 40 requests.
			expect(braze.requests).toHaveLength(40);
			for (const [, seqs] of seqsPerUser(braze, (entry) => Number((entry.context as IDataObject).seq))) {
				expect(increasing(seqs)).toBe(true);
			}
		},
		GENEROUS_MS,
	);
});

describe('pacing by the rate-limit headers', () => {
	it(
		'stays inside a window of 5 requests per second with 8 concurrent requests: no 429',
		async () => {
			braze = await BrazeEndpointsStandIn.start({ keys: KEYS, rateLimit: { limit: 5, windowSeconds: 1 }, delayMs: 20 });
			const plan = {
				operation: 'triggerCanvas',
				canvasId: 'c',
				externalId: '={{ $json.id }}',
				options: { concurrentRequests: 8, batchSize: 10 },
			};
			const many = Array.from({ length: 120 }, (_, i) => ({ id: `user-${i}` }));
			const started = Date.now();
			const result = await runBrazeToBraze(braze, plan, many, { apiKey: KEY });
			const elapsed = Date.now() - started;
			expect(result.error).toBeUndefined();
			expect(braze.requests).toHaveLength(12);
			expect(braze.tooManyRequests).toBe(0);
			expect(deliveries(result.outputs[0]).every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
			// 12 requests at 5 per window: at least two window resets.
			expect(elapsed).toBeGreaterThanOrEqual(1500);
			process.stdout.write(`pacing: 12 requests at 5/s took ${elapsed} ms, no 429\n`);
		},
		GENEROUS_MS,
	);
});
