/**
 * The store stops answering in the middle of a run: the items after it fall back to this worker's own
 * cooldown, which still trips, and every item comes out exactly once with delivery.cooldownStore
 * saying which ones could use the store.
 */
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { StaticDataStore, type TestCredentials } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';
import { deliveries, everything, runWebhook, statuses } from '../webhook/helpers';

const MIN_REQUESTS = 4;

let store: RedisHttpStore | undefined;
let host: LoopbackServer | undefined;
afterEach(async () => {
	await host?.close();
	await store?.close();
	resetProcessState();
});

it.each(['webdis', 'upstash'] as const)('via %s: degrades to the per-worker cooldown without losing an item, and says so', async (choice) => {
	store = await startRedisHttpStore({ upstash: true, ttlMs: 120_000 });
	const running = store;
	// The second request's answer comes once the store's HTTP front has gone.
	host = await startLoopbackServer(async (request) => {
		if (request.index === 1) await running.stopFronts();
		return { status: 503, body: 'down' };
	});
	const credentials: TestCredentials =
		choice === 'webdis'
			? { sharedCooldownWebdisApi: running.credentials.webdis }
			: { sharedCooldownUpstashApi: running.credentials.upstash ?? {} };
	resetProcessState();
	const items = Array.from({ length: 12 }, (_, i) => ({ user_id: `u${i}` }));
	const { outputs, error } = await runWebhook(
		{
			url: `${host.url}/hook?item={{\${user_id}}}`,
			sharedCooldownStore: choice,
			options: { maxRetries: 0, concurrency: 1, cooldownMinRequests: MIN_REQUESTS, cooldownMs: 60_000 },
		},
		items,
		{ onError: 'continueRegularOutput', mode: 'trigger', workflowId: `GoneStore${choice}`, staticData: new StaticDataStore(), credentials },
	);
	expect(error).toBeUndefined();
	const out = outputs[0] ?? [];
	// Every item once, in input order.
	expect(out.map((item) => item.json.user_id)).toEqual(items.map((item) => item.user_id));
	// Item 1 counted in the store; items 2 to 5 in this worker, whose 4th failure trips the host.
	expect(host.requests).toHaveLength(1 + MIN_REQUESTS);
	// Items wait for the request slot in no set order: which ones went is not fixed, how many is.
	expect(statuses(out).sort()).toEqual([...Array(12 - 1 - MIN_REQUESTS).fill('deferred'), ...Array(1 + MIN_REQUESTS).fill('failed')]);
	const stores = deliveries(out).map((delivery) => `${String(delivery.status)} ${String(delivery.cooldownStore)}`);
	expect(stores.sort()).toEqual([
		...Array(12 - 1 - MIN_REQUESTS).fill('deferred unavailable: connection refused (ECONNREFUSED)'),
		'failed shared',
		...Array(MIN_REQUESTS).fill('failed unavailable: connection refused (ECONNREFUSED)'),
	]);
	// The next execution on this worker: its own pause, which the store never reported, is put to the
	// store first; the store is still down, so the items are deferred here and say why, not 'shared'.
	const next = await runWebhook(
		{
			url: `${host.url}/hook?item={{\${user_id}}}`,
			sharedCooldownStore: choice,
			options: { maxRetries: 0, concurrency: 1, cooldownMinRequests: MIN_REQUESTS, cooldownMs: 60_000 },
		},
		items.slice(0, 3),
		{ onError: 'continueRegularOutput', mode: 'trigger', workflowId: `GoneStore${choice}`, staticData: new StaticDataStore(), credentials },
	);
	expect(host.requests).toHaveLength(1 + MIN_REQUESTS);
	expect(deliveries(next.outputs[0] ?? []).map((delivery) => `${String(delivery.status)} ${String(delivery.cooldownStore)}`)).toEqual(
		Array(3).fill('deferred unavailable: connection refused (ECONNREFUSED)'),
	);
	const text = everything(outputs) + everything(next.outputs);
	for (const secret of [running.webdis.password, running.upstash?.token ?? '']) expect(text).not.toContain(secret);
});
