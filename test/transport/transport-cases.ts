/**
 * The webhook and Braze to Braze suites' key cases as one table, run through both transports by
 * both-transports.test.ts: n8n's request helper (Reuse Connections off) and fetch with keep-alive
 * (Reuse Connections on). Each case states its expectations once, for either transport, and returns
 * what went over the wire so the test can also check that both transports sent the same bytes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BrazeStandIn } from '../braze-to-braze/braze-stand-in';
import { API_KEY, deliveries as brazeDeliveries, runBrazeToBraze } from '../braze-to-braze/helpers';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type Script } from '../harness/loopback-server';
import { startHttpServer } from '../support/http-server';
import { deliveries, everything, runWebhook } from '../webhook/helpers';
import { SEED_COUNTER, SEED_EVENT_PROPERTY } from '../support/braze-seeds';

export type Transport = 'n8n' | 'fetch';
export const TRANSPORTS: Transport[] = ['n8n', 'fetch'];

/** What a request looked like on arrival: compared between the transports. */
export interface WireRecord {
	method: string;
	url: string;
	contentType?: string;
	body: string;
}

export interface TransportCase {
	name: string;
	/** Runs the case through one transport, asserting as it goes; returns the requests as received. */
	run: (transport: Transport, cleanup: (close: () => Promise<void>) => void) => Promise<WireRecord[]>;
}

const FIXTURES = path.join(__dirname, 'fixtures');
export const SELF_SIGNED = {
	cert: readFileSync(path.join(FIXTURES, 'self-signed.cert.pem')),
	key: readFileSync(path.join(FIXTURES, 'self-signed.key.pem')),
};

const JSON_HEADERS = { header: [{ name: 'Content-Type', value: 'application/json' }] };
export function withTransport(parameters: INodeParameters, transport: Transport): INodeParameters {
	const options = (parameters.options as IDataObject | undefined) ?? {};
	return { ...parameters, options: { ...options, reuseConnections: transport === 'fetch' } as INodeParameters };
}

/** Under Reuse Connections every delivery names its transport; without it there is no such field. */
export function expectTransport(delivery: IDataObject, transport: Transport): void {
	if (transport === 'fetch') expect(delivery.transport).toBe('fetch');
	else expect(delivery).not.toHaveProperty('transport');
}

function wire(requests: RecordedRequest[]): WireRecord[] {
	return requests.map((request) => ({
		method: request.method,
		url: request.url,
		...(request.headers['content-type'] !== undefined ? { contentType: String(request.headers['content-type']) } : {}),
		body: request.body,
	}));
}

async function server(cleanup: (close: () => Promise<void>) => void, script: Script): Promise<LoopbackServer> {
	const started = await startLoopbackServer(script, { ttlMs: 60_000, maxRequests: 1_000 });
	cleanup(started.close);
	return started;
}

/** One webhook run per body shape; every item must arrive, and its body byte for byte. */
function bodyCase(name: string, parameters: INodeParameters, items: IDataObject[]): TransportCase {
	return {
		name: `body: ${name}`,
		run: async (transport, cleanup) => {
			const host = await server(cleanup, { status: 201, body: { message: 'success' } });
			const result = await runWebhook(withTransport({ url: `${host.url}/hook`, ...parameters }, transport), items);
			expect(result.error).toBeUndefined();
			const out = deliveries(result.outputs[0]);
			expect(out.map((delivery) => delivery.status)).toEqual(items.map(() => 'sent'));
			out.forEach((delivery) => expectTransport(delivery, transport));
			expect(out[0].response).toEqual({ message: 'success' });
			return wire(host.requests);
		},
	};
}

const item = { user_id: 'u-1', first_name: 'Zoë', event_properties: { your_event_property: 'gold' } };

export const BODY_CASES: TransportCase[] = [
	bodyCase('seed "event property as custom attribute"', { bodyType: 'raw', rawBody: SEED_EVENT_PROPERTY, headers: JSON_HEADERS }, [
		item,
		{ user_id: 'u-2', event_properties: { your_event_property: 'silver' } },
	]),
	bodyCase('seed counter (assign, nested braces, plus 1)', { bodyType: 'raw', rawBody: SEED_COUNTER, headers: JSON_HEADERS }, [
		{ user_id: 'u-7', custom_attributes: { your_attribute_count: 4 } },
	]),
	bodyCase(
		'JSON key/value pairs, PUT',
		{
			method: 'PUT',
			bodyType: 'keyValue',
			bodyPairs: { pair: [{ key: 'id', value: '{{${user_id}}}' }, { key: 'name', value: '{{${first_name}}} ✓' }] },
		},
		[item],
	),
	bodyCase('raw text without Content-Type', { bodyType: 'raw', rawBody: 'hello {{${first_name}}}\n  ' }, [item]),
	bodyCase('raw JSON with surrounding whitespace', { bodyType: 'raw', rawBody: '\n  {"a": "{{${user_id}}}"}  \n', headers: JSON_HEADERS }, [
		item,
	]),
	bodyCase('no body, POST', { bodyType: 'none' }, [item]),
	bodyCase('no body, GET', { method: 'GET', bodyType: 'none' }, [item]),
	bodyCase('form-encoded raw body', {
		bodyType: 'raw',
		rawBody: 'id={{${user_id}}}&note=a+b%20c',
		headers: { header: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }] },
	}, [item]),
];

