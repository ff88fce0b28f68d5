// The queue-mode suite's seeded hosts: a webhook receiver with a fault mix by item id, and a Braze
// /users/track stand-in that refuses, rate-limits or fails batches by their first user and rejects
// some objects. Each records how often it saw an id (`mixSeen`, `brazeSeen`) for the assertions.

/** A seeded number in [0, 1) for an id. */
export function seeded(id, salt = 0x5eed) {
	let x = (Math.imul(id + 1, 2654435761) ^ salt) >>> 0;
	x = Math.imul(x ^ (x >>> 15), 2246822507) >>> 0;
	return ((x ^ (x >>> 13)) >>> 0) / 2 ** 32;
}

/** Which seeded fault an item id meets: a permanent 4XX, a 503 or 429 once, a 500 always, or none. */
export function faultOf(id) {
	const r = seeded(id);
	if (r < 0.06) return 'bad-request';
	if (r < 0.09) return 'not-found';
	if (r < 0.17) return 'flaky';
	if (r < 0.23) return 'rate-limited';
	if (r < 0.26) return 'down';
	return 'none';
}

export const mixSeen = new Map();
export function mixReply(request) {
	const id = Number(request.path.split('/').at(-1));
	const n = (mixSeen.get(id) ?? 0) + 1;
	mixSeen.set(id, n);
	const fault = faultOf(id);
	if (fault === 'bad-request') return { status: 400, body: { error: 'bad request' } };
	if (fault === 'not-found') return { status: 404, body: { error: 'no such user' } };
	if (fault === 'down') return { status: 500, body: { error: 'down' } };
	if (fault === 'flaky' && n === 1) return { status: 503, body: { error: 'busy' } };
	if (fault === 'rate-limited' && n === 1) return { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } };
	return { status: 200, body: { ok: true } };
}

/** What the /users/track stand-in does with a batch, by its first user: refuse it (400), 429 or 500 once, or accept it. */
export function batchFaultOf(firstId) {
	const r = seeded(firstId, 0xb2b);
	if (r < 0.1) return 'refused';
	if (r < 0.25) return 'rate-limited';
	if (r < 0.4) return 'server-error';
	return 'none';
}
/** Objects Braze rejects inside an accepted batch. */
export const objectRejected = (id) => seeded(id, 0x0b1) < 0.04;

export const brazeSeen = new Map();
export function brazeReply(request) {
	const ids = (request.json?.attributes ?? []).map((a) => Number(String(a.external_id).slice(2)));
	const n = (brazeSeen.get(ids[0]) ?? 0) + 1;
	brazeSeen.set(ids[0], n);
	request.ids = ids;
	const fault = batchFaultOf(ids[0]);
	if (fault === 'refused') return { status: 400, body: { message: 'Invalid request', errors: [] } };
	if (fault === 'rate-limited' && n === 1) return { status: 429, headers: { 'retry-after': '1' }, body: { message: 'rate limited' } };
	if (fault === 'server-error' && n === 1) return { status: 500, body: { message: 'internal error' } };
	const errors = ids.flatMap((id, index) => (objectRejected(id) ? [{ type: 'Invalid attribute', input_array: 'attributes', index }] : []));
	request.accepted = true;
	return { status: 201, body: { message: 'success', attributes_processed: ids.length - errors.length, ...(errors.length ? { errors } : {}) } };
}
