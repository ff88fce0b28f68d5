import type { IDataObject } from 'n8n-workflow';

import { BRAZE_TO_BRAZE_TYPE } from '../harness/engine';
import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

let braze: BrazeStandIn | undefined;

beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const trackPlan = {
	operation: 'trackUser',
	externalId: '={{ $json.id }}',
	attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: '={{ $json.plan }}' }] },
};

describe('batching 1,000 items', () => {
	it('sends 1,000 one-attribute items in 14 requests of at most 75 objects, each in input order, all sent', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const items = Array.from({ length: 1000 }, (_, i) => ({ id: `user-${i}`, plan: i % 2 ? 'gold' : 'free' }));
		const started = Date.now();
		const cpuBefore = process.cpuUsage();
		const result = await runBrazeToBraze(braze, trackPlan, items);
		const elapsed = Date.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		const cpuMs = Math.round((cpu.user + cpu.system) / 1000);

		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(14);
		const sizes = braze.requests.map((request) => (request.json as { attributes: unknown[] }).attributes.length);
		expect([...sizes].sort((a, b) => b - a)).toEqual([...Array(13).fill(75), 25]);
		// Batches go out concurrently, so they may arrive in any order; each carries its items in input order.
		const idsPerRequest = braze.requests.map((request) =>
			(request.json as { attributes: Array<{ external_id: string }> }).attributes.map((a) => a.external_id),
		);
		const byFirstItem = [...idsPerRequest].sort((a, b) => Number(a[0].slice(5)) - Number(b[0].slice(5)));
		expect(byFirstItem.flat()).toEqual(items.map((item) => item.id));
		expect(braze.requests[0].json).toMatchObject({
			attributes: expect.arrayContaining([{ external_id: 'user-1', _update_existing_only: false, plan: 'gold' }]),
		});

		const [output] = result.outputs;
		expect(output).toHaveLength(1000);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(output.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
		const out = deliveries(output);
		expect(new Set(out.map((d) => d.status))).toEqual(new Set(['sent']));
		expect(out[0]).toMatchObject({ status: 'sent', statusCode: 201, message: 'success', batch: 1, attempts: 1 });
		expect(out[999]).toMatchObject({ batch: 14 });
		expect(out.filter((d) => d.batch === 14)).toHaveLength(25);
		// Measured, printed for the report. The bound is on CPU time (node and stand-in together): what
		// the run cost, not how long other processes held the cores.
		process.stdout.write(`1,000 items → ${braze.requests.length} requests in ${elapsed} ms (${cpuMs} ms CPU)\n`);
		expect(cpuMs).toBeLessThan(20_000);
	});

	it('packs up to 75 per array (225 per request) with the legacy limit', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY, limit: 'perArray' });
		const items = Array.from({ length: 100 }, (_, i) => ({ id: `u${i}` }));
		const result = await runBrazeToBraze(
			braze,
			{
				operation: 'trackUser',
				externalId: '={{ $json.id }}',
				attributes: { attribute: [{ name: 'vip', type: 'boolean', booleanValue: true }] },
				event: { details: { name: 'synced', time: '2026-02-01T10:00:00Z', properties: '{}' } },
				purchase: { details: { productId: 'sku-1', currency: 'eur', price: 9.5, quantity: 2, time: '2026-02-01T10:00:00Z', properties: '' } },
				options: { objectLimit: 'perArray' },
			},
			items,
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests.map((r) => Object.values(r.json as Record<string, unknown[]>).map((a) => a.length))).toEqual([
			[75, 75, 75],
			[25, 25, 25],
		]);
		expect(deliveries(result.outputs[0]).map((d) => d.batch)).toEqual([...Array(75).fill(1), ...Array(25).fill(2)]);
	});
});

