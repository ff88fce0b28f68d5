import type { ConnectedContentAnswer, ConnectedContentRequest, LiquidNetwork, RenderResult } from '../../../nodes/shared/liquid';
import { parseConnectedContent } from '../../../nodes/shared/liquid/network/connected-content-call';
import { engine } from '../helpers';

/** A network answering from a table, recording every request it was asked for. */
function fakeNetwork(answer: (request: ConnectedContentRequest, retrying: boolean) => ConnectedContentAnswer) {
	const requests: Array<ConnectedContentRequest & { retrying: boolean }> = [];
	const network: LiquidNetwork = {
		connectedContent: async (request, { retrying }) => {
			requests.push({ ...request, retrying });
			return answer(request, retrying);
		},
		catalogItems: async (catalog, ids) => ids.filter((id) => id !== 'missing').map((id) => ({ id, catalog, title: `{{ 1 | plus: 1 }} ${id}` })),
	};
	return { network, requests };
}

const json = (body: unknown, statusCode = 200): ConnectedContentAnswer => ({
	kind: 'response',
	statusCode,
	body: JSON.stringify(body),
	contentType: 'application/json',
});

async function renderWith(source: string, network: LiquidNetwork, scope: Record<string, unknown> = {}): Promise<RenderResult> {
	return engine().compile(source, 'Body').renderAsync(scope, network);
}

async function outputWith(source: string, network: LiquidNetwork, scope: Record<string, unknown> = {}): Promise<string> {
	const result = await renderWith(source, network, scope);
	if (result.kind !== 'output') throw new Error(`expected output, got ${JSON.stringify(result)}`);
	return result.output;
}

