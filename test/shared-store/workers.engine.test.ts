/**
 * Queue-mode workers, played by engine runs with the in-process state reset in between (a new worker
 * process knows nothing) and no static data handed over (n8n's workers get none): with a shared
 * store, a failing host is tripped once for all of them; without it, each worker trips on its own.
 * A store that goes away mid-run leaves every item accounted for and says so in delivery.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { BRAZE_TO_BRAZE_TYPE, executeNode, StaticDataStore, type TestCredentials } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';
import { deliveries, everything, runWebhook, statuses } from '../webhook/helpers';

const MIN_REQUESTS = 4;
const COOLDOWN_MS = 60_000;
const BRAZE_KEY = 'braze-rest-key-shared-store-0001';

let store: RedisHttpStore;
let host: LoopbackServer;
let workflowCounter = 0;
let workflowId: string;

beforeAll(async () => {
	store = await startRedisHttpStore({ upstash: true, ttlMs: 300_000 });
}, 30_000);
afterAll(async () => {
	await store?.close();
});
beforeEach(async () => {
	resetProcessState();
	workflowId = `SharedStoreWf${String(++workflowCounter).padStart(3, '0')}`;
	host = await startLoopbackServer(() => ({ status: 503, body: 'down' }));
	// Each test's first store call then sends the whole script (EVAL), the largest request there is.
	await store.command('SCRIPT', 'FLUSH');
});
afterEach(async () => {
	await host.close();
	resetProcessState();
});

type StoreChoice = 'none' | 'webdis' | 'upstash';

function storeCredentials(choice: StoreChoice, broken?: 'token'): TestCredentials {
	if (choice === 'webdis') {
		const { url, username, password } = store.webdis;
		return { sharedCooldownWebdisApi: { url, username, password: broken ? 'not-the-password' : password } };
	}
	if (choice === 'upstash' && store.upstash) {
		return { sharedCooldownUpstashApi: { url: store.upstash.url, token: broken ? 'not-the-token' : store.upstash.token } };
	}
	return {};
}

const cooldownOptions: INodeParameters = {
	maxRetries: 0,
	concurrency: 1,
	cooldownMinRequests: MIN_REQUESTS,
	cooldownMs: COOLDOWN_MS,
	maxCooldownMs: COOLDOWN_MS,
};

/** One worker's execution of the webhook node: fresh process state, no static data loaded. */
async function webhookWorker(choice: StoreChoice, items: number, credentials = storeCredentials(choice)) {
	resetProcessState();
	const { outputs, error } = await runWebhook(
		{ url: `${host.url}/hook?item={{\${user_id}}}`, sharedCooldownStore: choice, options: cooldownOptions },
		Array.from({ length: items }, (_, i) => ({ user_id: `u${i}` })),
		{ onError: 'continueRegularOutput', mode: 'trigger', workflowId, staticData: new StaticDataStore(), credentials },
	);
	expect(error).toBeUndefined();
	return outputs;
}

function main(output: INodeExecutionData[][] | undefined): INodeExecutionData[] {
	return output?.[0] ?? [];
}

describe.each<StoreChoice>(['webdis', 'upstash'])('Braze-Style Webhook workers sharing a store through %s', (choice) => {
	it('trip a failing host once: N requests reach it, not 2N, and a worker started later sends nothing', async () => {
		const first = main(await webhookWorker(choice, 6));
		const second = main(await webhookWorker(choice, 6));
		const later = main(await webhookWorker(choice, 3));
		expect(host.requests).toHaveLength(MIN_REQUESTS);
		// Items wait for the request slot in no set order: which ones went is not fixed, how many is.
		expect(statuses(first).sort()).toEqual(['deferred', 'deferred', ...Array(MIN_REQUESTS).fill('failed')]);
		expect(statuses(second)).toEqual(Array(6).fill('deferred'));
		expect(statuses(later)).toEqual(Array(3).fill('deferred'));
		for (const delivery of deliveries([...first, ...second, ...later])) expect(delivery.cooldownStore).toBe('shared');
		// Every worker defers to the same end of the one trip.
		const retryAts = new Set(deliveries([...first, ...second, ...later]).filter((d) => d.status === 'deferred').map((d) => d.retryAt));
		expect(retryAts.size).toBe(1);
	});
});

