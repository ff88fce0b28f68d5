// n8n queue mode: main + 2 workers (1 job each at a time), Redis and Postgres from Debian, all on
// 127.0.0.1 (queue-mode.mjs). Production webhooks, so every execution runs on a worker.
// - static data: workers start from empty static data and save it whole; the node must not erase
//   other nodes' entries (a Code node's counter, a poll trigger's cursor);
// - the per-worker cooldown bound: at most workers x min requests reach a failing host per window;
// - 2,000 items over many executions against a seeded fault mix: each item once, no retry of a
//   non-retriable answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildAndPack, ensureN8n, log } from './n8n.mjs';
import { startQueueStack, waitForProductionWebhooks } from './queue-mode.mjs';
import { brazeToBrazeWorkflow, callWebhook, inBatches, webhookWorkflow } from './queue-workflows.mjs';
import { startStandIn } from './stand-in.mjs';

const WORKERS = 2;
const MIN_REQUESTS = 3;
const OTHERS = { global: { runs: 7 }, 'node:Poll new orders': { cursor: 42 } };

let stack;
let okHost;
let failingHost;
let mixHost;
let brazeHost;
const BRAZE_CREDENTIAL = { id: 'QueueBrazeApi001', name: 'Braze API (queue e2e stand-in)' };

/** A seeded number in [0, 1) for an id. */
function seeded(id, salt = 0x5eed) {
	let x = (Math.imul(id + 1, 2654435761) ^ salt) >>> 0;
	x = Math.imul(x ^ (x >>> 15), 2246822507) >>> 0;
	return ((x ^ (x >>> 13)) >>> 0) / 2 ** 32;
}

/** Which seeded fault an item id meets: a permanent 4XX, a 503 or 429 once, a 500 always, or none. */
function faultOf(id) {
	const r = seeded(id);
	if (r < 0.06) return 'bad-request';
	if (r < 0.09) return 'not-found';
	if (r < 0.17) return 'flaky';
	if (r < 0.23) return 'rate-limited';
	if (r < 0.26) return 'down';
	return 'none';
}

