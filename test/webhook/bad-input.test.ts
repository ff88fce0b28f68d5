import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { expectOutcome, withCaseClock } from '../support/bad-input';
import { PLACEHOLDER, webhookCases } from './bad-input-cases';
import { deliveries, runWebhook, statuses } from './helpers';

describe('Braze-Style Webhook: bad input fails its item with a clear error, the others go on', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		server = await startLoopbackServer({ status: 200, body: { ok: true } });
	});
	afterAll(async () => server.close());

	async function runWithOneBadItem(parameters: INodeParameters, items: IDataObject[]) {
		const before = server.requests.length;
		const result = await runWebhook(parameters, items, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const out = result.outputs[0];
		expect(out).toHaveLength(items.length);
		expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		return { out, sent: server.requests.slice(before) };
	}

	it('a URL that is not a URL after rendering', async () => {
		const { out, sent } = await runWithOneBadItem({ url: '{{${endpoint}}}/hook' }, [
			{ endpoint: server.url },
			{ endpoint: 'not a host' },
			{ endpoint: server.url },
		]);
		expect(statuses(out)).toEqual(['sent', 'failed', 'sent']);
		expect(out[1].json.error).toBe('Webhook URL: "not a host/hook" is not a valid URL after rendering [item 1]');
		expect(deliveries(out)[1]).toMatchObject({ status: 'failed', reason: 'invalid-input' });
		expect(sent).toHaveLength(2);
	});

	it('a URL with a scheme other than http or https', async () => {
		const { out } = await runWithOneBadItem({ url: '{{${endpoint}}}' }, [
			{ endpoint: 'file:///etc/passwd' },
			{ endpoint: `${server.url}/ok` },
		]);
		expect(statuses(out)).toEqual(['failed', 'sent']);
		expect(out[0].json.error).toBe('Webhook URL: the URL must start with http:// or https://, not file:// [item 0]');
	});

	it('a host outside the allowed hosts', async () => {
		const { out } = await runWithOneBadItem(
			{ url: '{{${endpoint}}}', options: { allowedHosts: '127.0.0.1, *.example.com' } },
			[{ endpoint: `${server.url}/ok` }, { endpoint: 'https://evil.test/x' }],
		);
		expect(statuses(out)).toEqual(['sent', 'failed']);
		expect(out[1].json.error).toMatch(/host "evil.test" is not in this node's Allowed Hosts/);
	});

	it('a header value that renders a line break', async () => {
		const { out } = await runWithOneBadItem(
			{ url: `${server.url}/h`, headers: { header: [{ name: 'X-Name', value: '{{${first_name}}}' }] } },
			[{ first_name: 'Ann' }, { first_name: 'Eve\r\nX-Injected: 1' }],
		);
		expect(statuses(out)).toEqual(['sent', 'failed']);
		expect(out[1].json.error).toBe(
			'Header "X-Name": the value contains a line break (CR or LF) at character 4 after rendering, which would split the header [item 1]',
		);
	});

	it('a JSON body that no longer parses after rendering, with its line and column', async () => {
		const { out, sent } = await runWithOneBadItem(
			{
				url: `${server.url}/j`,
				bodyType: 'raw',
				rawBody: '{\n  "name": "{{${first_name}}}",\n  "n": {{custom_attribute.${n}}}\n}',
				headers: { header: [{ name: 'Content-Type', value: 'application/json' }] },
			},
			[
				{ first_name: 'Ann', custom_attributes: { n: 3 } },
				{ first_name: 'Bob', custom_attributes: {} },
			],
		);
		expect(statuses(out)).toEqual(['sent', 'failed']);
		expect(sent[0].json).toEqual({ name: 'Ann', n: 3 });
		expect(out[1].json.error).toBe('Raw Body, line 4, column 1: the rendered body is not valid JSON (unexpected "}") [item 1]');
	});

	it('a body over the size limit', async () => {
		const { out } = await runWithOneBadItem(
			{ url: `${server.url}/big`, bodyType: 'raw', rawBody: '{{${blob}}}', options: { maxBodyKb: 1 } },
			[{ blob: 'x'.repeat(100) }, { blob: 'y'.repeat(2000) }],
		);
		expect(statuses(out)).toEqual(['sent', 'failed']);
		expect(out[1].json.error).toBe(
			'Raw Body: the rendered body is 2000 bytes, over the limit of 1024 bytes (option Max Body Size) [item 1]',
		);
	});

	it('a Liquid syntax error names the field, line and column', async () => {
		const result = await runWebhook(
			{ url: `${server.url}/s`, bodyType: 'raw', rawBody: 'line one\n{% if ${user_id} %}\nno end' },
			[{ user_id: 'a' }, { user_id: 'b' }],
			{ onError: 'continueRegularOutput' },
		);
		expect(statuses(result.outputs[0])).toEqual(['failed', 'failed']);
		expect(result.outputs[0][0].json.error).toMatch(/^Raw Body, line 2, column 1: .* \[item 0\]$/);
	});

	it('an unknown filter is an error, not a pass-through', async () => {
		const { out } = await runWithOneBadItem(
			{ url: `${server.url}/f`, bodyType: 'raw', rawBody: '{{${first_name} | shout}}' },
			[{ first_name: 'Ann' }],
		);
		expect(statuses(out)).toEqual(['failed']);
		expect(out[0].json.error).toMatch(/^Raw Body, line 1, column \d+: .*shout.* \[item 0\]$/);
	});

	it('a runaway loop is stopped by the render limits', async () => {
		// CPU time, not wall time: what this run cost, however long other processes held the cores.
		const started = process.cpuUsage();
		const { out } = await runWithOneBadItem(
			{ url: `${server.url}/loop`, bodyType: 'raw', rawBody: '{% for i in (1..100000000) %}x{% endfor %}' },
			[{ user_id: 'a' }],
		);
		const used = process.cpuUsage(started);
		expect(statuses(out)).toEqual(['failed']);
		expect(out[0].json.error).toMatch(/^Raw Body, line 1, column 1: the template builds too large a value .* for the memory limit \[item 0\]$/);
		expect((used.user + used.system) / 1000).toBeLessThan(10_000);
	});

	it('a Liquid field that n8n saved in Expression mode is rendered as Liquid all the same', async () => {
		const before = server.requests.length;
		const result = await runWebhook({ url: `=${server.url}/x/{{\${user_id}}}` }, [{ user_id: 'a' }]);
		expect(result.error).toBeUndefined();
		expect(statuses(result.outputs[0])).toEqual(['sent']);
		expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/x/a']);
	});

	it('still takes n8n expressions that are not Liquid, per item', async () => {
		const before = server.requests.length;
		const result = await runWebhook({ url: `={{ "${server.url}/e/" + ($json.id || "none") }}` }, [{ id: 1 }, { id: 2 }]);
		expect(result.error).toBeUndefined();
		expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/e/1', '/e/2']);
	});
});

