import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { DEFERRED_ITEMS_HINT } from '../../nodes/shared/n8n/item-outputs';
import { StaticDataStore } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, everything, runWebhook, statuses } from './helpers';
import { SEED_COUNTER, SEED_EVENT_PROPERTY } from '../support/braze-seeds';

const JSON_HEADERS = { header: [{ name: 'Content-Type', value: 'application/json' }] };

describe('Braze-Style Webhook node in the real engine', () => {
	let server: LoopbackServer;
	afterEach(async () => server?.close());

	it('sends the seed "event property as custom attribute" body exactly as Braze renders it', async () => {
		server = await startLoopbackServer({ status: 201, body: { message: 'success' } });
		const result = await runWebhook(
			{ url: `${server.url}/users/track`, bodyType: 'raw', rawBody: SEED_EVENT_PROPERTY, headers: JSON_HEADERS },
			[
				{ external_id: 'user-1', event_properties: { your_event_property: 'gold' } },
				{ user_id: 'user-2', event_properties: { your_event_property: 'silver' } },
			],
		);
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(server.requests[0].body).toBe(
			SEED_EVENT_PROPERTY.replace('{{${user_id}}}', 'user-1').replace(
				'{{event_properties.${your_event_property}}}',
				'gold',
			),
		);
		expect(server.requests[0].json).toEqual({
			attributes: [{ external_id: 'user-1', new_custom_attribute: 'gold' }],
		});
		expect(server.requests[0].method).toBe('POST');
		expect(server.requests[0].url).toBe('/users/track');
		expect(server.requests[0].headers['content-type']).toBe('application/json');
		expect(server.requests[1].json).toEqual({
			attributes: [{ external_id: 'user-2', new_custom_attribute: 'silver' }],
		});
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent']);
	});

	it('sends the seed counter body: assign with nested braces, plus 1', async () => {
		server = await startLoopbackServer({ status: 201, body: { message: 'success' } });
		const result = await runWebhook(
			{ url: `${server.url}/users/track`, bodyType: 'raw', rawBody: SEED_COUNTER, headers: JSON_HEADERS },
			[{ external_id: 'u-7', custom_attributes: { your_attribute_count: 4 } }],
		);
		expect(result.error).toBeUndefined();
		expect(server.requests[0].body).toBe(
			`\n{\n    "attributes": [\n        {\n        "external_id": "u-7",\n        "your_attribute_count": "5"\n        }\n    ]\n}`,
		);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'sent', statusCode: 201, attempts: 1 });
	});

	it('sends JSON key/value pairs and Liquid headers, one request per item, keeping the item fields', async () => {
		server = await startLoopbackServer({ status: 200, body: { received: true } });
		const result = await runWebhook(
			{
				url: `${server.url}/crm/contacts/{{\${user_id}}}?src=braze`,
				method: 'PUT',
				bodyType: 'keyValue',
				bodyPairs: {
					pair: [
						{ key: 'email', value: '{{${email_address}}}' },
						{ key: 'subscribed', value: '{{custom_attribute.${subscribed} | default: "unknown"}}' },
					],
				},
				headers: { header: [{ name: 'X-User', value: '{{${first_name} | upcase}}' }] },
			},
			[
				{ external_id: 'a1', email: 'a@example.com', first_name: 'Ann', custom_attributes: { subscribed: false } },
				{ external_id: 'b2', email: 'b@example.com', first_name: 'Bo' },
			],
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => [r.method, r.url, r.headers['x-user'], r.json])).toEqual([
			['PUT', '/crm/contacts/a1?src=braze', 'ANN', { email: 'a@example.com', subscribed: 'unknown' }],
			['PUT', '/crm/contacts/b2?src=braze', 'BO', { email: 'b@example.com', subscribed: 'unknown' }],
		]);
		expect(server.requests[0].headers['content-type']).toBe('application/json');
		const [first] = result.outputs[0];
		expect(first.json.external_id).toBe('a1');
		expect(first.json.delivery).toMatchObject({ status: 'sent', statusCode: 200, response: { received: true } });
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reads namespaces from fields pointed elsewhere with n8n expressions', async () => {
		server = await startLoopbackServer({ status: 200 });
		const result = await runWebhook(
			{
				url: `${server.url}/p`,
				bodyType: 'raw',
				rawBody: '{{${first_name}}}|{{custom_attribute.${plan}}}|{{event_properties.${sku}}}|{{${user_id}}}',
				templateData: {
					standardAttributes: '={{ $json.profile }}',
					customAttributes: '={{ $json.profile.attrs }}',
					eventProperties: '={{ { sku: $json.order.items[0] } }}',
				},
			},
			[
				{ profile: { first_name: 'Ana', external_id: 'x1', attrs: { plan: 'gold' } }, order: { items: ['A-1'] } },
				{ profile: { first_name: 'Ben', user_id: 'y2', attrs: {} }, order: { items: ['B-2'] } },
			],
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.body)).toEqual(['Ana|gold|A-1|x1', 'Ben||B-2|y2']);
	});

	it('gives every item exactly one status: sent, aborted, failed (continue), and deferred by the wait budget', async () => {
		server = await startLoopbackServer((request) => {
			const user = new URL(request.url, 'http://x').searchParams.get('u');
			if (user === 'bad') return { status: 400, body: { error: 'bad user' } };
			if (user === 'busy') return { status: 503, headers: { 'retry-after': '30' } };
			return { status: 200, body: { ok: true } };
		});
		const result = await runWebhook(
			{
				url: `${server.url}/hook?u={{\${user_id}}}`,
				bodyType: 'raw',
				rawBody: '{% if ${user_id} == "stop" %}{% abort_message("opted out") %}{% endif %}hello {{${user_id}}}',
				options: { waitBudgetMs: 1000 },
			},
			[{ user_id: 'ok' }, { user_id: 'stop' }, { user_id: 'bad' }, { user_id: 'busy' }],
			{ onError: 'continueRegularOutput' },
		);
		expect(result.error).toBeUndefined();
		const out = result.outputs[0];
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(statuses(out)).toEqual(['sent', 'aborted', 'failed', 'deferred']);
		expect(deliveries(out)[1]).toEqual({ status: 'aborted', reason: 'opted out', field: 'Raw Body' });
		expect(deliveries(out)[2]).toMatchObject({ status: 'failed', reason: 'client-error', statusCode: 400, attempts: 1 });
		expect(out[2].json.error).toMatch(/400/);
		const deferred = deliveries(out)[3];
		expect(deferred).toMatchObject({ status: 'deferred', reason: 'wait-budget', attempts: 1 });
		// 30 s after the 503 (less the second the Date header may round off), however long the run took.
		const busyAt = server.requests.find((r) => r.url === '/hook?u=busy')!.receivedAt;
		expect(Date.parse(String(deferred.retryAt))).toBeGreaterThanOrEqual(busyAt + 29_000);
		// the aborted item was never sent; the 400 was not retried; the 503 was tried once
		expect(server.requests.map((r) => r.url)).toEqual(['/hook?u=ok', '/hook?u=bad', '/hook?u=busy']);
		// The hint on routing deferred items shows because one was deferred, and only then.
		expect(result.hints.map((h) => h.message)).toEqual([DEFERRED_ITEMS_HINT]);
	});

	it('shows no deferral hint when nothing was deferred', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const result = await runWebhook({ url: `${server.url}/a` }, [{ user_id: '1' }]);
		expect(statuses(result.outputs[0])).toEqual(['sent']);
		expect(result.hints).toEqual([]);
	});

	it('an item waiting out a backoff does not hold up the items behind it', async () => {
		let firstAttempt = true;
		server = await startLoopbackServer((request) => {
			if (request.url.endsWith('u=slow') && firstAttempt) {
				firstAttempt = false;
				return { status: 503, headers: { 'retry-after': '1' } };
			}
			return { status: 200 };
		});
		const result = await runWebhook(
			{ url: `${server.url}/x?u={{\${user_id}}}`, options: { concurrency: 1 } },
			[{ user_id: 'slow' }, { user_id: 'a' }, { user_id: 'b' }, { user_id: 'c' }],
		);
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(server.requests.map((r) => r.url)).toEqual(['/x?u=slow', '/x?u=a', '/x?u=b', '/x?u=c', '/x?u=slow']);
		expect(server.requests[4].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(1000);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ attempts: 2 });
	});

	it('routes failed items to the error output when the node is set to use it', async () => {
		server = await startLoopbackServer((request) =>
			request.url.includes('u=2') ? { status: 404, body: 'no such user' } : { status: 204 },
		);
		const result = await runWebhook(
			{ url: `${server.url}/x?u={{\${user_id}}}` },
			[{ user_id: '1' }, { user_id: '2' }, { user_id: '3' }],
			{ onError: 'continueErrorOutput' },
		);
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent']);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json.user_id).toBe('2');
		// n8n's error output: the input fields merged with n8n-style {error, details}
		expect(result.outputs[1][0].json.error).toMatch(/404/);
		expect(result.outputs[1][0].json.details).toMatchObject({ status: 'failed', statusCode: 404, response: 'no such user' });
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	it('stops the workflow on a permanent failure by default, naming the item', async () => {
		server = await startLoopbackServer((request) =>
			request.url.includes('u=2') ? { status: 401, headers: { 'retry-after': '1' }, body: { message: 'no' } } : { status: 200 },
		);
		const result = await runWebhook({ url: `${server.url}/x?u={{\${user_id}}}`, options: { concurrency: 1 } }, [
			{ user_id: '1' },
			{ user_id: '2' },
			{ user_id: '3' },
		]);
		expect(result.error?.message).toMatch(/ \[item 1\]$/);
		expect(result.error?.message).toMatch(/401/);
		// a 401 is never retried, even with Retry-After, and nothing is sent after the failure
		expect(server.requests.map((r) => r.url)).toEqual(['/x?u=1', '/x?u=2']);
	});

	it('renders requests without sending them in a dry run, with secrets redacted', async () => {
		server = await startLoopbackServer({ status: 200 });
		const result = await runWebhook(
			{
				url: `${server.url}/x/{{\${user_id}}}`,
				bodyType: 'keyValue',
				bodyPairs: { pair: [{ key: 'name', value: '{{${first_name}}}' }] },
				headers: { header: [{ name: 'Authorization', value: 'Bearer pasted-secret-123' }, { name: 'X-Trace', value: 't-1' }] },
				options: { dryRun: true },
			},
			[{ user_id: 'u1', first_name: 'Zoë' }],
		);
		expect(server.requests).toHaveLength(0);
		expect(deliveries(result.outputs[0])[0]).toEqual({
			status: 'dryRun',
			request: {
				method: 'POST',
				url: `${server.url}/x/u1`,
				headers: { Authorization: '[redacted]', 'X-Trace': 't-1', 'Content-Type': 'application/json' },
				body: { name: 'Zoë' },
			},
		});
		expect(everything(result.outputs)).not.toContain('pasted-secret-123');
	});

	it("applies the credential's header, and never shows the secret even when the host echoes it", async () => {
		server = await startLoopbackServer((request) => ({
			status: 500,
			body: { echoed: request.headers.authorization, custom: request.headers['x-api-key'] },
		}));
		const bearer = await runWebhook(
			{ url: `${server.url}/a`, authentication: 'brazeWebhookAuthApi', options: { maxRetries: 1 } },
			[{ user_id: '1' }],
			{
				credentials: { brazeWebhookAuthApi: { authType: 'bearer', token: 'tok-very-secret-42' } },
				onError: 'continueRegularOutput',
			},
		);
		expect(server.requests.map((r) => r.headers.authorization)).toEqual([
			'Bearer tok-very-secret-42',
			'Bearer tok-very-secret-42',
		]);
		expect(deliveries(bearer.outputs[0])[0]).toMatchObject({ status: 'failed', reason: 'retries-exhausted', attempts: 2 });
		expect(everything(bearer)).not.toContain('tok-very-secret-42');

		const header = await runWebhook(
			{ url: `${server.url}/b`, authentication: 'brazeWebhookAuthApi', options: { maxRetries: 0 } },
			[{ user_id: '1' }],
			{ credentials: { brazeWebhookAuthApi: { authType: 'header', headerName: 'X-API-Key', headerSecret: 'hdr-secret-99' } } },
		);
		expect(server.requests.at(-1)?.headers['x-api-key']).toBe('hdr-secret-99');
		expect(header.error).toBeDefined();
		expect(everything(header)).not.toContain('hdr-secret-99');
	});

	it('keeps a secret typed into a header out of the output when the host echoes it', async () => {
		server = await startLoopbackServer((request) => ({ status: 200, body: { youSent: request.headers.authorization } }));
		const result = await runWebhook(
			{ url: `${server.url}/t`, headers: { header: [{ name: 'Authorization', value: 'Bearer typed-key-12345' }] } },
			[{ user_id: '1' }],
		);
		expect(server.requests[0].headers.authorization).toBe('Bearer typed-key-12345');
		expect(deliveries(result.outputs[0])[0].response).toEqual({ youSent: '[redacted]' });
		expect(everything(result.outputs)).not.toContain('typed-key-12345');
	});

	it('defers items while a host cools down, across two production executions', async () => {
		server = await startLoopbackServer({ status: 503 });
		const store = new StaticDataStore();
		const parameters = {
			url: `${server.url}/down`,
			options: { maxRetries: 0, cooldownMinRequests: 3, cooldownMs: 60_000, concurrency: 1 },
		};
		const users = Array.from({ length: 5 }, (_, i) => ({ user_id: `u${i}` }));
		const first = await runWebhook(parameters, users, { mode: 'trigger', staticData: store, onError: 'continueRegularOutput' });
		const sentInFirst = server.requests.length;
		// only static data may carry the state into the next execution (as after an n8n restart)
		resetProcessState();
		expect(sentInFirst).toBe(3);
		expect(statuses(first.outputs[0])).toEqual(['failed', 'failed', 'failed', 'deferred', 'deferred']);
		expect(deliveries(first.outputs[0])[3]).toMatchObject({ reason: 'host-cooldown', attempts: 0 });

		const second = await runWebhook(parameters, users, { mode: 'trigger', staticData: store, onError: 'continueRegularOutput' });
		expect(server.requests.length).toBe(sentInFirst);
		expect(statuses(second.outputs[0])).toEqual(['deferred', 'deferred', 'deferred', 'deferred', 'deferred']);
		expect(store.saves).toBeGreaterThanOrEqual(1);
	});
});