const BEARER = 'tok-5b1e0c7d-secret';

export const BEHAVIOUR_CASES: TransportCase[] = [
	{
		name: 'a credential is applied (bearer) and its secret never reaches the output, even when echoed',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, (request) => ({ status: 200, body: { echoed: request.headers.authorization } }));
			const result = await runWebhook(withTransport({ url: `${host.url}/a`, authentication: 'brazeWebhookAuthApi' }, transport), [item], {
				credentials: { brazeWebhookAuthApi: { authType: 'bearer', token: BEARER } },
			});
			expect(host.requests[0].headers.authorization).toBe(`Bearer ${BEARER}`);
			expectTransport(deliveries(result.outputs[0])[0], transport);
			expect(everything(result.outputs)).not.toContain(BEARER);
			return wire(host.requests);
		},
	},
	{
		name: 'a custom-header credential is applied',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, { status: 204 });
			await runWebhook(withTransport({ url: `${host.url}/a`, authentication: 'brazeWebhookAuthApi' }, transport), [item], {
				credentials: { brazeWebhookAuthApi: { authType: 'header', headerName: 'X-Api-Key', headerSecret: 'k-123' } },
			});
			expect(host.requests[0].headers['x-api-key']).toBe('k-123');
			return wire(host.requests);
		},
	},
	{
		name: 'retries 503 and a dropped connection, then delivers',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, [{ status: 503 }, { drop: true }, { status: 200, body: 'ok' }]);
			const result = await runWebhook(withTransport({ url: `${host.url}/r` }, transport), [item]);
			const [delivery] = deliveries(result.outputs[0]);
			expect(delivery).toMatchObject({ status: 'sent', statusCode: 200, attempts: 3, response: 'ok' });
			expectTransport(delivery, transport);
			return wire(host.requests);
		},
	},
	{
		name: 'a timed-out attempt is retried, then gives up as timed out',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, { hang: true });
			const result = await runWebhook(withTransport({ url: `${host.url}/t`, options: { timeoutMs: 300, maxRetries: 1 } }, transport), [item], {
				onError: 'continueRegularOutput',
			});
			const [delivery] = deliveries(result.outputs[0]);
			expect(delivery).toMatchObject({ status: 'failed', reason: 'retries-exhausted', attempts: 2 });
			expect(delivery.message).toMatch(/timed out \(ECONNABORTED\)/);
			expectTransport(delivery, transport);
			return wire(host.requests);
		},
	},
	{
		name: 'a redirect is not followed by default',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, (request) => (request.url === '/moved' ? { status: 301, headers: { location: '/new' } } : { status: 200 }));
			const result = await runWebhook(withTransport({ url: `${host.url}/moved` }, transport), [item], { onError: 'continueRegularOutput' });
			expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'failed', reason: 'redirect', statusCode: 301 });
			expect(host.requests.map((request) => request.url)).toEqual(['/moved']);
			return wire(host.requests);
		},
	},
	{
		name: 'Follow Redirects follows a 302 (POST becomes GET) and a 307 (method and body kept)',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, (request) => {
				if (request.url === '/302') return { status: 302, headers: { location: '/307' } };
				if (request.url === '/307') return { status: 307, headers: { location: '/end' } };
				return { status: 200, body: { at: request.url } };
			});
			const result = await runWebhook(
				withTransport({ url: `${host.url}/307`, bodyType: 'raw', rawBody: 'x', options: { followRedirects: true } }, transport),
				[item],
			);
			const again = await runWebhook(
				withTransport({ url: `${host.url}/302`, bodyType: 'raw', rawBody: 'y', options: { followRedirects: true } }, transport),
				[item],
			);
			expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'sent', response: { at: '/end' } });
			expect(deliveries(again.outputs[0])[0]).toMatchObject({ status: 'sent', response: { at: '/end' } });
			expect(host.requests.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual([
				'POST /307 x',
				'POST /end x',
				'POST /302 y',
				'GET /307 ',
				'GET /end ',
			]);
			return wire(host.requests).map(({ contentType: _dropped, ...rest }) => rest);
		},
	},
	{
		name: 'with Allowed Hosts a redirect to another host is not followed, even with Follow Redirects on',
		run: async (transport, cleanup) => {
			const other = await server(cleanup, { status: 200 });
			const host = await server(cleanup, { status: 302, headers: { location: `${other.url}/stolen` } });
			const result = await runWebhook(
				withTransport({ url: `${host.url}/go`, options: { allowedHosts: '127.0.0.1', followRedirects: true } }, transport),
				[item],
				{ onError: 'continueRegularOutput' },
			);
			expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'failed', reason: 'redirect', statusCode: 302 });
			expect(other.requests).toHaveLength(0);
			return wire(host.requests);
		},
	},
	{
		name: 'Allowed Hosts refuses a request to another host before anything is sent',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, { status: 200 });
			const result = await runWebhook(withTransport({ url: `${host.url}/x`, options: { allowedHosts: 'api.example.com' } }, transport), [item], {
				onError: 'continueRegularOutput',
			});
			expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'failed', reason: 'invalid-input' });
			expect(host.requests).toHaveLength(0);
			return [];
		},
	},
	{
		name: 'TLS: a self-signed certificate is refused, not retried, with the same error code',
		run: async (transport, cleanup) => {
			let received = 0;
			const tls = await startHttpServer({
				name: 'self-signed TLS host',
				tls: SELF_SIGNED,
				ttlMs: 60_000,
				maxRequests: 10,
				respond: ({ res }) => {
					received++;
					res.writeHead(200).end('ok');
				},
			});
			cleanup(tls.close);
			const result = await runWebhook(withTransport({ url: `${tls.url}/s` }, transport), [item], { onError: 'continueRegularOutput' });
			const [delivery] = deliveries(result.outputs[0]);
			expect(delivery).toMatchObject({ status: 'failed', reason: 'request-error', attempts: 1 });
			expect(delivery.message).toMatch(/could not be made \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
			expect(received).toBe(0);
			return [{ method: '', url: '', body: String(delivery.message).replace(/127\.0\.0\.1:\d+/, 'host') }];
		},
	},
	{
		name: 'Braze to Braze: one batch, Bearer key, 429 then 201, same JSON body',
		run: async (transport, cleanup) => {
			const braze = await BrazeStandIn.start({ apiKey: API_KEY });
			cleanup(async () => await braze.close());
			braze.queued.push({ status: 429, headers: { 'x-ratelimit-retry-after': '0' } });
			const parameters = withTransport(
				{
					operation: 'trackUser',
					externalId: '={{ $json.id }}',
					attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: '={{ $json.plan }}' }] },
				},
				transport,
			);
			const result = await runBrazeToBraze(braze, parameters, [
				{ id: 'user-1', plan: 'gold' },
				{ id: 'user-2', plan: 'free ✓' },
			]);
			expect(result.error).toBeUndefined();
			const out = brazeDeliveries(result.outputs[0] as INodeExecutionData[]);
			expect(out.map((delivery) => delivery.status)).toEqual(['sent', 'sent']);
			expect(out[0]).toMatchObject({ statusCode: 201, message: 'success', attempts: 2 });
			out.forEach((delivery) => expectTransport(delivery, transport));
			expect(braze.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
			expect(everything(result.outputs)).not.toContain(API_KEY);
			return wire(braze.requests);
		},
	},
	{
		name: 'cancelling the execution aborts the request in flight and closes its connection',
		run: async (transport, cleanup) => {
			let requests = 0;
			const host = await startHttpServer({
				name: 'never-answering host',
				ttlMs: 60_000,
				maxRequests: 10,
				// Never answers: only the cancellation can end the request, however loaded the machine.
				respond: () => {
					requests++;
				},
			});
			cleanup(host.close);
			const result = await runWebhook(withTransport({ url: `${host.url}/slow` }, transport), [item], {
				onStart: (cancel) => {
					const waitForRequest = async () => {
						while (requests === 0) await new Promise((resolve) => setImmediate(resolve));
						cancel();
					};
					void waitForRequest();
				},
			});
			expect(requests).toBe(1);
			expect(everything(result.error)).toMatch(/cancelled while a request was in flight/);
			// The client closed the socket: with keep-alive, an aborted request must not stay pooled.
			// Polled, bounded generously for a loaded machine; it ends as soon as the socket is gone.
			for (const started = Date.now(); host.openConnections() > 0 && Date.now() - started < 20_000; ) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(host.openConnections()).toBe(0);
			return [];
		},
	},
	{
		name: 'connections: a new one per request through n8n, reused through fetch',
		run: async (transport, cleanup) => {
			const host = await server(cleanup, { status: 200, body: { ok: true } });
			const items = Array.from({ length: 30 }, (_, index) => ({ user_id: `u-${index}` }));
			const result = await runWebhook(withTransport({ url: `${host.url}/c`, options: { concurrency: 3 } }, transport), items);
			expect(deliveries(result.outputs[0]).every((delivery) => delivery.status === 'sent')).toBe(true);
			expect(host.requests).toHaveLength(30);
			if (transport === 'n8n') expect(host.connectionsAccepted()).toBe(30);
			// At most one per request slot, and twice that if the pool opens one before the last is back.
			else expect(host.connectionsAccepted()).toBeLessThanOrEqual(6);
			return [];
		},
	},
];