describe('Track User and Increment Custom Attribute bodies', () => {
	it('builds typed attributes, an event and a purchase per item, with any identifier', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{
				operation: 'trackUser',
				identifierType: 'user_alias',
				aliasName: '={{ $json.alias }}',
				aliasLabel: 'crm',
				updateExistingOnly: true,
				attributes: {
					attribute: [
						{ name: 'first_name', type: 'string', stringValue: '={{ $json.first }}' },
						{ name: 'score', type: 'number', numberValue: '={{ $json.score }}' },
						{ name: 'vip', type: 'boolean', booleanValue: '={{ $json.score > 10 }}' },
						{ name: 'tags', type: 'json', jsonValue: '={{ { "add": $json.tags } }}' },
						{ name: 'old_field', type: 'json', jsonValue: 'null' },
					],
				},
				event: { details: { name: 'checkout', time: '={{ $json.at }}', properties: '={{ { "cart": $json.cart } }}' } },
				purchase: {
					details: { productId: 'sku-9', currency: 'usd', price: '={{ $json.price }}', quantity: 3, time: '={{ $json.at }}', properties: '{"color":"red"}' },
				},
			},
			[{ alias: 'a-1', first: 'Ada', score: 12, tags: ['x', 'y'], at: '2026-03-01T08:00:00Z', cart: 3, price: 19.99 }],
		);
		expect(result.error).toBeUndefined();
		const alias = { user_alias: { alias_name: 'a-1', alias_label: 'crm' }, _update_existing_only: true };
		expect(braze.requests[0].json).toEqual({
			attributes: [{ ...alias, first_name: 'Ada', score: 12, vip: true, tags: { add: ['x', 'y'] }, old_field: null }],
			events: [{ ...alias, name: 'checkout', time: '2026-03-01T08:00:00Z', properties: { cart: 3 } }],
			purchases: [
				{ ...alias, product_id: 'sku-9', currency: 'USD', price: 19.99, quantity: 3, time: '2026-03-01T08:00:00Z', properties: { color: 'red' } },
			],
		});
	});

	it('defaults the event time to now', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const before = Date.now();
		await runBrazeToBraze(braze, { operation: 'trackUser', identifierType: 'email', email: 'a@example.com', event: { details: { name: 'ping' } } }, [{}]);
		const event = (braze.requests[0].json as { events: Array<{ email: string; time: string }> }).events[0];
		expect(event.email).toBe('a@example.com');
		expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before - 1000);
		expect(Date.parse(event.time)).toBeLessThanOrEqual(Date.now());
	});

	it('increments atomically with {"inc": n}; a negative number decrements', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{ operation: 'incrementCustomAttribute', externalId: '={{ $json.id }}', attributeName: 'messages_seen', incrementBy: '={{ $json.by }}' },
			[
				{ id: 'a', by: 1 },
				{ id: 'b', by: -2 },
			],
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests[0].json).toEqual({
			attributes: [
				{ external_id: 'a', _update_existing_only: false, messages_seen: { inc: 1 } },
				{ external_id: 'b', _update_existing_only: false, messages_seen: { inc: -2 } },
			],
		});
	});
});

