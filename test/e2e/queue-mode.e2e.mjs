// n8n queue mode: main + 2 workers (1 job each at a time), Redis and Postgres from Debian, all on
// 127.0.0.1 (queue-mode.mjs). Production webhooks, so every execution runs on a worker.
// - static data: workers start from empty static data and save it whole; the node must not erase
//   other nodes' entries (a Code node's counter, a poll trigger's cursor);
// - the per-worker cooldown bound: at most workers x min requests reach a failing host per window;
// - with the shared cooldown store (Webdis in front of its own redis-server): at most min requests
//   plus the workers' other in-flight requests, none from a worker started after the trip, and a
//   store gone mid-run degrades to the per-worker cooldown without losing an item;
// - 2,000 items over many executions against a seeded fault mix: each item once, no retry of a
//   non-retriable answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadSupport } from '../support/compiled.mjs';
import { buildAndPack, ensureN8n, log } from './n8n.mjs';
import { startQueueStack, waitForProductionWebhooks } from './queue-mode.mjs';
import { batchFaultOf, brazeReply, brazeSeen, faultOf, mixReply, mixSeen, objectRejected } from './queue-faults.mjs';
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
let storeSupport;
let store;
let sharedHost;
let fallbackHost;
const BRAZE_CREDENTIAL = { id: 'QueueBrazeApi001', name: 'Braze API (queue e2e stand-in)' };

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
	webhookWorkflow({
		id: 'QueueSharedStore',
		name: 'queue e2e: failing host, shared cooldown store',
		path: 'q-shared',
		// The host comes with each item: the store-gone test uses a host nobody has tripped yet.
		url: '={{ $json.base }}/shared/{{ $execution.id }}/{{ $json.id }}',
		itemsCode: 'return $json.body.items.map((json) => ({ json: { ...json, execution: $execution.id } }));',
		options: {
			maxRetries: 0,
			concurrency: 1,
			cooldownMinRequests: MIN_REQUESTS,
			cooldownWindowMs: 60_000,
			cooldownMs: 600_000,
			maxCooldownMs: 600_000,
		},
		parameters: { sharedCooldownStore: 'webdis' },
		credentials: { sharedCooldownWebdisApi: { id: storeSupport.STORE_CREDENTIAL_IDS.webdis, name: 'Shared cooldown store (Webdis, test)' } },
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
	sharedHost = await startStandIn({ name: 'shared-store-host', responses: { status: 503, delayMs: 300, body: { error: 'overloaded' } } });
	fallbackHost = await startStandIn({ name: 'store-gone-host', responses: { status: 503, delayMs: 300, body: { error: 'overloaded' } } });
	// Its own redis-server and Webdis on free loopback ports (not Bull's Redis): stopped in after().
	storeSupport = await loadSupport('redis-http-store');
	store = await storeSupport.startRedisHttpStore({ ttlMs: 20 * 60_000 });
	stack = await startQueueStack({
		tgz,
		workers: WORKERS,
		concurrency: 1,
		workflows: workflows(),
		credentials: [
			{ ...BRAZE_CREDENTIAL, type: 'brazeApi', data: { apiKey: 'queue-e2e-key', instance: 'custom', customUrl: brazeHost.url } },
			...storeSupport.n8nStoreCredentials(store),
		],
		publish: ['QueueStaticData1', 'QueueFailingHost', 'QueueSharedStore', 'QueueFaultMix001', 'QueueBrazeToBraz'],
		seedStaticData: { QueueStaticData1: OTHERS },
	});
	await waitForProductionWebhooks(stack.url, ['q-static', 'q-fail', 'q-shared', 'q-mix', 'q-b2b']);
	log('queue mode: the production webhooks are registered');
}, { timeout: 7 * 60_000 });