describe('connected_content options (Braze reference table)', () => {
	test('GET by default with Braze default headers, cached 300 s', () => {
		const { request } = parseConnectedContent('https://api.example.com/x');
		expect(request).toMatchObject({ method: 'GET', headers: { 'Content-Type': 'application/json', Accept: '*/*' }, cacheSeconds: 300 });
		expect(request.body).toBeUndefined();
	});
	test('POST sends a form body by default and is not cached', () => {
		const { request } = parseConnectedContent('https://x.example/p :method post :body a=1&b=two');
		expect(request).toMatchObject({ method: 'POST', body: 'a=1&b=two', cacheSeconds: 0 });
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
	});
	test(':content_type sets Content-Type and Accept; a form body is JSON-encoded for application/json', () => {
		const { request } = parseConnectedContent('https://x.example/p :method post :body a=1&b=two+words :content_type application/json');
		expect(request.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json' });
		expect(JSON.parse(request.body as string)).toEqual({ a: '1', b: 'two words' });
	});
	test(':headers is a JSON object whose values keep their spaces', () => {
		const { request } = parseConnectedContent('https://x.example/p :headers {"Authorization": "Bearer a b", "X-Id": 7} :save r');
		expect(request.headers).toMatchObject({ Authorization: 'Bearer a b', 'X-Id': '7' });
	});
	test.each([
		[':cache_max_age 900', 900],
		[':cache_max_age 20', 300],
		[':cache_max_age 99999', 14_400],
		[':no_cache', 0],
	])('GET %s caches %i s', (option, seconds) => {
		expect(parseConnectedContent(`https://x.example ${option}`).request.cacheSeconds).toBe(seconds);
	});
	test('POST is cached only with :cache_max_age (or :cache)', () => {
		expect(parseConnectedContent('https://x.example :method post :cache_max_age 600').request.cacheSeconds).toBe(600);
		expect(parseConnectedContent('https://x.example :method post :cache').request.cacheSeconds).toBe(300);
	});
	test('the cache key is method + URL + body + auth name', () => {
		const a = parseConnectedContent('https://x.example :method post :body a=1 :auth_credentials one').request.cacheKey;
		const b = parseConnectedContent('https://x.example :method post :body a=1 :auth_credentials two').request.cacheKey;
		const c = parseConnectedContent('https://x.example :method post :body a=2 :auth_credentials one').request.cacheKey;
		expect(new Set([a, b, c]).size).toBe(3);
		expect(parseConnectedContent('https://x.example :basic_auth one').request.auth).toEqual({ kind: 'basic', name: 'one' });
	});
	test.each([
		['', 'the URL is missing'],
		['ftp://x', 'must start with http'],
		['https://x :method put', '":method" is get or post'],
		['https://x :headers {nope}', '":headers" must be a JSON object'],
		['https://x :save', '":save" needs a value'],
		['https://x :retry now', '":retry" takes no value'],
		['https://x :basic_auth a :auth_credentials b', 'not both'],
	])('%j is refused: %s', (markup, reason) => {
		expect(() => parseConnectedContent(markup)).toThrow(reason);
	});
});

describe('connected_content rendering', () => {
	test('a JSON answer goes into `connected` with __http_status_code__, Liquid in the URL rendered first', async () => {
		const { network, requests } = fakeNetwork(() => json({ name: 'Ada' }));
		const out = await outputWith(
			'{% connected_content https://x.example/u/{{${user_id}}}?n=${first_name} %}Hi {{connected.name}} {{connected.__http_status_code__}}',
			network,
			{ user_id: 'u1', first_name: 'Bo' },
		);
		expect(out).toBe('Hi Ada 200');
		expect(requests[0].url).toBe('https://x.example/u/u1?n=Bo');
	});
	test(':save names the variable; arrays have no status code', async () => {
		const { network } = fakeNetwork(() => json([1, 2]));
		expect(await outputWith('{% connected_content https://x.example :save list %}{{list | size}}{{list.__http_status_code__}}', network)).toBe('2');
	});
	test('a non-JSON answer is inserted as text', async () => {
		const { network } = fakeNetwork(() => ({ kind: 'response', statusCode: 200, body: 'plain words', contentType: 'text/plain' }));
		expect(await outputWith('[{% connected_content https://x.example %}]', network)).toBe('[plain words]');
	});
	test('404 renders empty and leaves the variable nil', async () => {
		const { network } = fakeNetwork(() => ({ kind: 'response', statusCode: 404, body: 'gone', contentType: 'text/plain' }));
		expect(await outputWith('[{% connected_content https://x.example :save r %}]{% if r == nil %}nil{% endif %}', network)).toBe('[]nil');
	});
	test('tags inside capture, if and for; a token saved by one call used in the next call\'s headers', async () => {
		const { network, requests } = fakeNetwork((request) =>
			request.url.endsWith('/token') ? json({ token: 'T1' }) : json({ ok: request.headers.Authorization }),
		);
		const source = [
			'{% capture c %}{% connected_content https://x.example/token :save auth %}{% endcapture %}',
			'{% for i in (1..2) %}{% if i == 2 %}{% connected_content https://x.example/data :headers {"Authorization": "Bearer {{auth.token}}"} :save d %}{% endif %}{% endfor %}',
			'{{d.ok}}',
		].join('');
		expect(await outputWith(source, network)).toBe('Bearer T1');
		expect(requests.map((r) => r.url)).toEqual(['https://x.example/token', 'https://x.example/data']);
	});
	test(':rerender renders Liquid in the answer one level deep', async () => {
		const { network } = fakeNetwork(() => ({ kind: 'response', statusCode: 200, body: 'Hi {{${first_name}}}{% connected_content https://deeper %}', contentType: 'text/plain' }));
		expect(await outputWith('{% connected_content https://x.example :rerender %}', network, { first_name: 'Ada' })).toBe('Hi Ada');
	});
	test(':retry: a failed call is retried in a second render, then the item is aborted naming the host and answer', async () => {
		const { network, requests } = fakeNetwork(() => ({ kind: 'failed', retriable: true, host: 'x.example', lastAnswer: 'HTTP 503' }));
		const result = await renderWith('{% connected_content https://x.example :retry %}{{connected}}', network);
		expect(result).toEqual({ kind: 'abort', network: true, reason: 'connected_content to x.example failed after its retries: HTTP 503' });
		expect(requests.map((r) => r.retrying)).toEqual([false, true]);
	});
	test(':retry that succeeds on the second render outputs normally', async () => {
		const { network } = fakeNetwork((_, retrying) => (retrying ? json({ v: 'ok' }) : { kind: 'failed', retriable: true, host: 'x.example', lastAnswer: 'HTTP 500' }));
		expect(await outputWith('{% connected_content https://x.example :retry %}{{connected.v}}', network)).toBe('ok');
	});
	test('an abort_message testing the same failure wins: no retries', async () => {
		const { network, requests } = fakeNetwork(() => ({ kind: 'failed', retriable: true, host: 'x.example', lastAnswer: 'HTTP 503' }));
		const result = await renderWith("{% connected_content https://x.example :retry %}{% if connected == nil %}{% abort_message('no data') %}{% endif %}", network);
		expect(result).toEqual({ kind: 'abort', reason: 'no data' });
		expect(requests).toHaveLength(1);
	});
	test('without :retry a failure renders nothing and the variable is nil', async () => {
		const { network, requests } = fakeNetwork(() => ({ kind: 'failed', retriable: true, host: 'x.example', lastAnswer: 'timed out' }));
		expect(await outputWith('[{% connected_content https://x.example %}]{{connected}}', network)).toBe('[]');
		expect(requests).toHaveLength(1);
	});
	test('a template without network tags renders synchronously; one with them refuses the sync path', () => {
		const liquid = engine();
		expect(liquid.compile('{{a}}', 'Body').usesNetwork).toBe(false);
		const template = liquid.compile('{% connected_content https://x.example %}', 'Body');
		expect(template.usesNetwork).toBe(true);
		const result = template.render({});
		expect(result.kind).toBe('error');
	});
	test('connected_content as a line of {% liquid %} is refused with a clear message', () => {
		expect(() => engine().compile('{% liquid\necho 1\nconnected_content https://x.example :save r\n%}', 'Body')).toThrow('must be written as its own tag');
	});
	test('catalog_items exposes `items`; unknown ids give none; :rerender renders item Liquid', async () => {
		const { network } = fakeNetwork(() => json({}));
		const out = await outputWith('{% catalog_items games {{id}} missing :rerender %}{{items | size}} {{items[0].title}}', network, { id: 'g1' });
		expect(out).toBe('1 2 g1');
	});
});