describe("Braze's per-object errors", () => {
	it('fail only the items whose objects Braze rejected; the rest of the batch is sent', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const items = Array.from({ length: 80 }, (_, i) => ({ id: `u${i}`, email: i === 3 || i === 77 ? 'not-an-email' : `u${i}@example.com` }));
		const result = await runBrazeToBraze(
			braze,
			{
				operation: 'trackUser',
				externalId: '={{ $json.id }}',
				attributes: { attribute: [{ name: 'email', type: 'string', stringValue: '={{ $json.email }}' }] },
			},
			items,
			{ onError: 'continueRegularOutput' },
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(2);
		const [output] = result.outputs;
		expect(output).toHaveLength(80);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const out = deliveries(output);
		expect(out.map((d, i) => (d.status === 'sent' ? null : i)).filter((i) => i !== null)).toEqual([3, 77]);
		expect(output[3].json).toEqual({
			id: 'u3',
			email: 'not-an-email',
			error: "Braze rejected an object of this item: The value provided for the 'email' field is not a valid email.",
			errorDescription:
				'Batch 1 of 2 (items 0 to 74, 75 objects): Braze accepted the request (HTTP 201, "success") and reported errors for this item\'s objects; the other items\' objects were queued.',
			delivery: {
				status: 'failed',
				reason: 'object-error',
				statusCode: 201,
				message: 'success',
				batch: 1,
				attempts: 1,
				durationMs: expect.any(Number),
				errors: [{ type: "The value provided for the 'email' field is not a valid email.", input_array: 'attributes', index: 3, object_index: 0 }],
			},
		});
		expect(out[77]).toMatchObject({ status: 'failed', batch: 2, errors: [{ input_array: 'attributes', index: 2, object_index: 0 }] });
		expect(out[4]).toEqual({ status: 'sent', statusCode: 201, message: 'success', batch: 1, attempts: 1, durationMs: expect.any(Number) });
		expect(braze.accepted.map((a) => a.body.attributes.length)).toEqual([74, 4]);
	});

	it('without "continue on fail" the run stops with the first rejected item, after its batch', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const items = Array.from({ length: 100 }, (_, i) => ({ id: i === 5 ? '' : `u${i}` }));
		const result = await runBrazeToBraze(
			braze,
			{ operation: 'incrementCustomAttribute', identifierType: 'phone', phone: '={{ $json.id || "x" }}', attributeName: 'n', incrementBy: 1 },
			items,
		);
		// Every phone is non-empty, so this run succeeds: the check is the next one.
		expect(result.error).toBeUndefined();

		braze.queue({ status: 201, body: { message: 'success', errors: [{ type: 'BAD_PHONE', input_array: 'attributes', index: 5 }] } });
		const failed = await runBrazeToBraze(braze, { operation: 'incrementCustomAttribute', externalId: '={{ $json.id || "x" }}', attributeName: 'n', incrementBy: 1 }, items);
		expect(failed.error?.message).toBe('Braze rejected an object of this item: BAD_PHONE');
		expect(failed.error?.context?.itemIndex).toBe(5);
		expect(braze.requests).toHaveLength(3);
	});
});