it('without a store, each worker trips on its own: 2N requests reach the host', async () => {
	const first = main(await webhookWorker('none', 6));
	const second = main(await webhookWorker('none', 6));
	expect(host.requests).toHaveLength(2 * MIN_REQUESTS);
	for (const delivery of deliveries([...first, ...second])) expect(delivery).not.toHaveProperty('cooldownStore');
});

it('Braze to Braze workers share the trip too', async () => {
	const worker = async (items: number) => {
		resetProcessState();
		const { outputs, error } = await executeNode(
			{
				type: BRAZE_TO_BRAZE_TYPE,
				parameters: {
					operation: 'trackUser',
					externalId: '={{ $json.user_id }}',
					attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }] },
					sharedCooldownStore: 'webdis',
					options: { ...cooldownOptions, batchSize: 1, concurrentRequests: 1 },
				},
				onError: 'continueRegularOutput',
				credentials: { brazeApi: { id: '1', name: 'Braze' }, sharedCooldownWebdisApi: { id: '2', name: 'Store' } },
			},
			Array.from({ length: items }, (_, i) => ({ user_id: `u${i}` })),
			{
				mode: 'trigger',
				workflowId,
				staticData: new StaticDataStore(),
				credentials: { brazeApi: { apiKey: BRAZE_KEY, instance: 'custom', customUrl: host.url }, ...storeCredentials('webdis') },
			},
		);
		expect(error?.message).toBeUndefined();
		return main(outputs);
	};
	const first = await worker(6);
	const second = await worker(6);
	expect(host.requests).toHaveLength(MIN_REQUESTS);
	expect(statuses(first)).toEqual([...Array(MIN_REQUESTS).fill('failed'), 'deferred', 'deferred']);
	expect(statuses(second)).toEqual(Array(6).fill('deferred'));
	for (const delivery of deliveries([...first, ...second])) expect(delivery.cooldownStore).toBe('shared');
	expect(everything([first, second])).not.toContain(BRAZE_KEY);
});

it('a wrong token falls back to the per-worker cooldown, says why, and never shows the secret', async () => {
	const output = main(await webhookWorker('upstash', 6, storeCredentials('upstash', 'token')));
	expect(host.requests).toHaveLength(MIN_REQUESTS);
	expect(statuses(output).sort()).toEqual(['deferred', 'deferred', ...Array(MIN_REQUESTS).fill('failed')]);
	for (const delivery of deliveries(output)) {
		expect(delivery.cooldownStore).toBe('unavailable: the store refused the credential (HTTP 401)');
	}
	const text = everything(output);
	for (const secret of ['not-the-token', store.upstash?.token ?? '', store.webdis.password]) expect(text).not.toContain(secret);
});

it('Braze to Braze workers share the rate-limit pacing: a used-up window announced to one holds back the next', async () => {
	const RESET_S = 60;
	await host.close();
	host = await startLoopbackServer(() => ({
		status: 201,
		headers: { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(RESET_S) },
		body: { message: 'success' },
	}));
	const worker = async (choice: StoreChoice) => {
		resetProcessState();
		const { outputs, error } = await executeNode(
			{
				type: BRAZE_TO_BRAZE_TYPE,
				parameters: {
					operation: 'trackUser',
					externalId: '={{ $json.user_id }}',
					attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }] },
					sharedCooldownStore: choice,
					options: { waitBudgetMs: 5_000, timeoutMs: 30_000 },
				},
				onError: 'continueRegularOutput',
				credentials: { brazeApi: { id: '1', name: 'Braze' }, sharedCooldownWebdisApi: { id: '2', name: 'Store' } },
			},
			[{ user_id: 'u1' }],
			{
				mode: 'trigger',
				workflowId,
				staticData: new StaticDataStore(),
				credentials: { brazeApi: { apiKey: BRAZE_KEY, instance: 'custom', customUrl: host.url }, ...storeCredentials('webdis') },
			},
		);
		expect(error?.message).toBeUndefined();
		return deliveries(main(outputs))[0];
	};
	// Shared: the second worker knows the window is used up for a minute, beyond its wait budget.
	expect(await worker('webdis')).toMatchObject({ status: 'sent', cooldownStore: 'shared' });
	expect(await worker('webdis')).toMatchObject({ status: 'deferred', reason: 'rate-limit', cooldownStore: 'shared' });
	expect(host.requests).toHaveLength(1);
	// Per worker: a fresh worker knows nothing and sends.
	expect(await worker('none')).toMatchObject({ status: 'sent' });
	expect(host.requests).toHaveLength(2);
});
