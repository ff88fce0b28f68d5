/**
 * DeliverySession inside n8n-core's real WorkflowExecute, against a scripted loopback host.
 */
import { STATIC_DATA_NAMESPACE } from '../../nodes/shared/delivery/cooldown-store';
import type { HostCooldownState } from '../../nodes/shared/delivery/host-cooldown';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import type { DeliveryResult } from '../../nodes/shared/delivery/results';
import { MANUAL_MODE_HINT } from '../../nodes/shared/delivery/session';
import { executeNode, StaticDataStore, type ExecuteOptions } from '../harness/engine';
import {
	startLoopbackServer,
	type LoopbackServer,
	type RecordedRequest,
	type ScriptedResponse,
} from '../harness/loopback-server';
import { DELIVERY_PROBE_TYPE, probeConfig, type ProbeConfig } from './probe-node';

let server: LoopbackServer;
let workflowCounter = 0;
let workflowId: string;

beforeEach(() => {
	workflowId = `DeliveryWf${String(++workflowCounter).padStart(6, '0')}`;
});
afterEach(async () => server?.close());

/** Answers each path from its own list, in order; the last entry repeats. */
function perPath(script: Record<string, ScriptedResponse[]>, fallback: ScriptedResponse = { status: 200 }) {
	const seen = new Map<string, number>();
	return (request: RecordedRequest): ScriptedResponse => {
		const list = script[request.url];
		if (!list) return fallback;
		const n = seen.get(request.url) ?? 0;
		seen.set(request.url, n + 1);
		return list[Math.min(n, list.length - 1)];
	};
}

async function deliver(
	paths: string[],
	config: ProbeConfig = {},
	options: ExecuteOptions = {},
): Promise<{ results: DeliveryResult[]; pairedItems: unknown[]; hints: Array<{ message: string }>; error?: Error }> {
	const result = await executeNode(
		{
			type: DELIVERY_PROBE_TYPE,
			parameters: { config: probeConfig(config), ...(config.fromOptions ? {} : {}) },
			credentials: config.credentialType ? { brazeApi: { id: '1', name: 'Braze' } } : undefined,
		},
		paths.map((path) => ({ url: `${server.url}${path}` })),
		{ workflowId, mode: 'trigger', ...options },
	);
	const items = result.outputs[0] ?? [];
	return {
		results: items.map((item) => item.json as unknown as DeliveryResult),
		pairedItems: items.map((item) => item.pairedItem),
		hints: result.hints,
		error: result.error,
	};
}

const requestsTo = (path: string) => server.requests.filter((request) => request.url === path);