describe('rate limits and retries', () => {
	it('paces requests by X-RateLimit-Remaining/-Reset instead of running into 429', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY, rateLimit: { limit: 3, windowSeconds: 1 } });
		const items = Array.from({ length: 7 }, (_, i) => ({ id: `u${i}`, plan: 'p' }));
		const started = Date.now();
		const result = await runBrazeToBraze(braze, { ...trackPlan, options: { batchSize: 1 } }, items);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(7);
		expect(deliveries(result.outputs[0]).every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
		const times = braze.requests.map((r) => r.receivedAt - started);
		// Three requests per 1-second window: the 4th and 7th wait for a new window.
		expect(times[3] - times[0]).toBeGreaterThanOrEqual(900);
		expect(times[6] - times[3]).toBeGreaterThanOrEqual(900);
		process.stdout.write(`pacing: request times ${times.join(', ')} ms\n`);
	});

	it('retries a 429 after X-Ratelimit-Retry-After, and a 503, then sends', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue(
			{ status: 429, headers: { 'X-Ratelimit-Retry-After': '1' }, body: { message: 'Rate limit exceeded' } },
			{ status: 503, body: 'Service Unavailable' },
		);
		const started = Date.now();
		const result = await runBrazeToBraze(braze, trackPlan, [{ id: 'a', plan: 'x' }, { id: 'b', plan: 'y' }]);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(3);
		expect(braze.requests.map((r) => r.json)).toEqual(Array(3).fill(braze.requests[0].json));
		expect(braze.requests[1].receivedAt - braze.requests[0].receivedAt).toBeGreaterThanOrEqual(950);
		expect(deliveries(result.outputs[0])).toEqual([
			expect.objectContaining({ status: 'sent', statusCode: 201, attempts: 3, batch: 1 }),
			expect.objectContaining({ status: 'sent', statusCode: 201, attempts: 3, batch: 1 }),
		]);
		process.stdout.write(`429 + 503 then 201: ${Date.now() - started} ms\n`);
	});

	it('defers the whole batch when Braze asks to wait beyond the wait budget', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 429, headers: { 'X-Ratelimit-Retry-After': '30' }, body: { message: 'Rate limit exceeded' } });
		const result = await runBrazeToBraze(braze, { ...trackPlan, options: { waitBudgetMs: 2000 } }, [{ id: 'a', plan: 'x' }, { id: 'b', plan: 'y' }]);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		const out = deliveries(result.outputs[0]);
		expect(out.map((d) => [d.status, d.statusCode, d.batch, d.attempts])).toEqual([
			['deferred', 429, 1, 1],
			['deferred', 429, 1, 1],
		]);
		// The delivery core defers either through its pacer (the 429 holds the host) or its backoff:
		// both say the next attempt falls beyond the wait budget.
		expect(['rate-limit', 'wait-budget']).toContain(out[0].reason);
		expect(out[1]).toEqual(out[0]);
		// 30 s after the 429 (less the second the Date header may round off), however long the run took.
		expect(Date.parse(out[0].retryAt as string)).toBeGreaterThanOrEqual(braze.requests[0].receivedAt + 29_000);
		// The input fields stay, so the items can go round a Wait node and back in unchanged.
		expect(result.outputs[0][0].json).toMatchObject({ id: 'a', plan: 'x' });
	});
});

describe('fatal answers and secrets', () => {
	it('401 fails every item with a clear message; the key never appears in output or error', async () => {
		braze = await BrazeStandIn.start({ apiKey: 'the-right-key-000000' });
		const result = await runBrazeToBraze(braze, trackPlan, [{ id: 'a', plan: 'x' }, { id: 'b', plan: 'y' }], { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const [output] = result.outputs;
		const message =
			"Braze did not accept the API key (401 Unauthorized): check the Braze API credential's key, and that its REST instance matches your dashboard URL";
		const description = `Batch 1 of 1 (items 0 to 1, 2 objects): every item of this request failed. 127.0.0.1:${new URL(braze.url).port} answered HTTP 401, a client error that is not retried. Braze said: Invalid API key: [redacted]`;
		expect(output.map((item) => [item.json, item.pairedItem])).toEqual(
			['a', 'b'].map((id, index) => [
				{
					id,
					plan: id === 'a' ? 'x' : 'y',
					error: message,
					errorDescription: description,
					delivery: {
						status: 'failed',
						reason: 'client-error',
						statusCode: 401,
						message: 'Invalid API key: [redacted]',
						batch: 1,
						attempts: 1,
						durationMs: expect.any(Number),
					},
				},
				{ item: index },
			]),
		);
		// One request: with the delivery core's ignoreHttpStatusErrors, n8n does not repeat a 401.
		expect(braze.requests).toHaveLength(1);
		// Braze echoes the key it got; it must be scrubbed everywhere.
		expect(braze.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(JSON.stringify(result.run)).not.toContain(API_KEY);

		const stopped = await runBrazeToBraze(braze, trackPlan, [{ id: 'a', plan: 'x' }]);
		expect(stopped.error?.message).toBe(
			"Braze did not accept the API key (401 Unauthorized): check the Braze API credential's key, and that its REST instance matches your dashboard URL",
		);
		expect(stopped.error?.context?.itemIndex).toBe(0);
		expect(JSON.stringify(stopped.run)).not.toContain(API_KEY);
		expect(JSON.stringify({ ...stopped.error, description: stopped.error?.description })).not.toContain(API_KEY);
	});

	it('400 Max Input Length Exceeded fails the batch, naming the batch', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		braze.queue({ status: 400, body: { message: 'Max Input Length Exceeded' } });
		const result = await runBrazeToBraze(braze, trackPlan, [{ id: 'a', plan: 'x' }, { id: 'b', plan: 'y' }], { onError: 'continueRegularOutput' });
		const [first] = result.outputs[0];
		expect(first.json.error).toBe('Braze rejected the whole request (400 Bad Request): Max Input Length Exceeded');
		expect(first.json.errorDescription).toBe(
			`Batch 1 of 1 (items 0 to 1, 2 objects): every item of this request failed. 127.0.0.1:${new URL(braze.url).port} answered HTTP 400, a client error that is not retried.`,
		);
		expect(first.json.delivery).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: 400, message: 'Max Input Length Exceeded' });
	});
});

