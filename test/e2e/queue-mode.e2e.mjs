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
import { callWebhook, inBatches, webhookWorkflow } from './queue-workflows.mjs';
import { startStandIn } from './stand-in.mjs';

const WORKERS = 2;
const MIN_REQUESTS = 3;
const OTHERS = { global: { runs: 7 }, 'node:Poll new orders': { cursor: 42 } };

let stack;
let okHost;
let failingHost;
let mixHost;

/** Which seeded fault an item id meets: a permanent 4XX, a 503 or 429 once, a 500 always, or none. */
function faultOf(id) {
	let x = (Math.imul(id + 1, 2654435761) ^ 0x5eed) >>> 0;
	x = Math.imul(x ^ (x >>> 15), 2246822507) >>> 0;
	const r = ((x ^ (x >>> 13)) >>> 0) / 2 ** 32;
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
];

before(async () => {
	await ensureN8n();
	const tgz = await buildAndPack();
	okHost = await startStandIn({ name: 'ok-host', responses: { status: 200, body: { ok: true } } });
	failingHost = await startStandIn({ name: 'failing-host', responses: { status: 503, delayMs: 300, body: { error: 'overloaded' } } });
	mixHost = await startStandIn({ name: 'mix-host', responses: mixReply });
	stack = await startQueueStack({
		tgz,
		workers: WORKERS,
		concurrency: 1,
		workflows: workflows(),
		publish: ['QueueStaticData1', 'QueueFailingHost', 'QueueFaultMix001'],
		seedStaticData: { QueueStaticData1: OTHERS },
	});
	await waitForProductionWebhooks(stack.url, ['q-static', 'q-fail', 'q-mix']);
	log('queue mode: the three production webhooks are registered');
}, { timeout: 7 * 60_000 });

after(async () => {
	await stack?.stop();
	for (const host of [okHost, failingHost, mixHost]) await host?.close();
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

test(`a failing host, ${WORKERS} workers, min requests ${MIN_REQUESTS}: at most ${WORKERS * MIN_REQUESTS} requests reach it`, { timeout: 4 * 60_000 }, async () => {
	const wave = async (first) => {
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
	};
	const first = await wave(0);
	log(`failing host, first wave: ${first.hits} requests reached it ${JSON.stringify(first.byWorker)}`);
	assert.ok(first.hits <= WORKERS * MIN_REQUESTS, `${first.hits} requests reached the failing host`);
	assert.ok(first.hits >= MIN_REQUESTS, `only ${first.hits}: the host should see min requests before a trip`);
	assert.equal(first.failed, first.hits);
	for (const [worker, n] of Object.entries(first.byWorker)) assert.ok(n <= MIN_REQUESTS, `${worker} sent ${n}`);

	// Same workers, same window: every worker that tripped holds the host; one that did not may still trip.
	const second = await wave(100);
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
