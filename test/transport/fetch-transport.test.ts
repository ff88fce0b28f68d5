/**
 * The fetch transport on its own: n8n's egress filter (SSRF protection) is consulted before every
 * request and every redirect hop, its errors read as the helper's do, and requests fetch cannot
 * make as n8n would fall back to n8n's helper, saying so in delivery.transport.
 */
import type { NodeEgressFilter } from 'n8n-workflow';

import { classifyRequestError } from '../../nodes/shared/delivery/classify';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { fetchTransport } from '../../nodes/shared/delivery/transport/fetch-transport';
import { fetchCanSend, redirectHop, toFetchRequest } from '../../nodes/shared/delivery/transport/fetch-wire';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, runWebhook } from '../webhook/helpers';

let server: LoopbackServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});
beforeEach(() => resetProcessState());

function egress(blocked: (url: string) => boolean, seen: string[] = []): NodeEgressFilter {
	return {
		validateUrl: async (url) => {
			seen.push(`check ${String(url)}`);
			return (blocked(String(url)) ? { ok: false, error: new Error('blocked') } : { ok: true, result: undefined }) as never;
		},
		validateConnectionHost: () => ({ ok: true, result: undefined }) as never,
		createSecureLookup: () => {
			throw new Error('not used by fetch');
		},
		validateRedirectSync: (url) => {
			seen.push(`redirect ${url}`);
			if (blocked(url)) throw new Error('redirect blocked');
		},
	};
}

const base = { method: 'POST' as const, body: 'x', timeout: 10_000, disableFollowRedirect: false };

describe('fetch transport and n8n egress filter', () => {
	it('asks the filter before the request and refuses what it blocks, as a request that cannot be made', async () => {
		server = await startLoopbackServer({ status: 200 });
		const transport = fetchTransport({ egress: egress(() => true) });
		const error = await transport.send({ ...base, url: `${server.url}/x` }).catch((thrown: unknown) => thrown);
		expect(classifyRequestError(error)).toEqual({ kind: 'other', code: 'EGRESS_BLOCKED' });
		expect(server.requests).toHaveLength(0);
	});

	it('checks every redirect hop, and stops at a blocked one', async () => {
		server = await startLoopbackServer((request) =>
			request.url === '/a' ? { status: 307, headers: { location: '/internal' } } : { status: 200 },
		);
		const seen: string[] = [];
		const transport = fetchTransport({ egress: egress((url) => url.endsWith('/internal'), seen) });
		const error = await transport.send({ ...base, url: `${server.url}/a` }).catch((thrown: unknown) => thrown);
		expect(classifyRequestError(error).code).toBe('EGRESS_BLOCKED');
		expect(seen).toEqual([`check ${server.url}/a`, `redirect ${server.url}/internal`]);
		expect(server.requests.map((request) => request.url)).toEqual(['/a']);
	});

	it('gives up after 21 redirects, as axios does', async () => {
		server = await startLoopbackServer((request) => ({ status: 302, headers: { location: `/r${request.index + 1}` } }));
		const transport = fetchTransport({ egress: egress(() => false) });
		const error = await transport.send({ ...base, url: `${server.url}/r0` }).catch((thrown: unknown) => thrown);
		expect(classifyRequestError(error)).toEqual({ kind: 'other', code: 'ERR_FR_TOO_MANY_REDIRECTS' });
		expect(server.requests).toHaveLength(22);
	});

	it('maps refused connections to the connection kind', async () => {
		const closed = await startLoopbackServer({ status: 200 });
		await closed.close();
		const transport = fetchTransport({ egress: egress(() => false) });
		const error = await transport.send({ ...base, url: `${closed.url}/refused` }).catch((thrown: unknown) => thrown);
		expect(classifyRequestError(error)).toEqual({ kind: 'connection', code: 'ECONNREFUSED' });
	});
});

describe('after an attempt', () => {
	it('every signal fetch was given is aborted (fetch would keep it until a full GC), and the connection stays in use', async () => {
		server = await startLoopbackServer((request) =>
			request.url === '/a' ? { status: 307, headers: { location: '/b' } } : { status: 200, body: { ok: request.index } },
		);
		const realFetch = globalThis.fetch;
		const signals: AbortSignal[] = [];
		const spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
			if (init?.signal) signals.push(init.signal);
			return await realFetch(input, init);
		});
		const transport = fetchTransport({ egress: egress(() => false) });
		const bodies: unknown[] = [];
		try {
			for (const path of ['/c', '/c', '/a']) bodies.push((await transport.send({ ...base, url: `${server.url}${path}` })).body);
		} finally {
			spy.mockRestore();
		}
		expect(bodies).toEqual([{ ok: 0 }, { ok: 1 }, { ok: 3 }]);
		expect(signals).toHaveLength(4);
		expect(signals.map((signal) => signal.aborted)).toEqual([true, true, true, true]);
		// The abort comes after the response: the next attempt, and a redirect's next hop, still go
		// out on the same connection.
		expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1, 1]);
	});
});

describe('fetch wire details', () => {
	it('a GET with a body cannot go through fetch', () => {
		expect(fetchCanSend({ url: 'http://h/', method: 'GET', body: 'x' })).toBe(false);
		expect(fetchCanSend({ url: 'http://h/', method: 'GET', body: {} })).toBe(true);
		expect(fetchCanSend({ url: 'http://h/', method: 'POST', body: 'x' })).toBe(true);
	});

	it('a port fetch refuses (the Fetch standard\'s bad ports) goes through n8n', () => {
		expect(fetchCanSend({ url: 'http://h:6666/', method: 'POST' })).toBe(false);
		expect(fetchCanSend({ url: 'http://h:8080/', method: 'POST' })).toBe(true);
		expect(fetchCanSend({ url: 'https://h/', method: 'POST' })).toBe(true);
	});

	it('an object body goes out as JSON with the Content-Type and Accept n8n sets', () => {
		const parts = toFetchRequest({ url: 'http://h/', method: 'POST', body: { a: 1 }, json: true });
		expect(Buffer.from(parts.body as Uint8Array).toString()).toBe('{"a":1}');
		expect(parts.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'n8n' });
	});

	it('credential headers are not sent on to another host', () => {
		const from = { url: 'http://a.test/x', method: 'POST', headers: { Authorization: 'Bearer t', 'X-Key': 'k', 'X-Other': 'o' } };
		expect(redirectHop(from, 307, 'http://b.test/y', ['x-key'])?.headers).toEqual({ 'X-Other': 'o' });
		expect(redirectHop(from, 307, '/y', ['x-key'])?.headers).toEqual(from.headers);
		expect(redirectHop(from, 200, '/y')).toBeUndefined();
	});
});

describe('falling back to n8n helper under Reuse Connections', () => {
	it('a credential restricted to some domains goes through n8n, and the output says so', async () => {
		server = await startLoopbackServer({ status: 200 });
		const result = await runWebhook(
			{ url: `${server.url}/x`, authentication: 'brazeWebhookAuthApi', options: { reuseConnections: true } },
			[{ user_id: '1' }],
			{
				credentials: {
					brazeWebhookAuthApi: { authType: 'bearer', token: 't', allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' },
				},
			},
		);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'sent', transport: 'n8n' });
		expect(server.requests[0].headers.authorization).toBe('Bearer t');
	});
});
