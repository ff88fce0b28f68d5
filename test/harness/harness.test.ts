import { sleep, type INodeExecutionData } from 'n8n-workflow';

import { defineTestNode } from '../support/test-node';
import { executeNode, registerNodeType, StaticDataStore } from './engine';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

/** A node that exists only to prove the harness: it sends one authenticated request per item. */
const probe = defineTestNode({
	name: 'probe',
	displayName: 'Probe',
	description: 'Harness probe',
	credentials: ['brazeApi'],
	properties: [
		{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		{ displayName: 'Wait', name: 'waitMs', type: 'number', default: 0 },
	],
	async execute() {
		const items = this.getInputData();
		const counter = this.getWorkflowStaticData('global');
		counter.runs = ((counter.runs as number | undefined) ?? 0) + 1;
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const waitMs = this.getNodeParameter('waitMs', i) as number;
			if (waitMs) await sleep(waitMs, this.getExecutionCancelSignal());
			const url = this.getNodeParameter('url', i) as string;
			if (!url) {
				out.push({ json: { runs: counter.runs }, pairedItem: { item: i } });
				continue;
			}
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'brazeApi', {
				url,
				method: 'POST',
				body: items[i].json,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body: unknown; headers: Record<string, string> };
			out.push({
				json: { statusCode: response.statusCode, body: response.body as never, runs: counter.runs },
				pairedItem: { item: i },
			});
		}
		return [out];
	},
});
const PROBE_TYPE = probe.type;

registerNodeType(probe);

describe('real-engine harness', () => {
	let server: LoopbackServer;
	afterEach(async () => server?.close());

	it('resolves an expression parameter per item and applies a generic Bearer credential', async () => {
		server = await startLoopbackServer({ status: 201, body: { message: 'success' } });
		const result = await executeNode(
			{
				type: PROBE_TYPE,
				parameters: { url: `=${server.url}/users/{{ $json.user }}` },
				credentials: { brazeApi: { id: '1', name: 'Braze' } },
			},
			[{ user: 'a' }, { user: 'b' }],
			{ credentials: { brazeApi: { apiKey: 'secret-key-123', instance: 'custom', customUrl: server.url } } },
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.url)).toEqual(['/users/a', '/users/b']);
		expect(server.requests.map((r) => r.headers.authorization)).toEqual([
			'Bearer secret-key-123',
			'Bearer secret-key-123',
		]);
		expect(server.requests[1].json).toEqual({ user: 'b' });
		expect(result.outputs[0].map((item) => item.json.statusCode)).toEqual([201, 201]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('carries static data from one production execution to the next, but not from a manual one', async () => {
		const store = new StaticDataStore();
		const spec = { type: PROBE_TYPE, parameters: { url: '' } };
		const first = await executeNode(spec, [{}], { mode: 'trigger', staticData: store });
		const second = await executeNode(spec, [{}], { mode: 'trigger', staticData: store });
		expect(first.outputs[0][0].json.runs).toBe(1);
		expect(second.outputs[0][0].json.runs).toBe(2);
		expect(store.saved).toEqual({ global: { runs: 2 } });

		const manual = await executeNode(spec, [{}], { mode: 'manual', staticData: store });
		expect(manual.outputs[0][0].json.runs).toBe(3);
		expect(store.saved).toEqual({ global: { runs: 2 } });
	});

	it('records scripted answers: status, headers, delay and a dropped connection', async () => {
		server = await startLoopbackServer([
			{ status: 429, headers: { 'retry-after': '3' }, body: { message: 'slow down' } },
			{ status: 200, delayMs: 50, body: 'plain' },
			{ drop: true },
		]);
		const first = await fetch(`${server.url}/a`, { method: 'POST', body: '{"x":1}' });
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('3');
		const started = Date.now();
		const second = await fetch(`${server.url}/b`);
		expect(await second.text()).toBe('plain');
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
		await expect(fetch(`${server.url}/c`)).rejects.toThrow();
		expect(server.requests.map((r) => [r.method, r.url])).toEqual([
			['POST', '/a'],
			['GET', '/b'],
			['GET', '/c'],
		]);
		expect(server.requests[0].json).toEqual({ x: 1 });
	});

	it('cancels a running execution, which aborts the sleep on the cancel signal', async () => {
		const started = Date.now();
		const result = await executeNode(
			{ type: PROBE_TYPE, parameters: { url: '', waitMs: 30_000 } },
			[{}],
			{ onStart: (cancel) => setTimeout(cancel, 100) },
		);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
	});
});
