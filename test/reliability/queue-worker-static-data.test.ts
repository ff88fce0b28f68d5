/**
 * n8n queue mode: a worker starts every new execution from empty workflow static data, yet saves the
 * whole object when a node changed it. A write by the node there would erase every other node's
 * static data (a poll trigger's cursor, a Code node's counter). The node writes static data only
 * where it was loaded; the cooldown still works through the process-wide map.
 */
import type { IDataObject } from 'n8n-workflow';

import { STATIC_DATA_NAMESPACE } from '../../nodes/shared/delivery/cooldown-store';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { NOT_LOADED_HINT } from '../../nodes/shared/delivery/session';
import { QueueWorkerStaticData, StaticDataStore } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { runWebhook, statuses } from '../webhook/helpers';

let server: LoopbackServer;
let workflowCounter = 0;

beforeAll(async () => {
	server = await startLoopbackServer({ status: 503, body: { error: 'overloaded' } });
});
afterAll(async () => server.close());
beforeEach(() => resetProcessState());

const OTHERS: IDataObject = {
	global: { runs: 7 },
	'node:Poll new orders': { cursor: 42 },
};

const COOLDOWN = { maxRetries: 0, concurrency: 1, cooldownMinRequests: 3, cooldownMs: 600_000 };

async function run(store: StaticDataStore, options: { mode?: 'webhook' | 'cli' | 'trigger'; active?: boolean; workflowId: string }) {
	const before = server.requests.length;
	const result = await runWebhook(
		{ url: `${server.url}/hook/{{\${user_id}}}`, options: COOLDOWN },
		Array.from({ length: 6 }, (_, i) => ({ user_id: `u${i}` })),
		{ mode: options.mode ?? 'webhook', active: options.active, staticData: store, workflowId: options.workflowId, onError: 'continueRegularOutput' },
	);
	return { result, sent: server.requests.length - before };
}

describe('static data on a queue-mode worker (empty when the execution starts, saved whole)', () => {
	it('the node does not write it: the other nodes\' entries survive, the cooldown still holds in the process', async () => {
		const workflowId = `QueueWorker${++workflowCounter}`;
		const store = new QueueWorkerStaticData();
		store.saved = JSON.parse(JSON.stringify(OTHERS)) as IDataObject;

		const first = await run(store, { active: false, workflowId });
		expect(first.sent).toBe(3);
		expect(statuses(first.result.outputs.flat()).sort()).toEqual(['deferred', 'deferred', 'deferred', 'failed', 'failed', 'failed']);
		expect(first.result.newStaticData).toBeUndefined();
		expect(store.saves).toBe(0);
		expect(store.saved).toEqual(OTHERS);
		expect(first.result.hints.map((h) => h.message)).toContain(NOT_LOADED_HINT);

		// The next execution on the same worker: the live map keeps the host open.
		const second = await run(store, { active: false, workflowId });
		expect(second.sent).toBe(0);
		expect(statuses(second.result.outputs.flat())).toEqual(Array(6).fill('deferred'));
		expect(store.saved).toEqual(OTHERS);
	});

	it('what the guard prevents: writing there (as if the workflow were active) replaces the whole static data', async () => {
		const store = new QueueWorkerStaticData();
		store.saved = JSON.parse(JSON.stringify(OTHERS)) as IDataObject;
		await run(store, { active: true, workflowId: `QueueWorker${++workflowCounter}` });
		expect(store.saves).toBe(1);
		expect(Object.keys(store.saved)).toEqual(['global']);
		expect(Object.keys(store.saved.global as IDataObject)).toEqual([STATIC_DATA_NAMESPACE]);
	});
});

describe('static data that was loaded: the cooldown is persisted as before', () => {
	it.each([
		['an active workflow in regular mode, empty static data', { mode: 'webhook' as const, active: true }, {}],
		['`n8n execute` (cli) on an inactive workflow, empty static data', { mode: 'cli' as const, active: false }, {}],
		['an inactive workflow whose static data holds entries', { mode: 'trigger' as const, active: false }, OTHERS],
	])('%s', async (_name, options, saved) => {
		const store = new StaticDataStore();
		store.saved = JSON.parse(JSON.stringify(saved)) as IDataObject;
		const { sent } = await run(store, { ...options, workflowId: `Regular${++workflowCounter}` });
		expect(sent).toBe(3);
		expect(store.saves).toBe(1);
		const global = store.saved.global as IDataObject;
		expect(global[STATIC_DATA_NAMESPACE]).toMatchObject({ version: 1 });
		for (const [key, value] of Object.entries(saved)) {
			if (key === 'global') expect(global).toMatchObject(value as IDataObject);
			else expect(store.saved[key]).toEqual(value);
		}
	});

	it('an inactive workflow in a production mode with empty static data is not written (nothing says it was loaded)', async () => {
		const store = new StaticDataStore();
		const { sent } = await run(store, { mode: 'webhook', active: false, workflowId: `Regular${++workflowCounter}` });
		expect(sent).toBe(3);
		expect(store.saves).toBe(0);
	});
});
