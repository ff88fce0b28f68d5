/**
 * Two workers at the same time: two copies of the package and of n8n-core loaded side by side
 * (jest.isolateModules), so each has its own process-wide cooldown state, as two n8n worker processes
 * do. Both send to one failing host at once, one request at a time each.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';

type Engine = typeof import('../harness/engine');
type Helpers = typeof import('../webhook/helpers');

const MIN_REQUESTS = 4;
const ITEMS_PER_WORKER = 10;

let store: RedisHttpStore;
let host: LoopbackServer;
beforeAll(async () => {
	store = await startRedisHttpStore({ ttlMs: 300_000 });
}, 30_000);
afterAll(async () => {
	await store?.close();
});
afterEach(async () => {
	await host?.close();
});

function loadWorker(): { engine: Engine; helpers: Helpers } {
	let loaded: { engine: Engine; helpers: Helpers } | undefined;
	jest.isolateModules(() => {
		loaded = { engine: require('../harness/engine') as Engine, helpers: require('../webhook/helpers') as Helpers };
	});
	if (!loaded) throw new Error('worker not loaded');
	return loaded;
}

async function runWorker(
	worker: { engine: Engine; helpers: Helpers },
	choice: 'none' | 'webdis',
	workflowId: string,
	prefix: string,
): Promise<INodeExecutionData[]> {
	const { outputs, error } = await worker.helpers.runWebhook(
		{
			url: `${host.url}/hook?item={{\${user_id}}}`,
			sharedCooldownStore: choice,
			options: { maxRetries: 0, concurrency: 1, cooldownMinRequests: MIN_REQUESTS, cooldownMs: 60_000 },
		},
		Array.from({ length: ITEMS_PER_WORKER }, (_, i) => ({ user_id: `${prefix}${i}` })),
		{
			onError: 'continueRegularOutput',
			mode: 'trigger',
			workflowId,
			staticData: new worker.engine.StaticDataStore(),
			credentials: choice === 'webdis' ? { sharedCooldownWebdisApi: store.credentials.webdis } : {},
		},
	);
	expect(error).toBeUndefined();
	return outputs[0] ?? [];
}

it('with the store, two workers running at once send at most N plus the one in flight; without it, 2N', async () => {
	const workers = [loadWorker(), loadWorker()];
	host = await startLoopbackServer(() => ({ status: 503, body: 'down' }));

	const shared = await Promise.all(workers.map((worker, i) => runWorker(worker, 'webdis', 'ConcurrentWf001', `w${i}-`)));
	const sharedHits = host.requests.length;
	// The trip lands with the N-th failure; the other worker may have one request on the wire then.
	expect(sharedHits).toBeGreaterThanOrEqual(MIN_REQUESTS);
	expect(sharedHits).toBeLessThanOrEqual(MIN_REQUESTS + 1);
	const outcomes = shared.flat().map((item) => (item.json.delivery as { status: string }).status);
	expect(outcomes).toHaveLength(2 * ITEMS_PER_WORKER);
	expect(outcomes.filter((status) => status === 'failed')).toHaveLength(sharedHits);
	expect(outcomes.filter((status) => status === 'deferred')).toHaveLength(2 * ITEMS_PER_WORKER - sharedHits);

	await host.close();
	host = await startLoopbackServer(() => ({ status: 503, body: 'down' }));
	await Promise.all(workers.map((worker, i) => runWorker(worker, 'none', 'ConcurrentWf002', `w${i}-`)));
	expect(host.requests).toHaveLength(2 * MIN_REQUESTS);
}, 120_000);