after(async () => {
	await stack?.stop();
	for (const host of [okHost, failingHost, mixHost, brazeHost, sharedHost, fallbackHost]) await host?.close();
	await store?.close();
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

/**
 * 20 concurrent executions of one item each through the shared-store workflow against `host`: the
 * items (each once, with the execution that ran it) and what reached the host, by worker.
 */
async function sharedWave(host, first) {
	const before = host.requests.length;
	const answers = await Promise.all(
		Array.from({ length: 20 }, (_, k) => callWebhook(stack.url, 'q-shared', { items: [{ id: first + k, base: host.url }] })),
	);
	const items = answers.flat();
	assert.deepEqual(items.map((item) => item.id).sort((a, b) => a - b), Array.from({ length: 20 }, (_, k) => first + k));
	for (const { delivery: d } of items) assert.match(`${d?.status}:${d?.status === 'failed' ? d.statusCode : d?.reason}`, /^(failed:503|deferred:host-cooldown)$/);
	const hits = host.requests.slice(before);
	const byWorker = {};
	for (const id of hits.map((r) => workerOf().get(r.path.split('/')[2]) ?? 'unknown')) byWorker[id] = (byWorker[id] ?? 0) + 1;
	const failed = items.filter((item) => item.delivery.status === 'failed').length;
	return { items, hits: hits.length, byWorker, failed };
}

// Each worker runs one job at a time and each job sends one item, so when the request that trips the
// host comes back, the other worker can have at most one request on the wire that the store admitted
// before the trip: min requests + (workers - 1). The cooldown (600 s) outlasts the suite: no probes.
const SHARED_BOUND = MIN_REQUESTS + WORKERS - 1;

test(`the same failing host with the shared store: at most ${SHARED_BOUND} requests reach it, not ${WORKERS * MIN_REQUESTS}`, { timeout: 4 * 60_000 }, async () => {
	const first = await sharedWave(sharedHost, 0);
	log(`shared store, first wave: ${first.hits} requests reached the failing host ${JSON.stringify(first.byWorker)}`);
	assert.deepEqual([...new Set(first.items.map((item) => item.delivery.cooldownStore))], ['shared']);
	assert.ok(first.hits >= MIN_REQUESTS, `only ${first.hits}: the host should see min requests before a trip`);
	assert.ok(first.hits <= SHARED_BOUND, `${first.hits} requests reached the failing host`);
	assert.equal(first.failed, first.hits);
	const ranOn = new Set(first.items.map((item) => workerOf().get(String(item.execution))));
	assert.equal(ranOn.size, WORKERS, `the executions ran on ${[...ranOn]}`);

	// The trip is one hash in Redis for this workflow and host, open.
	const key = `n8n-nodes-braze-webhooks:cooldown:{QueueSharedStore|${new URL(sharedHost.url).host}}`;
	assert.equal((await store.command('HGETALL', key))?.ph, 'o');

	const second = await sharedWave(sharedHost, 100);
	log(`shared store, second wave: ${second.hits} more ${JSON.stringify(second.byWorker)}`);
	assert.equal(second.hits, 0);
	assert.deepEqual([...new Set(second.items.map((item) => `${item.delivery.status} ${item.delivery.cooldownStore}`))], ['deferred shared']);
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

// It adds a worker. The failing host's cooldown (600 s) still holds on worker1 and worker2.
// With the shared store, the same late worker sends nothing: it asks the store, which holds the trip.
test('a worker started after the trip: without the store it alone sends, at most min requests; with it, nothing', { timeout: 5 * 60_000 }, async () => {
	const late = await stack.startWorker('worker3');
	const before = failingHost.requests.length;
	const sharedBefore = sharedHost.requests.length;
	const byWorker = {};
	const sharedExecutions = new Set();
	const lateRan = () => {
		const ids = [...late.executionIds()];
		return { shared: ids.filter((id) => sharedExecutions.has(id)).length, noStore: ids.filter((id) => !sharedExecutions.has(id)).length };
	};
	// The queue hands jobs to whichever worker is free: repeat until worker3 took some of each (bounded).
	for (let round = 0; round < 5 && (lateRan().shared === 0 || lateRan().noStore === 0); round++) {
		const wave = await failingWave(1000 + round * 100);
		for (const [w, n] of Object.entries(wave.byWorker)) byWorker[w] = (byWorker[w] ?? 0) + n;
		const shared = await sharedWave(sharedHost, 1000 + round * 100);
		for (const item of shared.items) sharedExecutions.add(String(item.execution));
		assert.deepEqual([...new Set(shared.items.map((item) => `${item.delivery.status} ${item.delivery.cooldownStore}`))], ['deferred shared']);
	}
	const hits = failingHost.requests.length - before;
	const sharedHits = sharedHost.requests.length - sharedBefore;
	log(`a worker started after the trip: ${hits} requests without the store ${JSON.stringify(byWorker)}, ${sharedHits} with it; worker3 ran ${JSON.stringify(lateRan())} executions`);
	assert.ok(lateRan().noStore > 0, 'worker3 ran no execution of the workflow without the store');
	assert.ok(lateRan().shared > 0, 'worker3 ran no execution of the shared-store workflow');
	assert.ok(hits <= MIN_REQUESTS, `${hits} requests after the trip`);
	assert.deepEqual(Object.keys(byWorker).filter((w) => w !== 'worker3'), []);
	assert.equal(sharedHits, 0, 'a request reached the host the shared store holds');
});

// Last: the store's fronts stop. A host nobody has tripped yet, so each worker's own cooldown decides.
test('the store goes away mid-run: each worker falls back to its own cooldown, every item once and says why the store was not used', { timeout: 4 * 60_000 }, async () => {
	await store.stopFronts();
	const wave = await sharedWave(fallbackHost, 5000);
	const outcomes = {};
	for (const { delivery: d } of wave.items) outcomes[`${d.status} ${d.cooldownStore}`] = (outcomes[`${d.status} ${d.cooldownStore}`] ?? 0) + 1;
	log(`store gone: ${wave.hits} requests reached a fresh failing host ${JSON.stringify(wave.byWorker)}; items ${JSON.stringify(outcomes)}`);
	// Every item says why it could not use the store: a sent item tried it first, and so did an item its
	// worker's own (fallback) cooldown deferred, since a pause the store did not report is put to it.
	for (const { delivery: d } of wave.items) {
		if (d.status === 'failed') assert.match(String(d.cooldownStore), /^unavailable: connection refused/);
		else assert.match(String(d.cooldownStore), /^unavailable: /, `${d.status} ${d.cooldownStore}`);
	}
	assert.ok(!JSON.stringify(wave.items).includes(store.webdis.password), 'the store password leaked into an item');
	assert.equal(wave.failed, wave.hits);
	assert.ok(wave.hits >= MIN_REQUESTS, `only ${wave.hits} requests: the per-worker cooldown should let min requests through`);
	assert.ok(wave.hits <= stack.workers.length * MIN_REQUESTS, `${wave.hits} requests`);
	for (const [worker, n] of Object.entries(wave.byWorker)) assert.ok(n <= MIN_REQUESTS, `${worker} sent ${n}`);
});
