/** The stand-in itself answers as Braze documents, so the node tests rest on it. */
import { BrazeStandIn, VALID_DATA_MESSAGE } from './braze-stand-in';

const KEY = 'stand-in-key-123456';
let braze: BrazeStandIn;
beforeEach(async () => {
	braze = await BrazeStandIn.start({ apiKey: KEY, rateLimit: { limit: 100, windowSeconds: 60 } });
});
afterEach(async () => braze.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
	const response = await fetch(`${braze.url}/users/track`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

it('checks the key, the content type and the object limit', async () => {
	expect(await post({ attributes: [] }, { Authorization: 'Bearer nope' })).toMatchObject({ status: 401, json: { message: 'Invalid API key: nope' } });
	expect(await post({ attributes: [] }, { 'Content-Type': 'text/plain' })).toMatchObject({ status: 415 });
	const many = Array.from({ length: 76 }, (_, i) => ({ external_id: `u${i}` }));
	expect(await post({ attributes: many })).toMatchObject({ status: 400, json: { message: 'Max Input Length Exceeded' } });
	expect(await post({ attributes: many.slice(0, 40), events: many.slice(0, 36).map((o) => ({ ...o, name: 'e', time: '2026-01-01T00:00:00Z' })) })).toMatchObject({
		status: 400,
	});
	expect(await post({ attributes: [] })).toMatchObject({ status: 400, json: { message: VALID_DATA_MESSAGE } });
	expect(await post('{oops')).toMatchObject({ status: 400 });
});

it('reports per-object errors in a 201 success, with rate-limit headers', async () => {
	const answer = await post({
		attributes: [{ external_id: 'a', x: 1 }, { x: 2 }, { external_id: 'b', braze_id: 'c' }],
		events: [{ email: 'a@b.co', name: 'e' }],
		purchases: [{ external_id: 'a', product_id: 'p', currency: 'USD', price: 1, time: '2026-01-01T00:00:00Z' }],
	});
	expect(answer.status).toBe(201);
	expect(answer.json).toEqual({
		message: 'success',
		attributes_processed: 1,
		purchases_processed: 1,
		errors: [
			{ type: 'Missing external_id, user_alias, braze_id, email or phone', input_array: 'attributes', index: 1 },
			{ type: 'Only one of external_id, user_alias or braze_id may be provided', input_array: 'attributes', index: 2 },
			{ type: "Event is missing a valid 'time' field.", input_array: 'events', index: 0 },
		],
	});
	expect(answer.headers.get('x-ratelimit-limit')).toBe('100');
	expect(answer.headers.get('x-ratelimit-remaining')).toBe('99');
	expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeGreaterThan(55);
	expect(braze.accepted[0].body).toEqual({
		attributes: [{ external_id: 'a', x: 1 }],
		purchases: [{ external_id: 'a', product_id: 'p', currency: 'USD', price: 1, time: '2026-01-01T00:00:00Z' }],
	});
});

it('can be scripted to answer 429 with X-Ratelimit-Retry-After', async () => {
	braze.queue({ status: 429, headers: { 'X-Ratelimit-Retry-After': '7' }, body: { message: 'Rate limit exceeded' } });
	const limited = await post({ attributes: [{ external_id: 'a' }] });
	expect(limited.status).toBe(429);
	expect(limited.headers.get('x-ratelimit-retry-after')).toBe('7');
	expect(limited.headers.get('x-ratelimit-remaining')).toBeNull();
	expect((await post({ attributes: [{ external_id: 'a' }] })).status).toBe(201);
});