describe('Braze-Style Webhook: a bad item under On Error: Stop Workflow', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		server = await startLoopbackServer({ status: 200, body: { ok: true } });
	});
	afterAll(async () => server.close());

	it('a template error every item has: the item named once, and nothing sent', async () => {
		const before = server.requests.length;
		const result = await runWebhook(
			{ url: `${server.url}/s`, bodyType: 'raw', rawBody: '{\n{% if custom_attribute.${demo_requested} == true %}\n"demo": true\n}' },
			[{ user_id: 'a' }, { user_id: 'b' }],
		);
		expect(result.error?.message).toBe(
			'Raw Body, line 2, column 1: {% if custom_attribute.${demo_requested} == true %} is not closed: {% endif %} is missing [item 0]',
		);
		expect(result.error?.message.match(/item \d/gi)).toHaveLength(1);
		expect(result.error?.description).toBe(
			'Nothing was sent: the error is in the template itself, so every item has it, and the workflow stopped (On Error: Stop Workflow). Fix the template and run again.',
		);
		expect(server.requests.length - before).toBe(0);
	});

	it("one item's error: nothing sent, also for the good item before it", async () => {
		const before = server.requests.length;
		const result = await runWebhook(
			{ url: `${server.url}/s`, bodyType: 'raw', rawBody: 'share={{ 100 | divided_by: custom_attribute.${parts} }}' },
			[{ custom_attributes: { parts: 4 } }, { custom_attributes: { parts: 0 } }],
		);
		expect(result.error?.message).toBe('Raw Body, line 1, column 7: divided by 0 [item 1]');
		expect(result.error?.description).toBe(
			"Nothing was sent: the node renders every item before it sends any, and the workflow stopped at the first item it cannot send (On Error: Stop Workflow). Fix the template or this item's data, or set On Error to continue so that the other items are sent.",
		);
		expect(server.requests.length - before).toBe(0);
	});
});

describe('Braze-Style Webhook: bad input', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		resetProcessState();
		server = await startLoopbackServer((request) =>
			request.url.includes('deny') ? { status: 401, body: { error: 'invalid key' } } : { status: 200, body: { ok: true } },
		);
	});
	afterAll(async () => server.close());

	it.each(webhookCases(PLACEHOLDER).map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
		const c = webhookCases(server.url)[index];
		const before = server.requests.length;
		const result = await withCaseClock(c, () =>
			runWebhook(c.parameters, c.items, {
				onError: 'continueRegularOutput',
			}),
		);
		expect(result.error).toBeUndefined();
		expectOutcome(c, result.outputs[0]);
		const sent = server.requests.slice(before);
		const expectedRequests = c.allFail ? 0 : c.items.length - (c.remote ? 0 : 1);
		expect([c.name, sent.length]).toEqual([c.name, expectedRequests]);
	});
});
