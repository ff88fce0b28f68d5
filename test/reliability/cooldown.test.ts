/**
 * A host that fails most requests: the cooldown trips, the host sees nothing during the cooldown but
 * the probes, items are deferred, and sending resumes once it recovers. In one execution, in two
 * concurrent executions, and across a process restart (static data only).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { STATIC_DATA_NAMESPACE } from '../../nodes/shared/delivery/cooldown-store';
import type { HostCooldownState } from '../../nodes/shared/delivery/host-cooldown';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { runBrazeToBraze } from '../braze-to-braze/helpers';
import { StaticDataStore } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, runWebhook, statuses } from '../webhook/helpers';

// Long enough that the executions meant to run during a cooldown (whole n8n runs of 20 to 40 items)
// finish inside it on a loaded machine; the waits for its end are sleeps, so they only get longer.
const COOLDOWN_MS = 5000;
const MIN_REQUESTS = 10;
/** Each test waits out one to three cooldowns. */
const TEST_LIMIT_MS = 120_000;

let server: LoopbackServer;
let up = false;
let workflowCounter = 0;
let workflowId: string;

beforeEach(async () => {
	resetProcessState();
	up = false;
	workflowId = `ReliabilityCool${String(++workflowCounter).padStart(3, '0')}`;
	server = await startLoopbackServer(() => (up ? { status: 200, body: { ok: true } } : { status: 503, body: 'down' }));
});
afterEach(async () => {
	await server.close();
	resetProcessState();
});

const host = () => `127.0.0.1:${server.port}`;
const users = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => ({ user_id: `${prefix}${i}` }));
const sleepUntil = async (epochMs: number) => {
	const ms = epochMs - Date.now();
	if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms + 5));
};

function send(items: IDataObject[], options: IDataObject = {}, store?: StaticDataStore) {
	return runWebhook(
		{
			url: `${server.url}/hook?item={{\${user_id}}}`,
			options: {
				maxRetries: 0,
				concurrency: 1,
				cooldownMinRequests: MIN_REQUESTS,
				cooldownMs: COOLDOWN_MS,
				maxCooldownMs: 4 * COOLDOWN_MS,
				cooldownProbeRequests: 2,
				...options,
			},
		},
		items,
		{
			onError: 'continueRegularOutput',
			mode: 'trigger',
			workflowId,
			staticData: store,
		},
	);
}

function retryAts(out: INodeExecutionData[]): number[] {
	return deliveries(out)
		.filter((d) => d.status === 'deferred')
		.map((d) => Date.parse(String(d.retryAt)));
}

/** This package's entry in the workflow's saved static data (n8n keeps node-global data under "global"). */
function persisted(store: StaticDataStore): {
	version: number;
	hosts: Record<string, HostCooldownState>;
} {
	return (store.saved.global as IDataObject)[STATIC_DATA_NAMESPACE] as {
		version: number;
		hosts: Record<string, HostCooldownState>;
	};
}

/** No request reached the host while it was open: [trippedAt, openUntil). */
function requestsBetween(from: number, to: number) {
	return server.requests.filter((r) => r.receivedAt >= from && r.receivedAt < to);
}