describe("Braze's response table", () => {
	it('200, 201 and 204 are delivered in one attempt', async () => {
		server = await startLoopbackServer(
			perPath({
				'/200': [{ status: 200, body: { ok: true }, headers: { 'set-cookie': 'session=secret', 'x-trace': 'a' } }],
				'/201': [{ status: 201, body: { message: 'success' } }],
				'/204': [{ status: 204 }],
			}),
		);
		const { results, pairedItems } = await deliver(['/200', '/201', '/204']);
		expect(results.map((r) => [r.status, r.status === 'sent' && r.statusCode, r.attempts])).toEqual([
			['sent', 200, 1],
			['sent', 201, 1],
			['sent', 204, 1],
		]);
		expect(pairedItems).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const first = results[0] as Extract<DeliveryResult, { status: 'sent' }>;
		expect(first.body).toEqual({ ok: true });
		expect(first.headers['x-trace']).toBe('a');
		expect(first.headers['set-cookie']).toBeUndefined();
		expect((results[1] as Extract<DeliveryResult, { status: 'sent' }>).body).toEqual({ message: 'success' });
		expect(server.requests).toHaveLength(3);
	});

	it('301, 302 and 307 are not delivered, not retried and not followed', async () => {
		server = await startLoopbackServer(
			perPath({
				'/301': [{ status: 301, headers: { location: '/target' } }],
				'/302': [{ status: 302, headers: { location: '/target' } }],
				'/307': [{ status: 307, headers: { location: '/target' } }],
			}),
		);
		const { results } = await deliver(['/301', '/302', '/307']);
		expect(results.map((r) => [r.status, r.status === 'failed' && r.reason, r.status === 'failed' && r.statusCode, r.attempts])).toEqual([
			['failed', 'redirect', 301, 1],
			['failed', 'redirect', 302, 1],
			['failed', 'redirect', 307, 1],
		]);
		expect(server.requests.map((r) => r.url)).toEqual(['/301', '/302', '/307']);
	});

	it.each([400, 401, 403, 404, 409, 422])('%i is a permanent failure after one attempt', async (status) => {
		server = await startLoopbackServer({ status, body: { message: 'nope' } });
		const { results } = await deliver([`/p${status}`]);
		expect(results[0]).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: status, attempts: 1, body: { message: 'nope' } });
		expect(server.requests).toHaveLength(1);
	});

	it('408, 429, 500, 502, 503, 504 and 529 are retried up to maxRetries, then exhausted', async () => {
		const statuses = [408, 429, 500, 502, 503, 504, 529];
		server = await startLoopbackServer((request) => ({ status: Number(request.url.slice(1)), body: { e: 1 } }));
		const { results } = await deliver(
			statuses.map((s) => `/${s}`),
			{ settings: { maxRetries: 2 }, concurrency: 7 },
		);
		for (const [index, status] of statuses.entries()) {
			expect(results[index]).toMatchObject({ status: 'failed', reason: 'retries-exhausted', statusCode: status, attempts: 3 });
			expect(requestsTo(`/${status}`)).toHaveLength(3);
		}
		expect((results[1] as { message: string }).message).toContain('HTTP 429');
	});

	it('succeeds after retries', async () => {
		server = await startLoopbackServer(perPath({ '/flaky': [{ status: 503 }, { status: 502 }, { status: 200, body: { ok: 1 } }] }));
		const { results } = await deliver(['/flaky']);
		expect(results[0]).toMatchObject({ status: 'sent', statusCode: 200, attempts: 3, body: { ok: 1 } });
		expect(requestsTo('/flaky')).toHaveLength(3);
	});

	it('follows redirects only when asked to', async () => {
		server = await startLoopbackServer(perPath({ '/moved': [{ status: 302, headers: { location: '/target' } }], '/target': [{ status: 200, body: { here: true } }] }));
		const { results } = await deliver(['/moved'], { settings: { followRedirects: true } });
		expect(results[0]).toMatchObject({ status: 'sent', statusCode: 200, attempts: 1, body: { here: true } });
		expect(server.requests.map((r) => r.url)).toEqual(['/moved', '/target']);
	});
});