const mixSeen = new Map();
function mixReply(request) {
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
function batchFaultOf(firstId) {
	const r = seeded(firstId, 0xb2b);
	if (r < 0.1) return 'refused';
	if (r < 0.25) return 'rate-limited';
	if (r < 0.4) return 'server-error';
	return 'none';
}
/** Objects Braze rejects inside an accepted batch. */
const objectRejected = (id) => seeded(id, 0x0b1) < 0.04;

const brazeSeen = new Map();
function brazeReply(request) {
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

const workflows = () => [
	webhookWorkflow({
		id: 'QueueStaticData1',
		name: 'queue e2e: static data of other nodes',
		path: 'q-static',
		url: `=${okHost.url}/ok/{{ $execution.id }}/{{ $json.id }}`,
		options: { maxRetries: 0, concurrency: 1 },
		// Reads the counter and the cursor the way a Code node or a poll trigger would.
		itemsCode:
			"const g = $getWorkflowStaticData('global');\nreturn [{ json: { id: $json.body.i, sawRuns: g.runs ?? null } }];",
	}),
	webhookWorkflow({
		id: 'QueueFailingHost',
		name: 'queue e2e: failing host',
		path: 'q-fail',
		url: `=${failingHost.url}/fail/{{ $execution.id }}/{{ $json.id }}`,
		options: {
			maxRetries: 0,
			concurrency: 1,
			cooldownMinRequests: MIN_REQUESTS,
			cooldownWindowMs: 60_000,
			cooldownMs: 600_000,
			maxCooldownMs: 600_000,
		},
	}),
	webhookWorkflow({
		id: 'QueueFaultMix001',
		name: 'queue e2e: 2,000 items, fault mix',
		path: 'q-mix',
		url: `=${mixHost.url}/mix/{{ $json.id }}`,
		options: { maxRetries: 2, concurrency: 8, initialRetryDelayMs: 5, maxRetryDelayMs: 50, timeoutMs: 60_000 },
	}),
	brazeToBrazeWorkflow({
		id: 'QueueBrazeToBraz',
		name: 'queue e2e: Braze to Braze, 2,000 items',
		path: 'q-b2b',
		credential: BRAZE_CREDENTIAL,
		options: { maxRetries: 2, initialRetryDelayMs: 5, maxRetryDelayMs: 50, timeoutMs: 60_000 },
	}),
];

before(async () => {
	await ensureN8n();
	const tgz = await buildAndPack();
	okHost = await startStandIn({ name: 'ok-host', responses: { status: 200, body: { ok: true } } });
	failingHost = await startStandIn({ name: 'failing-host', responses: { status: 503, delayMs: 300, body: { error: 'overloaded' } } });
	mixHost = await startStandIn({ name: 'mix-host', responses: mixReply });
	brazeHost = await startStandIn({ name: 'braze', responses: brazeReply });
	stack = await startQueueStack({
		tgz,
		workers: WORKERS,
		concurrency: 1,
		workflows: workflows(),
		credentials: [{ ...BRAZE_CREDENTIAL, type: 'brazeApi', data: { apiKey: 'queue-e2e-key', instance: 'custom', customUrl: brazeHost.url } }],
		publish: ['QueueStaticData1', 'QueueFailingHost', 'QueueFaultMix001', 'QueueBrazeToBraz'],
		seedStaticData: { QueueStaticData1: OTHERS },
	});
	await waitForProductionWebhooks(stack.url, ['q-static', 'q-fail', 'q-mix', 'q-b2b']);
	log('queue mode: the production webhooks are registered');
}, { timeout: 7 * 60_000 });

after(async () => {
	await stack?.stop();
	for (const host of [okHost, failingHost, mixHost, brazeHost]) await host?.close();
});

/** Which worker ran each execution id, from the workers' logs. */
function workerOf() {
	const by = new Map();
	for (const w of stack.workers) for (const id of w.executionIds()) by.set(id, w.name);
	return by;
}

test('20 production runs on 2 workers: the other nodes\' static data survives every run', { timeout: 4 * 60_000 }, async () => {
	assert.deepEqual(stack.staticData('QueueStaticData1'), OTHERS, 'the seed did not reach the database');
	const sawRuns = [];
	for (let pair = 0; pair < 10; pair++) {
		const answers = await Promise.all([0, 1].map((k) => callWebhook(stack.url, 'q-static', { i: pair * 2 + k })));
		for (const items of answers) {
			assert.equal(items.length, 1);
			assert.equal(items[0].delivery?.status, 'sent', JSON.stringify(items[0]));
			sawRuns.push(items[0].sawRuns);
		}
		assert.deepEqual(stack.staticData('QueueStaticData1'), OTHERS, `after run ${pair * 2 + 2}`);
	}
	const executions = okHost.requests.map((r) => r.path.split('/')[2]);
	const ranOn = new Set(executions.map((id) => workerOf().get(id)));
	log(`static data: 20 runs on ${[...ranOn].join(', ')}; the workers saw runs = ${JSON.stringify([...new Set(sawRuns)])}`);
	assert.equal(executions.length, 20);
	assert.equal(ranOn.size, WORKERS, `runs landed on ${[...ranOn]}`);
	// The workers are not handed the stored static data (n8n 2.41 queue mode): the Code node sees none.
	assert.deepEqual([...new Set(sawRuns)], [null]);
});

/** 20 concurrent executions of one item each against the failing host; what reached it, by worker. */
async function failingWave(first) {
	const before = failingHost.requests.length;
	const answers = await Promise.all(
		Array.from({ length: 20 }, (_, k) => callWebhook(stack.url, 'q-fail', { items: [{ id: first + k }] })),
	);
	const statuses = answers.flat().map(({ delivery: d }) => `${d?.status}:${d?.status === 'failed' ? d.statusCode : d?.reason}`);
	assert.equal(statuses.length, 20);
	for (const s of statuses) assert.match(s, /^(failed:503|deferred:host-cooldown)$/);
	const hits = failingHost.requests.slice(before);
	const byWorker = {};
	for (const id of hits.map((r) => workerOf().get(r.path.split('/')[2]) ?? 'unknown')) byWorker[id] = (byWorker[id] ?? 0) + 1;
	return { hits: hits.length, byWorker, failed: statuses.filter((s) => s.startsWith('failed')).length };
}

test(`a failing host, ${WORKERS} workers, min requests ${MIN_REQUESTS}: at most ${WORKERS * MIN_REQUESTS} requests reach it`, { timeout: 4 * 60_000 }, async () => {
	const first = await failingWave(0);
	log(`failing host, first wave: ${first.hits} requests reached it ${JSON.stringify(first.byWorker)}`);
	assert.ok(first.hits <= WORKERS * MIN_REQUESTS, `${first.hits} requests reached the failing host`);
	assert.ok(first.hits >= MIN_REQUESTS, `only ${first.hits}: the host should see min requests before a trip`);
	assert.equal(first.failed, first.hits);
	for (const [worker, n] of Object.entries(first.byWorker)) assert.ok(n <= MIN_REQUESTS, `${worker} sent ${n}`);

	// Same workers, same window: every worker that tripped holds the host; one that did not may still trip.
	const second = await failingWave(100);
	log(`failing host, second wave: ${second.hits} more ${JSON.stringify(second.byWorker)}`);
	assert.ok(first.hits + second.hits <= WORKERS * MIN_REQUESTS, `${first.hits + second.hits} requests in one window`);
});

test('2,000 items over 40 executions on 2 workers, seeded fault mix: each item once, no retry of a 4XX', { timeout: 6 * 60_000 }, async () => {
	const IDS = 2000;
	const PER_EXECUTION = 50;
	const t0 = Date.now();
	const calls = Array.from({ length: IDS / PER_EXECUTION }, (_, e) => () =>
		callWebhook(stack.url, 'q-mix', { items: Array.from({ length: PER_EXECUTION }, (_, k) => ({ id: e * PER_EXECUTION + k })) }),
	);
	const items = (await inBatches(calls, 4)).flat();
	const ms = Date.now() - t0;

	const byId = new Map();
	for (const item of items) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
	assert.equal(items.length, IDS, `${items.length} items came back`);
	assert.equal(byId.size, IDS, 'an item came back twice or not at all');
	const counts = { sent: 0, deferred: 0, failed: 0 };
	const problems = [];
	for (let id = 0; id < IDS; id++) {
		const d = byId.get(id)?.[0]?.delivery;
		const fault = faultOf(id);
		const requests = mixSeen.get(id) ?? 0;
		if (!d || !(d.status in counts)) {
			problems.push(`${id}: delivery ${JSON.stringify(d)}`);
			continue;
		}
		counts[d.status]++;
		if (d.status === 'deferred') continue;
		if (fault === 'bad-request' || fault === 'not-found') {
			if (d.status !== 'failed' || requests !== 1) problems.push(`${id} (${fault}): ${d.status} after ${requests} requests`);
		} else if (fault === 'down') {
			if (d.status !== 'failed' || requests !== 3) problems.push(`${id} (down): ${d.status} after ${requests} requests`);
		} else if (d.status !== 'sent' || requests !== (fault === 'none' ? 1 : 2)) {
			problems.push(`${id} (${fault}): ${d.status} after ${requests} requests`);
		}
		if (d.attempts !== requests) problems.push(`${id}: delivery.attempts ${d.attempts}, host saw ${requests}`);
	}
	const faults = {};
	for (let id = 0; id < IDS; id++) faults[faultOf(id)] = (faults[faultOf(id)] ?? 0) + 1;
	log(`fault mix ${JSON.stringify(faults)}: ${JSON.stringify(counts)} in ${(ms / 1000).toFixed(1)} s; ${mixHost.requests.length} requests`);
	assert.deepEqual(problems.slice(0, 20), []);
	assert.equal(counts.sent + counts.deferred + counts.failed, IDS);
});

test('Braze to Braze, 2,000 items over 20 executions on 2 workers: batches, per-object errors, no retry of a 400', { timeout: 6 * 60_000 }, async () => {
	const IDS = 2000;
	const PER_EXECUTION = 100;
	const t0 = Date.now();
	const calls = Array.from({ length: IDS / PER_EXECUTION }, (_, e) => () =>
		callWebhook(stack.url, 'q-b2b', {
			items: Array.from({ length: PER_EXECUTION }, (_, k) => ({ id: e * PER_EXECUTION + k, external_id: `u-${e * PER_EXECUTION + k}` })),
		}),
	);
	const items = (await inBatches(calls, 4)).flat();
	const ms = Date.now() - t0;
	assert.equal(items.length, IDS, `${items.length} items came back`);
	const byId = new Map(items.map((item) => [item.id, item]));
	assert.equal(byId.size, IDS, 'an item came back twice or not at all');

	// Which request carried each user, and which batch (by its first user) it was in.
	const batchOf = new Map();
	const acceptedTimes = new Map();
	for (const r of brazeHost.requests) {
		for (const id of r.ids ?? []) batchOf.set(id, r.ids[0]);
		if (r.accepted) for (const id of r.ids) acceptedTimes.set(id, (acceptedTimes.get(id) ?? 0) + 1);
	}
	const counts = { sent: 0, deferred: 0, failed: 0 };
	const problems = [];
	for (let id = 0; id < IDS; id++) {
		const d = byId.get(id)?.delivery;
		if (!d || !(d.status in counts)) {
			problems.push(`${id}: delivery ${JSON.stringify(d)}`);
			continue;
		}
		counts[d.status]++;
		const first = batchOf.get(id);
		const fault = batchFaultOf(first);
		if (d.status === 'deferred') continue;
		if (fault === 'refused') {
			if (d.status !== 'failed' || brazeSeen.get(first) !== 1) problems.push(`${id} (batch refused): ${d.status}, batch sent ${brazeSeen.get(first)} times`);
		} else if (objectRejected(id)) {
			if (d.status !== 'failed' || d.reason !== 'object-error') problems.push(`${id} (object rejected): ${d.status} ${d.reason}`);
		} else if (d.status !== 'sent') {
			problems.push(`${id} (${fault}): ${d.status} ${d.reason ?? ''}`);
		}
		if (d.status === 'sent' && acceptedTimes.get(id) !== 1) problems.push(`${id}: accepted by Braze ${acceptedTimes.get(id)} times`);
	}
	const batches = new Set(batchOf.values());
	const faults = {};
	for (const first of batches) faults[batchFaultOf(first)] = (faults[batchFaultOf(first)] ?? 0) + 1;
	log(`Braze to Braze: ${batches.size} batches ${JSON.stringify(faults)}, ${brazeHost.requests.length} requests: ${JSON.stringify(counts)} in ${(ms / 1000).toFixed(1)} s`);
	assert.deepEqual(problems.slice(0, 20), []);
	assert.equal(batches.size, 40, 'two batches (75 + 25 objects) per execution of 100 items');
});

// Last: it adds a worker. The failing host's cooldown (600 s) still holds on worker1 and worker2.
test('a worker started after the trip knows nothing of it: it alone sends, at most min requests', { timeout: 5 * 60_000 }, async () => {
	const late = await stack.startWorker('worker3');
	const before = failingHost.requests.length;
	const byWorker = {};
	// The queue hands jobs to whichever worker is free: repeat until worker3 took some (bounded).
	for (let round = 0; round < 5 && late.executionIds().size === 0; round++) {
		const wave = await failingWave(1000 + round * 100);
		for (const [w, n] of Object.entries(wave.byWorker)) byWorker[w] = (byWorker[w] ?? 0) + n;
	}
	const hits = failingHost.requests.length - before;
	log(`failing host, a worker started after the trip: ${hits} requests ${JSON.stringify(byWorker)}`);
	assert.ok(late.executionIds().size > 0, 'worker3 ran no execution');
	assert.ok(hits <= MIN_REQUESTS, `${hits} requests after the trip`);
	assert.deepEqual(Object.keys(byWorker).filter((w) => w !== 'worker3'), []);
});
