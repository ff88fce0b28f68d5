/**
 * connected_content in the Braze-Style Webhook node, run in n8n-core's real engine against loopback
 * stand-ins: the rows of Braze's reference table (braze-liquid-network.md §1.1).
 */
import type { INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { resetResponseCache } from '../../nodes/shared/liquid-network/response-cache';
import type { LoopbackServer } from '../harness/loopback-server';
import { everything, runWebhook } from '../webhook/helpers';
import { ANY_PORT, deliveryOf, dryRunBody, startApi } from './helpers';

let api: Awaited<ReturnType<typeof startApi>>;
let target: LoopbackServer & { hits: (path: string) => number };
const TOKEN_SECRET = 'tok-secret-4711';
const BASIC_PASSWORD = 'pw-secret-0815';

beforeAll(async () => {
	api = await startApi({
		'/token': (r) => ({ status: 200, body: { access_token: `T-${r.headers['x-api-key'] === TOKEN_SECRET ? 'ok' : 'anon'}` } }),
		'/profile': () => ({ status: 200, body: { plan: 'gold' } }),
		'/profile/*': (r) => ({ status: 200, body: { id: r.url.split('/').pop() } }),
		'/text': () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'plain words' }),
		'/gone': () => ({ status: 404, body: 'nope' }),
		'/broken': () => ({ status: 503, body: 'down' }),
		'/slow': () => ({ hang: true }),
		'/huge': () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024 * 1024 + 10) }),
		'/moved': () => ({ status: 302, headers: { location: `${api.url}/profile` } }),
		'/echo': (r) => ({ status: 200, body: { method: r.method, contentType: r.headers['content-type'], accept: r.headers.accept, body: r.body, auth: r.headers.authorization ?? null } }),
	});
	target = await startApi({ '/hook': () => ({ status: 200, body: { ok: true } }) });
});
afterAll(async () => {
	await api.close();
	await target.close();
});
beforeEach(() => {
	resetProcessState();
	resetResponseCache();
	api.requests.length = 0;
	target.requests.length = 0;
});

const dryRun = (rawBody: string, connectedContent: INodeParameters = ANY_PORT, options: INodeParameters = {}): INodeParameters => ({
	url: `${target.url}/hook`,
	bodyType: 'raw',
	rawBody,
	connectedContent,
	options: { dryRun: true, ...options },
});