describe('server hints stretch the wait of a retriable attempt, never shorten it', () => {
	it('every header form: the retry never arrives before the hint says', async () => {
		const httpDate = (ms: number) => new Date(ms).toUTCString();
		const rfc850 = (ms: number) => {
			const d = new Date(ms);
			const day = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()];
			const [, dd, mon, yyyy, time] = d.toUTCString().split(' ');
			return `${day}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`;
		};
		const asctime = (ms: number) => {
			const [wkd, dd, mon, yyyy, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
			return `${wkd} ${mon} ${dd.replace(/^0/, ' ')} ${time} ${yyyy}`;
		};
		/** For each path: the headers of the first answer, and the earliest time the retry may arrive. */
		const targets = new Map<string, number>();
		const forms: Record<string, (receivedAt: number) => { headers: Record<string, string>; notBefore: number }> = {
			'/retry-after-seconds': (at) => ({ headers: { 'retry-after': '1' }, notBefore: at + 1000 }),
			'/retry-after-decimal': (at) => ({ headers: { 'retry-after': '0.6' }, notBefore: at + 600 }),
			'/retry-after-imf': (at) => {
				const target = Math.floor(at / 1000) * 1000 + 2000;
				return { headers: { date: httpDate(at), 'retry-after': httpDate(target) }, notBefore: target };
			},
			'/retry-after-rfc850': (at) => {
				const target = Math.floor(at / 1000) * 1000 + 2000;
				return { headers: { date: httpDate(at), 'retry-after': rfc850(target) }, notBefore: target };
			},
			'/retry-after-asctime': (at) => {
				const target = Math.floor(at / 1000) * 1000 + 2000;
				return { headers: { date: httpDate(at), 'retry-after': asctime(target) }, notBefore: target };
			},
			'/x-ratelimit-retry-after': (at) => ({ headers: { 'x-ratelimit-retry-after': '0.7' }, notBefore: at + 700 }),
			'/reset-seconds-remaining': (at) => ({
				headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.8' },
				notBefore: at + 800,
			}),
			'/reset-epoch-ms': (at) => ({
				headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(at + 900) },
				notBefore: at + 900,
			}),
			'/reset-epoch-seconds': (at) => {
				const target = (Math.floor(at / 1000) + 2) * 1000;
				return { headers: { 'x-ratelimit-reset': String(target / 1000) }, notBefore: target };
			},
			'/x-rate-limit-reset': (at) => ({
				headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '0.75' },
				notBefore: at + 750,
			}),
		};
		server = await startLoopbackServer((request) => {
			if (targets.has(request.url)) return { status: 200 };
			const { headers, notBefore } = forms[request.url](request.receivedAt);
			targets.set(request.url, notBefore);
			// A 502 is retried but (unlike 429/503) does not hold back the whole host, so the retry's own
			// backoff must honour the hint; a reset without "remaining 0" counts only on a 429.
			return { status: request.url === '/reset-epoch-seconds' ? 429 : 502, headers };
		});
		const paths = Object.keys(forms);
		// One execution per form, each its own workflow, so one form's 429 does not hold back the
		// others (pacing is per workflow and host). Random 0: the backoff adds nothing, so the hint
		// alone sets the wait.
		const runs = await Promise.all(
			paths.map((path, index) =>
				deliver([path], { random: () => 0, settings: { maxRetries: 1, maxHintMs: 60_000 } }, { workflowId: `${workflowId}-${index}` }),
			),
		);
		for (const [index, path] of paths.entries()) {
			const [result] = runs[index].results;
			expect([path, result.status, result.attempts]).toEqual([path, 'sent', 2]);
			const [first, retry] = requestsTo(path);
			expect([path, retry.receivedAt >= (targets.get(path) as number)]).toEqual([path, true]);
			// and not much later than the hint (the backoff drew 0; spread 0): a unit misread (0.6 s as 6 s,
			// epoch seconds as ms) would wait 5 s or more; the margin leaves room for a starved event loop.
			expect([path, retry.receivedAt - (targets.get(path) as number) < 4000]).toEqual([path, true]);
			expect(retry.receivedAt).toBeGreaterThan(first.receivedAt);
		}
	});

	it("a 429's Retry-After holds back the other requests to that host too", async () => {
		server = await startLoopbackServer(
			perPath({ '/first': [{ status: 429, headers: { 'retry-after': '0.5' } }, { status: 200 }] }),
		);
		const { results } = await deliver(['/first', '/second'], { random: () => 0, concurrency: 1 });
		expect(results.map((r) => [r.status, r.attempts])).toEqual([
			['sent', 2],
			['sent', 1],
		]);
		const [first429] = requestsTo('/first');
		expect(requestsTo('/second')[0].receivedAt - first429.receivedAt).toBeGreaterThanOrEqual(500);
	});

	it('a 401 with Retry-After stays a permanent failure', async () => {
		server = await startLoopbackServer({ status: 401, headers: { 'retry-after': '1' } });
		const { results } = await deliver(['/auth']);
		expect(results[0]).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: 401, attempts: 1 });
		expect(server.requests).toHaveLength(1);
	});

	it('an absurd hint is capped at maxHintMs', async () => {
		server = await startLoopbackServer(perPath({ '/absurd': [{ status: 503, headers: { 'retry-after': '86400' } }, { status: 200 }] }));
		// The probe's default cap is 5 s: the 300 ms cap (not the default, not the hint) set the wait.
		const { results } = await deliver(['/absurd'], { random: () => 0, settings: { maxHintMs: 300 } });
		expect(results[0]).toMatchObject({ status: 'sent', attempts: 2 });
		const [first, retry] = requestsTo('/absurd');
		expect(retry.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(300);
		expect(retry.receivedAt - first.receivedAt).toBeLessThan(5000);
	});
});

