/**
 * What n8n 2.41's request helpers actually return and throw for each failure kind, measured inside
 * the real engine, and how classifyRequestError reads each shape. If n8n changes these shapes, this
 * file says so before the delivery tests start failing for obscure reasons.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { classifyRequestError } from '../../nodes/shared/delivery/classify';
import { executeNode, registerNodeType } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { defineTestNode } from '../support/test-node';

interface Observation {
	returned?: { statusCode: number; headers: Record<string, unknown>; body: unknown };
	thrown?: {
		constructorName: string;
		code?: string;
		httpCode?: string;
		causeConstructor?: string;
		causeCode?: string;
		classified: ReturnType<typeof classifyRequestError>;
	};
	ms: number;
}

const observations: Observation[] = [];

const rawRequest = defineTestNode({
	name: 'rawRequest',
	displayName: 'Raw Request',
	description: 'Calls the helpers directly (tests only)',
	credentials: ['brazeApi'],
	async execute() {
		const items = this.getInputData();
		for (const item of items) {
			const options = item.json.options as unknown as IHttpRequestOptions;
			const started = Date.now();
			try {
				const returned = item.json.authenticated
					? await this.helpers.httpRequestWithAuthentication.call(this, 'brazeApi', { ...options })
					: await this.helpers.httpRequest({ ...options, abortSignal: this.getExecutionCancelSignal() });
				observations.push({ returned, ms: Date.now() - started });
			} catch (error) {
				const e = error as { constructor: { name: string }; code?: string; httpCode?: string; cause?: { constructor: { name: string }; code?: string } };
				observations.push({
					thrown: {
						constructorName: e.constructor.name,
						code: e.code,
						httpCode: e.httpCode,
						causeConstructor: e.cause?.constructor.name,
						causeCode: e.cause?.code,
						classified: classifyRequestError(error),
					},
					ms: Date.now() - started,
				});
			}
		}
		return [items.map((item, index) => ({ json: {}, pairedItem: { item: index } }))];
	},
});
const RAW_TYPE = rawRequest.type;

registerNodeType(rawRequest);

const base = {
	method: 'POST',
	body: { a: 1 },
	json: true,
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
	disableFollowRedirect: true,
};

describe('n8n request helpers (measured)', () => {
	let server: LoopbackServer;
	beforeEach(async () => {
		observations.length = 0;
		server = await startLoopbackServer((request) => {
			if (request.url === '/slow') return { hang: true };
			if (request.url === '/drop') return { drop: true };
			if (request.url === '/moved') return { status: 301, headers: { location: '/elsewhere' } };
			return { status: 503, headers: { 'Retry-After': '7' }, body: 'busy' };
		});
	});
	afterEach(async () => server.close());

	async function observe(options: object, authenticated: boolean): Promise<Observation> {
		await executeNode(
			{ type: RAW_TYPE, parameters: {}, credentials: { brazeApi: { id: '1', name: 'Braze' } } },
			[{ options: { ...base, ...options }, authenticated }],
			{ credentials: { brazeApi: { apiKey: 'k', instance: 'custom', customUrl: server.url } } },
		);
		return observations[observations.length - 1];
	}

	it.each([false, true])('an HTTP error status is returned, not thrown (authenticated: %s)', async (authenticated) => {
		const seen = await observe({ url: `${server.url}/busy` }, authenticated);
		expect(seen.thrown).toBeUndefined();
		expect(seen.returned).toMatchObject({ statusCode: 503, body: 'busy', headers: { 'retry-after': '7' } });
	});

	it.each([false, true])('a redirect is returned as is with disableFollowRedirect (authenticated: %s)', async (authenticated) => {
		const seen = await observe({ url: `${server.url}/moved` }, authenticated);
		expect(seen.returned).toMatchObject({ statusCode: 301, headers: { location: '/elsewhere' } });
		expect(server.requests.map((r) => r.url)).toEqual(['/moved']);
	});

	it('httpRequest throws the axios error itself', async () => {
		expect((await observe({ url: `${server.url}/slow`, timeout: 200 }, false)).thrown).toEqual({
			constructorName: 'AxiosError',
			code: 'ECONNABORTED',
			httpCode: undefined,
			causeConstructor: undefined,
			causeCode: undefined,
			classified: { kind: 'timeout', code: 'ECONNABORTED' },
		});
		expect((await observe({ url: `${server.url}/drop` }, false)).thrown).toMatchObject({
			constructorName: 'AxiosError',
			code: 'ECONNRESET',
			causeCode: 'ECONNRESET',
			classified: { kind: 'connection', code: 'ECONNRESET' },
		});
		expect((await observe({ url: 'http://127.0.0.1:1/refused' }, false)).thrown).toMatchObject({
			constructorName: 'AxiosError',
			code: 'ECONNREFUSED',
			classified: { kind: 'connection', code: 'ECONNREFUSED' },
		});
	});

	it('httpRequestWithAuthentication wraps it in a NodeApiError: code in httpCode, axios error in cause', async () => {
		expect((await observe({ url: `${server.url}/slow`, timeout: 200 }, true)).thrown).toEqual({
			constructorName: 'NodeApiError',
			code: undefined,
			httpCode: 'ECONNABORTED',
			causeConstructor: 'AxiosError',
			causeCode: 'ECONNABORTED',
			classified: { kind: 'timeout', code: 'ECONNABORTED' },
		});
		expect((await observe({ url: `${server.url}/drop` }, true)).thrown).toMatchObject({
			constructorName: 'NodeApiError',
			httpCode: 'ECONNRESET',
			causeCode: 'ECONNRESET',
			classified: { kind: 'connection' },
		});
		expect((await observe({ url: 'http://127.0.0.1:1/refused' }, true)).thrown).toMatchObject({
			constructorName: 'NodeApiError',
			httpCode: 'ECONNREFUSED',
			classified: { kind: 'connection', code: 'ECONNREFUSED' },
		});
	});

	it('the timeout fires at the set time', async () => {
		const seen = await observe({ url: `${server.url}/slow`, timeout: 200 }, false);
		expect(seen.thrown?.classified.kind).toBe('timeout');
		expect(seen.ms).toBeGreaterThanOrEqual(190);
		// Milliseconds, not seconds (200 s); wide, for a starved event loop.
		expect(seen.ms).toBeLessThan(20_000);
	});

	it('cancelling the execution aborts an in-flight request with ERR_CANCELED', async () => {
		await executeNode({ type: RAW_TYPE, parameters: {} }, [{ options: { ...base, url: `${server.url}/slow` } }], {
			onStart: (cancel) => setTimeout(cancel, 200),
		});
		const seen = observations[observations.length - 1];
		expect(seen.thrown?.code).toBe('ERR_CANCELED');
		expect(seen.thrown?.classified.kind).toBe('cancelled');
		// The server never answers /slow, so ERR_CANCELED can only come from the cancellation, however late.
	});
});