describe('error output', () => {
	it('routes failed items to the error output (index 1) and sent ones to the main output', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			trackPlan,
			[{ id: 'a', plan: 'x' }, { id: '', plan: 'y' }, { id: 'c', plan: 'z' }],
			{ onError: 'continueErrorOutput' },
		);
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		expect(result.outputs[0].map((item) => [item.json.id, (item.json.delivery as IDataObject).status, item.pairedItem])).toEqual([
			['a', 'sent', { item: 0 }],
			['c', 'sent', { item: 2 }],
		]);
		// n8n's error-item shape (`error` and `details`), into which the engine merges the input item's fields.
		expect(result.outputs[1].map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{
					id: '',
					plan: 'y',
					error: 'The External ID is empty for this item',
					details: {
						status: 'failed',
						reason: 'invalid-input',
						errorDescription: 'Every Braze object needs an identifier; check the expression that gives it.',
					},
				},
				{ item: 1 },
			],
		]);
		expect(braze.requests).toHaveLength(1);
	});

	it('without "continue on fail" an invalid item stops the run before anything is sent', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(braze, trackPlan, [{ id: 'a', plan: 'x' }, { id: '', plan: 'y' }]);
		expect(result.error?.message).toBe('The External ID is empty for this item');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.context?.delivery).toEqual({ status: 'failed', reason: 'invalid-input' });
		expect(braze.requests).toHaveLength(0);
	});
});

describe('dry run', () => {
	it('shows the batched requests without sending and without the key', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const items = Array.from({ length: 76 }, (_, i) => ({ id: `u${i}`, plan: 'gold' }));
		const result = await runBrazeToBraze(braze, { ...trackPlan, options: { dryRun: true } }, items);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(0);
		const out = deliveries(result.outputs[0]);
		expect(out.map((d) => d.status)).toEqual(Array(76).fill('dryRun'));
		expect(out[0].request).toEqual({
			method: 'POST',
			url: `${braze.url}/users/track`,
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer <the API key from the Braze API credential>' },
			objectCount: 75,
			body: { attributes: items.slice(0, 75).map((item) => ({ external_id: item.id, _update_existing_only: false, plan: 'gold' })) },
		});
		expect(out[1]).toEqual({ status: 'dryRun', batch: 1, batchCount: 2, objects: { attributes: [{ external_id: 'u1', _update_existing_only: false, plan: 'gold' }] } });
		expect(out[75]).toMatchObject({ batch: 2, request: { objectCount: 1 } });
		expect(JSON.stringify(result.run)).not.toContain(API_KEY);
	});
});

it('refuses a credential without a usable endpoint before sending', async () => {
	const result = await runBrazeToBraze({ url: '' }, { operation: 'trackUser', externalId: 'a', event: { details: { name: 'e' } } }, [{}]);
	expect(result.error?.message).toBe('The Braze API credential has no valid REST endpoint');
});

it('registers the node under the exact type name', () => {
	expect(BRAZE_TO_BRAZE_TYPE).toBe('n8n-nodes-braze-webhooks.brazeToBraze');
});