describe('transport failures', () => {
	it('a dropped connection is retried', async () => {
		server = await startLoopbackServer(perPath({ '/drop': [{ drop: true }, { status: 200, body: { ok: 1 } }] }));
		const { results } = await deliver(['/drop']);
		expect(results[0]).toMatchObject({ status: 'sent', statusCode: 200, attempts: 2 });
		expect(requestsTo('/drop')).toHaveLength(2);
	});

	it('an answer slower than the timeout is retried', async () => {
		// The first answer never comes, so only the timeout ends it; the second is immediate and has the
		// whole timeout (seconds, not a race with a starved event loop) to arrive.
		server = await startLoopbackServer(perPath({ '/slow': [{ hang: true }, { status: 200, body: { fast: 1 } }] }));
		const { results } = await deliver(['/slow'], { settings: { timeoutMs: 3000 } });
		expect(results[0]).toMatchObject({ status: 'sent', attempts: 2, body: { fast: 1 } });
		const [first, retry] = requestsTo('/slow');
		// The client's timer starts before the server sees the request, so the server's gap may fall a
		// little short of the timeout; a retry that did not wait for it would come within milliseconds.
		expect(retry.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(2500);
	});

	it('a refused connection exhausts the retries with a message naming the code', async () => {
		server = await startLoopbackServer();
		const closedPort = server.url;
		await server.close();
		const result = await executeNode(
			{ type: DELIVERY_PROBE_TYPE, parameters: { config: probeConfig({ settings: { maxRetries: 2 } }) } },
			[{ url: `${closedPort}/gone` }],
			{ workflowId, mode: 'trigger' },
		);
		const delivery = result.outputs[0][0].json as unknown as DeliveryResult;
		expect(delivery).toMatchObject({ status: 'failed', reason: 'retries-exhausted', attempts: 3 });
		expect((delivery as { message: string }).message).toContain('ECONNREFUSED');
		expect((delivery as { statusCode?: number }).statusCode).toBeUndefined();
	});

	it('an invalid URL fails its item without a request', async () => {
		server = await startLoopbackServer();
		const result = await executeNode(
			{ type: DELIVERY_PROBE_TYPE, parameters: { config: probeConfig({}) } },
			[{ url: 'not a url' }],
			{ workflowId, mode: 'trigger' },
		);
		expect(result.outputs[0][0].json).toMatchObject({ status: 'failed', reason: 'request-error', attempts: 0 });
	});
});

describe('wait budget', () => {
	it('an item whose next retry falls beyond the budget is deferred with retryAt, not failed', async () => {
		// A 60 s hint against a 0.5 s budget: deferring (not waiting) is told apart by a margin no
		// scheduler delay reaches.
		server = await startLoopbackServer(perPath({ '/later': [{ status: 503, headers: { 'retry-after': '60' } }] }));
		const started = Date.now();
		const { results } = await deliver(['/later'], { random: () => 0, settings: { waitBudgetMs: 500, maxHintMs: 120_000 } });
		expect(Date.now() - started).toBeLessThan(30_000);
		expect(results[0]).toMatchObject({ status: 'deferred', reason: 'wait-budget', attempts: 1, lastStatusCode: 503 });
		const retryAt = Date.parse((results[0] as { retryAt: string }).retryAt);
		const [first] = requestsTo('/later');
		expect(retryAt).toBeGreaterThanOrEqual(first.receivedAt + 60_000);
		expect(retryAt).toBeLessThan(first.receivedAt + 70_000);
		expect(server.requests).toHaveLength(1);
	});
});

describe('rate-limit pacing', () => {
	it('remaining 0 on a success makes the next request to the host wait for the reset', async () => {
		server = await startLoopbackServer(
			perPath({ '/a': [{ status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.5' } }] }),
		);
		const { results } = await deliver(['/a', '/b']);
		expect(results.map((r) => r.status)).toEqual(['sent', 'sent']);
		const [a, b] = server.requests;
		expect(b.receivedAt - a.receivedAt).toBeGreaterThanOrEqual(500);
	});

	it('a wait beyond the budget defers the item as rate-limit without sending it', async () => {
		server = await startLoopbackServer(
			perPath({ '/a': [{ status: 200, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '5' } }] }),
		);
		const { results } = await deliver(['/a', '/b'], { settings: { waitBudgetMs: 1000 } });
		expect(results[1]).toMatchObject({ status: 'deferred', reason: 'rate-limit', attempts: 0 });
		expect(server.requests.map((r) => r.url)).toEqual(['/a']);
	});
});

describe('host cooldown', () => {
	const cooldown = { enabled: true, minRequests: 4, cooldownMs: 400, probeRequests: 2 };
	const hostState = (store: StaticDataStore): HostCooldownState | undefined => {
		const entry = (store.saved.global as Record<string, { hosts: Record<string, HostCooldownState> }> | undefined)?.[
			STATIC_DATA_NAMESPACE
		];
		return entry?.hosts[new URL(server.url).host];
	};

	beforeEach(() => resetProcessState());

	it('trips, defers without contacting the host, probes, and recovers', async () => {
		let healthy = false;
		// Probes answer after 1 s, so the items admitted alongside them find them still in flight; the
		// cooldown is 3 s, so the execution "during" it comes well before it ends.
		server = await startLoopbackServer(() => (healthy ? { status: 200, delayMs: 1000 } : { status: 503 }));
		const store = new StaticDataStore();
		const config = { settings: { maxRetries: 0, cooldown: { ...cooldown, cooldownMs: 3000 } } };

		const first = await deliver(['/1', '/2', '/3', '/4', '/5', '/6'], config, { staticData: store });
		expect(first.results.map((r) => [r.status, r.status !== 'sent' && r.reason])).toEqual([
			['failed', 'retries-exhausted'],
			['failed', 'retries-exhausted'],
			['failed', 'retries-exhausted'],
			['failed', 'retries-exhausted'],
			['deferred', 'host-cooldown'],
			['deferred', 'host-cooldown'],
		]);
		expect(server.requests).toHaveLength(4);
		const deferred = first.results[4] as Extract<DeliveryResult, { status: 'deferred' }>;
		expect(deferred.attempts).toBe(0);
		expect(Date.parse(deferred.retryAt)).toBeGreaterThan(server.requests[3].receivedAt + 300);
		expect(hostState(store)?.phase).toBe('open');

		// still cooling down: a new execution does not contact the host either
		const during = await deliver(['/7'], config, { staticData: store });
		expect(during.results[0]).toMatchObject({ status: 'deferred', reason: 'host-cooldown' });
		expect(server.requests).toHaveLength(4);

		await new Promise((resolve) => setTimeout(resolve, 3050));
		healthy = true;
		// 4 items at once: 2 probes go out, the other 2 stay deferred while the probes are in flight
		const probing = await deliver(['/8', '/9', '/10', '/11'], { ...config, concurrency: 4 }, { staticData: store });
		expect(probing.results.map((r) => r.status)).toEqual(['sent', 'sent', 'deferred', 'deferred']);
		expect(server.requests).toHaveLength(6);
		expect(hostState(store)?.phase).toBe('closed');

		const recovered = await deliver(['/12', '/13', '/14'], { ...config, concurrency: 3 }, { staticData: store });
		expect(recovered.results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
	});

	it('a failed probe reopens with a longer cooldown', async () => {
		server = await startLoopbackServer({ status: 503 });
		const store = new StaticDataStore();
		const config = { settings: { maxRetries: 0, cooldown: { ...cooldown, cooldownMs: 200 } } };
		await deliver(['/1', '/2', '/3', '/4'], config, { staticData: store });
		const firstOpen = hostState(store) as HostCooldownState;
		expect(firstOpen.openUntil - firstOpen.since).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 250));
		const probe = await deliver(['/5'], config, { staticData: store });
		expect(probe.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
		const reopened = hostState(store) as HostCooldownState;
		expect(reopened).toMatchObject({ phase: 'open', trips: 2 });
		expect(reopened.openUntil - reopened.since).toBe(400);
	});

	it('carries the state across executions through static data alone (as after a restart)', async () => {
		server = await startLoopbackServer({ status: 504 });
		const store = new StaticDataStore();
		const config = { settings: { maxRetries: 0, cooldown: { ...cooldown, cooldownMs: 60_000 } } };
		await deliver(['/1', '/2', '/3', '/4'], config, { staticData: store });
		expect(store.saves).toBe(1);
		resetProcessState();
		const later = await deliver(['/5', '/6'], config, { staticData: store });
		expect(later.results.map((r) => r.status)).toEqual(['deferred', 'deferred']);
		expect(server.requests).toHaveLength(4);
		// a deferral changes nothing, so the second execution left static data alone
		expect(store.saves).toBe(1);
	});

	it('two concurrent executions of one workflow share one cooldown', async () => {
		server = await startLoopbackServer({ status: 503, delayMs: 30 });
		const storeA = new StaticDataStore();
		const storeB = new StaticDataStore();
		const config = { settings: { maxRetries: 0, cooldown }, concurrency: 2 };
		const paths = Array.from({ length: 10 }, (_, i) => `/${i}`);
		const [a, b] = await Promise.all([
			deliver(paths, config, { staticData: storeA }),
			deliver(paths, config, { staticData: storeB }),
		]);
		// separate state would need 4 failures per execution (8 requests); shared state trips after 4,
		// with at most 3 more already in flight
		expect(server.requests.length).toBeGreaterThanOrEqual(4);
		expect(server.requests.length).toBeLessThanOrEqual(7);
		const deferredIn = (results: DeliveryResult[]) => results.filter((r) => r.status === 'deferred').length;
		expect(deferredIn(a.results)).toBeGreaterThan(0);
		expect(deferredIn(b.results)).toBeGreaterThan(0);
		expect(deferredIn(a.results) + deferredIn(b.results)).toBe(20 - server.requests.length);
		expect(hostState(storeA)?.phase).toBe('open');
		expect(hostState(storeB)?.phase).toBe('open');
	});

	it('500 is retried but does not trip the cooldown', async () => {
		server = await startLoopbackServer({ status: 500 });
		const { results } = await deliver(['/1', '/2', '/3', '/4', '/5', '/6'], { settings: { maxRetries: 0, cooldown } });
		expect(results.every((r) => r.status === 'failed')).toBe(true);
		expect(server.requests).toHaveLength(6);
	});

	it('a manual execution where the cooldown paused a host gets a hint that the state will not be kept', async () => {
		server = await startLoopbackServer({ status: 503 });
		const config = { settings: { maxRetries: 0, cooldown } };
		const paths = ['/1', '/2', '/3', '/4', '/5'];
		const manual = await deliver(paths, config, { mode: 'manual' });
		expect(manual.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'deferred']);
		expect(manual.hints.map((h) => h.message)).toEqual([MANUAL_MODE_HINT]);
		resetProcessState();
		workflowId = `${workflowId}b`;
		const production = await deliver(paths, config, { mode: 'trigger' });
		expect(production.results.map((r) => r.status)).toEqual(manual.results.map((r) => r.status));
		expect(production.hints).toEqual([]);
	});

	it('a manual execution whose item the cooldown deferred, without sending, gets the hint', async () => {
		server = await startLoopbackServer({ status: 503 });
		const config = { settings: { maxRetries: 0, cooldown: { ...cooldown, cooldownMs: 60_000 } } };
		const tripped = await deliver(['/1', '/2', '/3', '/4'], config, { mode: 'trigger' });
		expect(tripped.hints).toEqual([]);
		const manual = await deliver(['/5'], config, { mode: 'manual' });
		expect(manual.results.map((r) => r.status)).toEqual(['deferred']);
		expect(server.requests).toHaveLength(4);
		expect(manual.hints.map((h) => h.message)).toEqual([MANUAL_MODE_HINT]);
	});

	it('a manual execution where the cooldown did nothing gets no hint', async () => {
		server = await startLoopbackServer(perPath({ '/busy': [{ status: 503 }], '/gone': [{ status: 500 }] }));
		const config = { settings: { maxRetries: 0, cooldown } };
		// sent, a failure below the trip threshold and a failure the cooldown does not count
		const manual = await deliver(['/ok', '/busy', '/gone'], config, { mode: 'manual' });
		expect(manual.results.map((r) => r.status)).toEqual(['sent', 'failed', 'failed']);
		expect(manual.hints).toEqual([]);
		const withoutCooldown = await deliver(['/ok'], {}, { mode: 'manual' });
		expect(withoutCooldown.hints).toEqual([]);
	});
});

describe('cancellation', () => {
	it('cancelling during a backoff sleep stops the execution quickly', async () => {
		server = await startLoopbackServer({ status: 503 });
		const started = Date.now();
		const result = await executeNode(
			{
				type: DELIVERY_PROBE_TYPE,
				parameters: {
					config: probeConfig({ random: () => 1, settings: { initialDelayMs: 30_000, maxDelayMs: 30_000, waitBudgetMs: 120_000 } }),
				},
			},
			[{ url: `${server.url}/slowly` }],
			{ workflowId, mode: 'trigger', onStart: (cancel) => setTimeout(cancel, 300) },
		);
		// The backoff was 30 s: ending well before it means the cancellation cut it short.
		expect(Date.now() - started).toBeLessThan(20_000);
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
		expect(server.requests).toHaveLength(1);
	});
});

describe('cancellation in flight', () => {
	it('cancelling while a request is in flight stops it without retrying', async () => {
		// The server never answers and the timeout is 60 s: ending well before it means the cancellation
		// aborted the request.
		server = await startLoopbackServer({ hang: true });
		const started = Date.now();
		const result = await executeNode(
			{ type: DELIVERY_PROBE_TYPE, parameters: { config: probeConfig({ settings: { timeoutMs: 60_000 } }) } },
			[{ url: `${server.url}/hang` }],
			{ workflowId, mode: 'trigger', onStart: (cancel) => setTimeout(cancel, 200) },
		);
		expect(Date.now() - started).toBeLessThan(30_000);
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
		expect(server.requests).toHaveLength(1);
	});
});

describe('request bodies', () => {
	it('a string body goes out byte for byte, also when it is JSON with surrounding whitespace', async () => {
		server = await startLoopbackServer({ status: 200 });
		const body = '\n{\n    "a": "\u00e9"\n}\n';
		const result = await executeNode(
			{ type: DELIVERY_PROBE_TYPE, parameters: { config: probeConfig({}) } },
			[
				{ url: `${server.url}/json`, body, headers: { 'Content-Type': 'application/json' } },
				{ url: `${server.url}/text`, body: '  plain  ', headers: { 'content-type': 'text/plain' } },
				{ url: `${server.url}/object`, body: { x: [1, 2] } },
			],
			{ workflowId, mode: 'trigger' },
		);
		expect(result.outputs[0].map((item) => item.json.status)).toEqual(['sent', 'sent', 'sent']);
		expect(requestsTo('/json')[0].body).toBe(body);
		expect(requestsTo('/json')[0].headers['content-type']).toBe('application/json');
		expect(requestsTo('/text')[0].body).toBe('  plain  ');
		expect(requestsTo('/object')[0].json).toEqual({ x: [1, 2] });
	});
});

describe('credentials and secrets', () => {
	it('uses httpRequestWithAuthentication and keeps the key out of results', async () => {
		server = await startLoopbackServer(perPath({ '/fail': [{ status: 503 }] }, { status: 200, body: { ok: true } }));
		const result = await executeNode(
			{
				type: DELIVERY_PROBE_TYPE,
				parameters: { config: probeConfig({ credentialType: 'brazeApi', settings: { maxRetries: 1 } }) },
				credentials: { brazeApi: { id: '1', name: 'Braze' } },
			},
			[{ url: `${server.url}/ok` }, { url: `${server.url}/fail` }],
			{
				workflowId,
				mode: 'trigger',
				credentials: { brazeApi: { apiKey: 'super-secret-key-42', instance: 'custom', customUrl: server.url } },
			},
		);
		expect(server.requests.map((r) => r.headers.authorization)).toEqual([
			'Bearer super-secret-key-42',
			'Bearer super-secret-key-42',
			'Bearer super-secret-key-42',
		]);
		expect(result.outputs[0].map((item) => item.json.status)).toEqual(['sent', 'failed']);
		expect(JSON.stringify(result.outputs)).not.toContain('super-secret-key-42');
	});
});

describe('options collection', () => {
	it('readDeliverySettings applies the node options', async () => {
		server = await startLoopbackServer({ status: 503 });
		const result = await executeNode(
			{
				type: DELIVERY_PROBE_TYPE,
				parameters: {
					config: probeConfig({ fromOptions: true }),
					options: { maxRetries: 1, initialRetryDelayMs: 5, maxRetryDelayMs: 5, hostCooldown: false },
				},
			},
			[{ url: `${server.url}/x` }],
			{ workflowId, mode: 'trigger' },
		);
		expect(result.outputs[0][0].json).toMatchObject({ status: 'failed', reason: 'retries-exhausted', attempts: 2 });
	});

	it('rejects invalid values with a NodeOperationError naming them', async () => {
		server = await startLoopbackServer();
		const result = await executeNode(
			{
				type: DELIVERY_PROBE_TYPE,
				parameters: {
					config: probeConfig({ fromOptions: true }),
					options: { maxRetries: 1.5, cooldownFailureStatusCodes: '503, teapot' },
				},
			},
			[{ url: `${server.url}/x` }],
			{ workflowId, mode: 'trigger' },
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('"maxRetries" must be a whole number');
		expect(result.error?.message).toContain('"teapot"');
		expect(server.requests).toHaveLength(0);
	});
});
