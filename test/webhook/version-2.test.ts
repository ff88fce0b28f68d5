/** Version 2 of the webhook node in the real engine: Mode (Send / Dry Run with a preview) and grouped options. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { executeNode, WEBHOOK_TYPE, type NodeSpec } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, statuses } from './helpers';

const FAST_RETRIES = { initialRetryDelaySeconds: 0.005, maxRetryDelaySeconds: 0.02, waitBudgetSeconds: 5 };

async function runVersion2(parameters: INodeParameters, items: IDataObject[], typeVersion = 2, spec: Partial<NodeSpec> = {}) {
	return await executeNode(
		{
			...spec,
			type: WEBHOOK_TYPE,
			typeVersion,
			parameters: { method: 'POST', bodyType: 'keyValue', ...parameters },
		},
		items,
	);
}

const users = (count: number) => Array.from({ length: count }, (_, i) => ({ user_id: `u${i}`, first_name: `Name ${i}` }));

describe('Braze-Style Webhook version 2', () => {
	let server: LoopbackServer;
	beforeEach(() => resetProcessState());
	afterEach(async () => server?.close());

	const greeting = () => ({
		url: `${server.url}/users/{{\${user_id}}}`,
		bodyPairs: { pair: [{ key: 'hello', value: '{{${first_name}}}' }] },
	});

	it('Send is the default Mode and sends every item', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const result = await runVersion2(greeting(), users(3));
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.url)).toEqual(['/users/u0', '/users/u1', '/users/u2']);
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent', 'sent']);
	});

	it('Dry Run previews the first 5 items by default, sends nothing, and accounts for every item', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const result = await runVersion2({ ...greeting(), mode: 'dryRun' }, users(7));
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(0);
		const out = deliveries(result.outputs[0]);
		expect(out).toHaveLength(7);
		expect(out.slice(0, 5).map((d) => (d.request as IDataObject).body)).toEqual(
			[0, 1, 2, 3, 4].map((i) => ({ hello: `Name ${i}` })),
		);
		expect(out.slice(5)).toEqual(
			Array(2).fill({ status: 'dryRun', previewed: false, note: 'Not rendered: Dry Run previews the first 5 items' }),
		);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5, 6].map((item) => ({ item })));
		expect(Object.keys(result.outputs[0][0].json)[0]).toBe('delivery');
	});

	it('Dry Run previews as many items as asked, and one chosen item', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const two = await runVersion2({ ...greeting(), mode: 'dryRun', previewCount: 2 }, users(4));
		expect(deliveries(two.outputs[0]).map((d) => d.previewed !== false)).toEqual([true, true, false, false]);
		const one = await runVersion2({ ...greeting(), mode: 'dryRun', preview: 'oneItem', previewItemIndex: 2 }, users(4));
		const out = deliveries(one.outputs[0]);
		expect(out.map((d) => d.previewed !== false)).toEqual([false, false, true, false]);
		expect((out[2].request as IDataObject).url).toBe(`${server.url}/users/u2`);
		expect(out[0].note).toBe('Not rendered: Dry Run previews item 2 only');
		expect(server.requests).toHaveLength(0);
	});

	it('Dry Run renders a custom user given as JSON in place of the first item', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const result = await runVersion2(
			{
				...greeting(),
				mode: 'dryRun',
				preview: 'customUser',
				previewUser: '{"user_id": "custom-7", "first_name": "Ada", "custom_attributes": {"plan": "gold"}}',
				bodyPairs: { pair: [{ key: 'hello', value: '{{${first_name}}} on {{custom_attribute.${plan}}}' }] },
			},
			users(2),
		);
		expect(result.error).toBeUndefined();
		const out = deliveries(result.outputs[0]);
		expect(out[0]).toMatchObject({
			status: 'dryRun',
			renderedFor: 'customUser',
			request: { url: `${server.url}/users/custom-7`, body: { hello: 'Ada on gold' } },
		});
		expect(out[1]).toMatchObject({ previewed: false, note: 'Not rendered: Dry Run previews the custom user only' });
		// The item keeps its own fields: the custom user is only what the templates saw.
		expect(result.outputs[0][0].json.user_id).toBe('u0');
		expect(server.requests).toHaveLength(0);
	});

	it('says what is wrong with a preview that cannot be made', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const past = await runVersion2({ ...greeting(), mode: 'dryRun', preview: 'oneItem', previewItemIndex: 5 }, users(2));
		expect(past.error?.message).toBe('Item Index 5 is past the last input item (the input has 2, counted from 0)');
		const bad = await runVersion2({ ...greeting(), mode: 'dryRun', preview: 'customUser', previewUser: '{"user_id": ' }, users(1));
		expect(bad.error?.message).toMatch(/^Custom User \(JSON\) is not valid JSON/);
		const list = await runVersion2({ ...greeting(), mode: 'dryRun', preview: 'customUser', previewUser: '[1]' }, users(1));
		expect(list.error?.message).toBe('Custom User (JSON) must be one JSON object, like one input item');
		expect(server.requests).toHaveLength(0);
	});

	it('reads the grouped options: retries in seconds, Limits (Allowed Hosts, body size)', async () => {
		let calls = 0;
		server = await startLoopbackServer(() => (++calls <= 2 ? { status: 503, body: {} } : { status: 200, body: {} }));
		const retried = await runVersion2(
			{ ...greeting(), retries: { ...FAST_RETRIES, maxRetries: 1 } },
			users(1),
			2,
			{ onError: 'continueRegularOutput' },
		);
		expect(server.requests).toHaveLength(2);
		expect(deliveries(retried.outputs[0])[0]).toMatchObject({ status: 'failed', attempts: 2 });

		const limited = await runVersion2(
			{ ...greeting(), retries: FAST_RETRIES, limits: { allowedHosts: 'api.example.com' } },
			users(1),
		);
		expect(limited.error?.message).toContain("is not in this node's Allowed Hosts (api.example.com)");

		const small = await runVersion2(
			{
				...greeting(),
				bodyPairs: { pair: [{ key: 'big', value: 'x'.repeat(2048) }] },
				limits: { maxBodyKb: 1 },
			},
			users(1),
		);
		expect(small.error?.message).toBe('Body: the rendered body is 2058 bytes, over the limit of 1024 bytes (option Max Body Size) [item 0]');
	});

	it('version 1 still reads options.dryRun and previews every item', async () => {
		server = await startLoopbackServer({ status: 200, body: {} });
		const result = await runVersion2({ ...greeting(), options: { dryRun: true } }, users(7), 1);
		expect(server.requests).toHaveLength(0);
		expect(deliveries(result.outputs[0]).every((d) => d.status === 'dryRun' && d.request)).toBe(true);
		// Mode does not exist in version 1: a stray value is not read.
		const send = await runVersion2({ ...greeting(), mode: 'dryRun' }, users(1), 1);
		expect(statuses(send.outputs[0])).toEqual(['sent']);
	});
});
