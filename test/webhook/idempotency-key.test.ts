/**
 * The Idempotency Key option in the real engine: one key per logical delivery of an item, the same on
 * the node's own retries, on n8n's Retry On Fail, and when a deferred item comes back.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { resetEarlierTries } from '../../nodes/shared/n8n/earlier-tries';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, runWebhook } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WITH_KEY = { idempotencyKey: { key: {} } };

function keysSent(server: LoopbackServer, header = 'idempotency-key'): Array<string | undefined> {
	return server.requests.map((request) => request.headers[header] as string | undefined);
}

describe('Idempotency Key option', () => {
	let server: LoopbackServer;
	beforeEach(() => {
		resetProcessState();
		resetEarlierTries();
	});
	afterEach(async () => server?.close());

	it("sends the same computed key on the node's own retries (503, then 200) and outputs it", async () => {
		server = await startLoopbackServer([{ status: 503 }, { status: 200, body: { ok: true } }]);
		const result = await runWebhook({ url: `${server.url}/hook`, options: WITH_KEY }, [{ user_id: 'u1' }]);

		expect(result.error).toBeUndefined();
		const keys = keysSent(server);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(UUID);
		expect(keys[1]).toBe(keys[0]);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'sent', attempts: 2, idempotencyKey: keys[0] });
	});

	it("sends the same key on every try of n8n's Retry On Fail, and a key of its own per item", async () => {
		server = await startLoopbackServer((request) => (request.url.endsWith('/gone') ? { status: 404 } : { status: 200 }));
		const result = await runWebhook(
			{ url: `${server.url}/users/{{\${user_id}}}`, options: WITH_KEY },
			[{ user_id: 'ok-1' }, { user_id: 'gone' }, { user_id: 'ok-2' }],
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
		);

		expect(result.error?.message).toMatch(/404/);
		const goneKeys = server.requests.filter((r) => r.url.endsWith('/gone')).map((r) => r.headers['idempotency-key']);
		expect(goneKeys).toHaveLength(3);
		expect(new Set(goneKeys).size).toBe(1);
		expect(new Set(keysSent(server)).size).toBe(3);
	});

	it('gives the same item a new key in a new execution', async () => {
		server = await startLoopbackServer({ status: 200 });
		await runWebhook({ url: `${server.url}/hook`, options: WITH_KEY }, [{ user_id: 'u1' }]);
		await runWebhook({ url: `${server.url}/hook`, options: WITH_KEY }, [{ user_id: 'u1' }]);
		const [first, second] = keysSent(server);
		expect(first).toMatch(UUID);
		expect(second).toMatch(UUID);
		expect(second).not.toBe(first);
	});

	it('a deferred item carries its key, and reuses it when it comes back into the node', async () => {
		server = await startLoopbackServer([{ status: 503 }, { status: 200 }]);
		const parameters = { url: `${server.url}/hook`, options: { ...WITH_KEY, waitBudgetMs: 0, hostCooldown: false } };
		const first = await runWebhook(parameters, [{ user_id: 'u1' }]);
		const deferred = first.outputs[0][0].json;
		expect(deferred.delivery).toMatchObject({ status: 'deferred', idempotencyKey: keysSent(server)[0] });

		// Back through a Wait node: the same item, its delivery object included, in a later execution.
		const second = await runWebhook(parameters, [deferred]);
		expect(deliveries(second.outputs[0])[0]).toMatchObject({ status: 'sent', idempotencyKey: keysSent(server)[0] });
		expect(keysSent(server)).toEqual([keysSent(server)[0], keysSent(server)[0]]);
	});

	it("reuses a failed item's key, but not a sent item's (a second webhook node makes its own)", async () => {
		server = await startLoopbackServer({ status: 200 });
		const carrying = (status: string) => ({ user_id: 'u1', delivery: { status, idempotencyKey: `key-from-${status}` } });
		const result = await runWebhook({ url: `${server.url}/hook`, options: WITH_KEY }, [
			carrying('failed'),
			carrying('sent'),
		]);

		const keys = keysSent(server);
		expect(keys).toContain('key-from-failed');
		expect(keys).not.toContain('key-from-sent');
		expect(deliveries(result.outputs[0]).map((delivery) => delivery.idempotencyKey)).toEqual([
			'key-from-failed',
			expect.stringMatching(UUID),
		]);
	});

	it('renders a Liquid value per item into a header of the chosen name, replacing a typed one', async () => {
		server = await startLoopbackServer({ status: 200 });
		await runWebhook(
			{
				url: `${server.url}/hook`,
				headers: { header: [{ name: 'x-request-id', value: 'typed' }] },
				options: { idempotencyKey: { key: { headerName: 'X-Request-Id', value: '{{${user_id}}}-welcome' } } },
			},
			[{ user_id: 'u1' }, { user_id: 'u2' }],
		);
		expect(keysSent(server, 'x-request-id').sort()).toEqual(['u1-welcome', 'u2-welcome']);
		expect(keysSent(server, 'idempotency-key')).toEqual([undefined, undefined]);
	});

	it('fails an item whose key renders empty, and sends no header without the option', async () => {
		server = await startLoopbackServer({ status: 200 });
		const result = await runWebhook(
			{ url: `${server.url}/hook`, options: { idempotencyKey: { key: { value: '{{${missing}}}' } } } },
			[{ user_id: 'u1' }],
			{ onError: 'continueRegularOutput' },
		);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'failed', reason: 'invalid-input' });
		expect(String(result.outputs[0][0].json.error)).toMatch(/Idempotency Key: rendered empty/);
		expect(server.requests).toHaveLength(0);

		await runWebhook({ url: `${server.url}/hook` }, [{ user_id: 'u1' }]);
		expect(keysSent(server)).toEqual([undefined]);
	});

	it('shows the key in a dry run, not redacted', async () => {
		const result = await runWebhook({ url: 'https://example.com/hook', options: { ...WITH_KEY, dryRun: true } }, [
			{ user_id: 'u1' },
		]);
		const delivery = deliveries(result.outputs[0])[0];
		const headers = (delivery.request as IDataObject).headers as IDataObject;
		expect(headers['Idempotency-Key']).toMatch(UUID);
		expect(delivery.idempotencyKey).toBe(headers['Idempotency-Key']);
	});
});