describe('host cooldown under a failing host', () => {
	it('one execution: trips after the window fills, defers the rest (retries too), probes after the cooldown, resumes', async () => {
		const first = await send(users(30), { maxRetries: 2 });
		// One request slot: items sleeping through a backoff hold none, so the first attempts of items
		// 0–9 go out in order and the 10th failure trips the host; their retries are deferred, not sent.
		expect(server.requests).toHaveLength(MIN_REQUESTS);
		expect(server.requests.map((r) => r.url)).toEqual(users(MIN_REQUESTS).map((u) => `/hook?item=${u.user_id}`));
		expect(statuses(first.outputs[0])).toEqual(Array(30).fill('deferred'));
		expect(deliveries(first.outputs[0])[3]).toMatchObject({
			status: 'deferred',
			reason: 'host-cooldown',
			attempts: 1,
			lastStatusCode: 503,
		});
		expect(deliveries(first.outputs[0])[10]).toMatchObject({
			status: 'deferred',
			reason: 'host-cooldown',
			attempts: 0,
		});
		expect(deliveries(first.outputs[0])[29].message).toBe(
			`Requests to ${host()} are paused until ${deliveries(first.outputs[0])[29].retryAt}: most recent requests to it failed`,
		);
		const openUntil = retryAts(first.outputs[0])[0];
		expect(new Set(retryAts(first.outputs[0]))).toEqual(new Set([openUntil]));
		const trippedAt = openUntil - COOLDOWN_MS;
		expect(server.requests.at(-1)!.receivedAt).toBeLessThanOrEqual(trippedAt);

		// During the cooldown: nothing reaches the host.
		const during = await send(users(30, 'd'));
		expect(statuses(during.outputs[0])).toEqual(Array(30).fill('deferred'));
		expect(new Set(retryAts(during.outputs[0]))).toEqual(new Set([openUntil]));
		expect(server.requests).toHaveLength(MIN_REQUESTS);

		// After it, still down: exactly one probe, which fails and doubles the cooldown.
		await sleepUntil(openUntil);
		const probe = await send(users(30, 'p'));
		expect(server.requests).toHaveLength(MIN_REQUESTS + 1);
		expect(server.requests.at(-1)!.receivedAt).toBeGreaterThanOrEqual(openUntil);
		expect(statuses(probe.outputs[0])).toEqual(['failed', ...Array(29).fill('deferred')]);
		const reopenedUntil = retryAts(probe.outputs[0])[0];
		// Doubled from when the node read the failed answer: not 1× or 4× the cooldown, however late it read it.
		expect(reopenedUntil - server.requests.at(-1)!.receivedAt).toBeGreaterThanOrEqual(2 * COOLDOWN_MS - 50);
		expect(reopenedUntil - server.requests.at(-1)!.receivedAt).toBeLessThanOrEqual(2 * COOLDOWN_MS + 2000);

		// The host recovers; after the doubled cooldown two probes close it and every item is sent.
		up = true;
		const beforeRecovery = server.requests.length;
		const stillOpen = await send(users(5, 'x'));
		expect(statuses(stillOpen.outputs[0])).toEqual(Array(5).fill('deferred'));
		expect(server.requests).toHaveLength(beforeRecovery);
		await sleepUntil(reopenedUntil);
		const resumed = await send(users(30, 'r'));
		expect(statuses(resumed.outputs[0])).toEqual(Array(30).fill('sent'));
		expect(server.requests).toHaveLength(MIN_REQUESTS + 1 + 30);
		expect(server.requests.slice(MIN_REQUESTS + 1).map((r) => r.url)).toEqual(
			users(30, 'r').map((u) => `/hook?item=${u.user_id}`),
		);

		// The host saw nothing while open, in either cooldown.
		expect(requestsBetween(trippedAt + 1, openUntil)).toEqual([]);
		expect(requestsBetween(reopenedUntil - 2 * COOLDOWN_MS + 1, reopenedUntil)).toEqual([]);
	}, TEST_LIMIT_MS);

	it('two concurrent executions share one cooldown: one trip, one set of probes', async () => {
		const concurrency = 4;
		const [a, b] = await Promise.all([send(users(40, 'a'), { concurrency }), send(users(40, 'b'), { concurrency })]);
		const made = server.requests.length;
		// Without sharing, each execution would make its own 10 requests before tripping.
		expect(made).toBeGreaterThanOrEqual(MIN_REQUESTS);
		expect(made).toBeLessThanOrEqual(MIN_REQUESTS + 2 * concurrency - 1);
		for (const result of [a, b]) {
			const out = deliveries(result.outputs[0]);
			expect(out).toHaveLength(40);
			expect(out.every((d) => d.status === 'failed' || (d.status === 'deferred' && d.reason === 'host-cooldown'))).toBe(true);
		}
		const failed = [a, b].flatMap((r) => deliveries(r.outputs[0])).filter((d) => d.status === 'failed');
		expect(failed).toHaveLength(made);
		const openUntil = Math.min(...retryAts(a.outputs[0]), ...retryAts(b.outputs[0]));
		expect(new Set([...retryAts(a.outputs[0]), ...retryAts(b.outputs[0])])).toEqual(new Set([openUntil]));

		// Two more concurrent executions during the cooldown: nothing sent.
		const [c, d] = await Promise.all([send(users(20, 'c'), { concurrency }), send(users(20, 'd'), { concurrency })]);
		expect([...statuses(c.outputs[0]), ...statuses(d.outputs[0])]).toEqual(Array(40).fill('deferred'));
		expect(server.requests).toHaveLength(made);

		// Recovery: the first pair after the cooldown lets exactly the two probes through.
		up = true;
		await sleepUntil(openUntil);
		const [e, f] = await Promise.all([send(users(20, 'e'), { concurrency }), send(users(20, 'f'), { concurrency })]);
		const afterProbes = server.requests.slice(made);
		expect(afterProbes.length).toBeGreaterThanOrEqual(2);
		expect(afterProbes.every((r) => r.receivedAt >= openUntil)).toBe(true);
		const both = [...deliveries(e.outputs[0]), ...deliveries(f.outputs[0])];
		expect(both.filter((x) => x.status === 'sent')).toHaveLength(afterProbes.length);
		expect(both.filter((x) => x.status !== 'sent').every((x) => x.status === 'deferred' && x.reason === 'host-cooldown')).toBe(
			true,
		);

		// Closed again: the next concurrent pair sends everything.
		const [g, h] = await Promise.all([send(users(20, 'g'), { concurrency }), send(users(20, 'h'), { concurrency })]);
		expect([...statuses(g.outputs[0]), ...statuses(h.outputs[0])]).toEqual(Array(40).fill('sent'));
		expect(server.requests).toHaveLength(made + afterProbes.length + 40);
		expect(requestsBetween(openUntil - COOLDOWN_MS + 250, openUntil)).toEqual([]);
		process.stdout.write(
			`cooldown, 2 concurrent executions: ${made} requests before the trip, ${afterProbes.length} in the probe round\n`,
		);
	}, TEST_LIMIT_MS);

	it('across a restart: static data alone keeps the cooldown, for both nodes, until the host recovers', async () => {
		const store = new StaticDataStore();
		const first = await send(users(20), {}, store);
		expect(server.requests).toHaveLength(MIN_REQUESTS);
		const openUntil = retryAts(first.outputs[0])[0];
		const saved = persisted(store);
		expect(saved.version).toBe(1);
		expect(saved.hosts[host()]).toMatchObject({
			phase: 'open',
			openUntil,
			trips: 1,
		});

		// Restart: only static data carries the state.
		resetProcessState();
		const afterRestart = await send(users(20, 'w'), {}, store);
		expect(statuses(afterRestart.outputs[0])).toEqual(Array(20).fill('deferred'));
		expect(new Set(retryAts(afterRestart.outputs[0]))).toEqual(new Set([openUntil]));

		// The Braze to Braze node on the same host honours the same cooldown after the restart.
		resetProcessState();
		const braze = await runBrazeToBraze(
			{ url: server.url },
			{
				operation: 'trackUser',
				externalId: '={{ $json.user_id }}',
				attributes: {
					attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }],
				},
			},
			users(3, 'bz'),
			{
				onError: 'continueRegularOutput',
				options: { mode: 'trigger', workflowId, staticData: store },
			},
		);
		expect(deliveries(braze.outputs[0]).map((d) => [d.status, d.reason, d.retryAt])).toEqual(
			Array(3).fill(['deferred', 'host-cooldown', new Date(openUntil).toISOString()]),
		);
		expect(server.requests).toHaveLength(MIN_REQUESTS);

		// Restart again once the cooldown is over and the host is back: probes, then everything is sent.
		up = true;
		await sleepUntil(openUntil);
		resetProcessState();
		const resumed = await send(users(20, 'r'), {}, store);
		expect(statuses(resumed.outputs[0])).toEqual(Array(20).fill('sent'));
		expect(server.requests).toHaveLength(MIN_REQUESTS + 20);
		expect(requestsBetween(openUntil - COOLDOWN_MS + 1, openUntil)).toEqual([]);
		const healed = persisted(store).hosts[host()];
		expect(healed).toMatchObject({
			phase: 'closed',
			trips: 0,
			probesInFlight: 0,
		});
	}, TEST_LIMIT_MS);
});