describe('connected_content in the webhook node (Braze reference table)', () => {
	test('a token fetched in a header is sent with the webhook; default GET headers reach the host', async () => {
		const result = await runWebhook(
			{
				url: `${target.url}/hook`,
				bodyType: 'raw',
				rawBody: '{"plan": "{{connected.plan}}"}{% connected_content ' + api.url + '/profile %}',
				headers: { header: [{ name: 'Authorization', value: `{% connected_content ${api.url}/token :save t %}Bearer {{t.access_token}}` }] },
				connectedContent: ANY_PORT,
			},
			[{ user_id: 'u1' }],
		);
		expect(result.error).toBeUndefined();
		expect(deliveryOf(result.outputs[0][0]).status).toBe('sent');
		expect(target.requests[0].headers.authorization).toBe('Bearer T-anon');
		expect(api.requests.find((r) => r.url === '/token')?.headers).toMatchObject({ 'content-type': 'application/json', accept: '*/*' });
		// Saved variables are visible only in the field that made the call.
		expect(target.requests[0].body).toBe('{"plan": ""}');
	});

	test('JSON into connected with __http_status_code__; non-JSON inserted as text; 404 renders empty', async () => {
		const body = `{% connected_content ${api.url}/profile %}{{connected.plan}}/{{connected.__http_status_code__}}|{% connected_content ${api.url}/text %}|[{% connected_content ${api.url}/gone :save g %}]{{g}}`;
		const result = await runWebhook(dryRun(body), [{}]);
		expect(dryRunBody(result.outputs[0][0])).toBe('gold/200|plain words|[]');
		const calls = deliveryOf(result.outputs[0][0]).connectedContent as Array<Record<string, unknown>>;
		expect(calls.map((c) => c.statusCode)).toEqual([200, 200, 404]);
		expect(calls[0].answer).toEqual({ plan: 'gold' });
	});

	test('POST: form body by default, JSON-encoded with :content_type application/json; no call in a dry run unless opted in', async () => {
		const template = (ct: string) => `{% connected_content ${api.url}/echo :method post :body a=1&b=x+y ${ct} :save r %}{{r.method}} {{r.contentType}} {{r.accept}} {{r.body}}`;
		const form = await runWebhook(dryRun(template(''), { ...ANY_PORT, dryRunPost: true }), [{}]);
		expect(dryRunBody(form.outputs[0][0])).toBe('POST application/x-www-form-urlencoded */* a=1&b=x+y');
		const json = await runWebhook(dryRun(template(':content_type application/json'), { ...ANY_PORT, dryRunPost: true }), [{}]);
		expect(dryRunBody(json.outputs[0][0])).toBe('POST application/json application/json {"a":"1","b":"x y"}');
		api.requests.length = 0;
		const skipped = await runWebhook(dryRun(template('')), [{}]);
		expect(api.requests).toHaveLength(0);
		expect(JSON.stringify(deliveryOf(skipped.outputs[0][0]).connectedContent)).toContain('not called');
	});

	test('GET answers are cached across 1,000 items and two executions; distinct URLs once each', async () => {
		const body = `{% connected_content ${api.url}/profile %}{% connected_content ${api.url}/profile/{{\${user_id}}} :save p %}{{connected.plan}}-{{p.id}}`;
		const items = Array.from({ length: 1000 }, (_, i) => ({ user_id: `u${i % 10}` }));
		for (let execution = 0; execution < 2; execution++) {
			const result = await runWebhook(dryRun(body, { ...ANY_PORT }, { concurrency: 50 }), items);
			expect(result.outputs[0]).toHaveLength(1000);
			expect(dryRunBody(result.outputs[0][999])).toBe('gold-u9');
		}
		expect(api.hits('/profile')).toBe(1);
		expect(api.requests.filter((r) => r.url.startsWith('/profile/'))).toHaveLength(10);
	}, 120_000);

	test(':no_cache fetches for every item', async () => {
		await runWebhook(dryRun(`{% connected_content ${api.url}/profile :no_cache %}{{connected.plan}}`), [{}, {}, {}]);
		expect(api.hits('/profile')).toBe(3);
	});

	test(':retry retries up to 5 times, then the item is aborted naming the host and the last answer', async () => {
		const result = await runWebhook(
			{ url: `${target.url}/hook`, bodyType: 'raw', rawBody: `{% connected_content ${api.url}/broken :retry %}{{connected}}`, connectedContent: ANY_PORT },
			[{}],
		);
		expect(deliveryOf(result.outputs[0][0])).toMatchObject({ status: 'aborted' });
		expect(String(deliveryOf(result.outputs[0][0]).reason)).toBe(`connected_content to 127.0.0.1:${api.port} failed after its retries: HTTP 503`);
		expect(api.hits('/broken')).toBe(6);
		expect(target.requests).toHaveLength(0);
	}, 120_000);

	test('an abort_message testing the same failure wins: aborted with its reason, no retries', async () => {
		const rawBody = `{% connected_content ${api.url}/broken :retry %}{% if connected == nil %}{% abort_message('profile unavailable') %}{% endif %}`;
		const result = await runWebhook({ url: `${target.url}/hook`, bodyType: 'raw', rawBody, connectedContent: ANY_PORT }, [{}]);
		expect(deliveryOf(result.outputs[0][0])).toMatchObject({ status: 'aborted', reason: 'profile unavailable' });
		expect(api.hits('/broken')).toBe(1);
	});

	test('an answer slower than the 2 s default timeout is not inserted', async () => {
		const result = await runWebhook(dryRun(`[{% connected_content ${api.url}/slow %}]{{connected}}`, { allowedPorts: '*' }), [{}]);
		expect(dryRunBody(result.outputs[0][0])).toBe('[]');
		expect(JSON.stringify(deliveryOf(result.outputs[0][0]).connectedContent)).toContain('timed out');
	}, 60_000);

	test('an answer over 1 MB is not inserted', async () => {
		const result = await runWebhook(dryRun(`[{% connected_content ${api.url}/huge %}]`), [{}]);
		expect(dryRunBody(result.outputs[0][0])).toBe('[]');
		expect(JSON.stringify(deliveryOf(result.outputs[0][0]).connectedContent)).toContain('over the 1 MB limit');
	});

	test('a redirect is not followed', async () => {
		const result = await runWebhook(dryRun(`[{% connected_content ${api.url}/moved %}]{{connected.plan}}`), [{}]);
		expect(dryRunBody(result.outputs[0][0])).toBe('[]');
		expect(api.hits('/profile')).toBe(0);
		expect(JSON.stringify(deliveryOf(result.outputs[0][0]).connectedContent)).toContain('redirect');
	});

	test("the node's Allowed Hosts and Braze's ports apply to connected_content", async () => {
		const hosts = await runWebhook(
			{ ...dryRun(`{% connected_content ${api.url}/profile %}`, ANY_PORT, { allowedHosts: 'api.example.com' }), url: 'https://api.example.com/hook' },
			[{}],
			{ onError: 'continueRegularOutput' },
		);
		expect(String(hosts.outputs[0][0].json.error)).toContain(`connected_content: host "127.0.0.1" is not in this node's Allowed Hosts (api.example.com)`);
		const ports = await runWebhook(dryRun(`{% connected_content ${api.url}/profile %}`, {}), [{}], { onError: 'continueRegularOutput' });
		expect(String(ports.outputs[0][0].json.error)).toContain(`port ${api.port} is not allowed`);
		expect(api.requests).toHaveLength(0);
	});

	test('named credentials: applied only to their domain, secrets absent from every output', async () => {
		const entries = JSON.stringify([
			{ name: 'key', domain: '127.0.0.1', headers: { 'X-Api-Key': TOKEN_SECRET } },
			{ name: 'basic', domain: '127.0.0.1', username: 'user', password: BASIC_PASSWORD },
			{ name: 'elsewhere', domain: 'api.example.com', headers: { 'X-Api-Key': TOKEN_SECRET } },
		]);
		const credentials = { brazeConnectedContentApi: { secrets: entries } };
		const rawBody = `{% connected_content ${api.url}/token :auth_credentials key :save t %}{% connected_content ${api.url}/echo :basic_auth basic :save e %}{{t.access_token}} {{e.auth}}`;
		const sent = await runWebhook({ url: `${target.url}/hook`, bodyType: 'raw', rawBody, connectedContent: ANY_PORT }, [{}], { credentials });
		expect(target.requests[0].body).toBe(`T-ok Basic ${Buffer.from(`user:${BASIC_PASSWORD}`).toString('base64')}`);
		const shown = await runWebhook(dryRun(rawBody), [{}], { credentials });
		const elsewhere = await runWebhook(dryRun(`{% connected_content ${api.url}/token :auth_credentials elsewhere %}`), [{}], {
			credentials,
			onError: 'continueRegularOutput',
		});
		expect(String(elsewhere.outputs[0][0].json.error)).toContain('"elsewhere" may only be sent to api.example.com, not to 127.0.0.1');
		const unknown = await runWebhook(dryRun(`{% connected_content ${api.url}/token :auth_credentials nope %}`), [{}], { onError: 'continueRegularOutput' });
		expect(String(unknown.outputs[0][0].json.error)).toContain('needs a Braze Connected Content API credential');
		for (const result of [sent, shown, elsewhere]) {
			const text = everything(result);
			expect(text).not.toContain(TOKEN_SECRET);
			expect(text).not.toContain(BASIC_PASSWORD);
			expect(text).not.toContain(Buffer.from(`user:${BASIC_PASSWORD}`).toString('base64'));
		}
		expect(JSON.stringify(deliveryOf(shown.outputs[0][0]).connectedContent)).toContain('key (redacted)');
	});

	test('connected_content feeds the host cooldown; a paused host fails fast and :retry aborts the item', async () => {
		const items = Array.from({ length: 30 }, () => ({}));
		await runWebhook(dryRun(`{% connected_content ${api.url}/broken :no_cache %}`), items);
		// The cooldown trips within the run: past 20 requests, most failing, the rest fail fast.
		expect(api.hits('/broken')).toBeGreaterThanOrEqual(20);
		expect(api.hits('/broken')).toBeLessThan(30);
		const paused = await runWebhook(
			{ url: `${target.url}/hook`, bodyType: 'raw', rawBody: `{% connected_content ${api.url}/profile :retry %}{{connected.plan}}`, connectedContent: ANY_PORT },
			[{}],
		);
		expect(api.hits('/profile')).toBe(0);
		expect(deliveryOf(paused.outputs[0][0]).status).toBe('aborted');
		expect(String(deliveryOf(paused.outputs[0][0]).reason)).toContain(`connected_content to 127.0.0.1:${api.port} failed after its retries: Requests to 127.0.0.1:${api.port} are paused until`);
		expect(target.requests).toHaveLength(0);
	}, 60_000);
});
