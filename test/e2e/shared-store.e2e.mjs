// The shared cooldown store in real n8n 2.41.1: the Braze-Style Webhook, run by `n8n execute` (each
// run its own n8n process, as a worker is), keeps its host cooldown in Redis through Webdis with the
// imported credential, via n8n's own request helper. Queue mode itself is exercised by the
// queue-mode suite; this one proves the credential, the node parameter and the store wiring in n8n.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { loadSupport } from '../support/compiled.mjs';
import { buildAndPack, createUserFolder, ensureN8n, executeWorkflow, importCredentials, importWorkflow } from './n8n.mjs';

const MIN_REQUESTS = 4;
let userFolder;
let store;
let storeSupport;
let failingHost;
let hostHits = 0;

before(async () => {
	await ensureN8n();
	userFolder = await createUserFolder(await buildAndPack());
	storeSupport = await loadSupport('redis-http-store');
	store = await storeSupport.startRedisHttpStore({ ttlMs: 10 * 60_000 });
	failingHost = http.createServer((req, res) => {
		hostHits++;
		req.resume();
		res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
	});
	await new Promise((resolve) => failingHost.listen(0, '127.0.0.1', resolve));
	await importCredentials(userFolder, storeSupport.n8nStoreCredentials(store));
}, { timeout: 15 * 60_000 });

after(async () => {
	await new Promise((resolve) => (failingHost ? failingHost.close(resolve) : resolve()));
	failingHost?.closeAllConnections?.();
	await store?.close();
});

function workflow(id, url) {
	return {
		id,
		name: `e2e: shared cooldown store ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'Manual Trigger': { main: [[{ node: 'Six users', type: 'main', index: 0 }]] },
			'Six users': { main: [[{ node: 'Webhook', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000a1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-0000000000a2',
				name: 'Six users',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: 'return Array.from({ length: 6 }, (_, i) => ({ json: { user_id: `u${i}` } }));' },
			},
			{
				id: '00000000-0000-4000-8000-0000000000a3',
				name: 'Webhook',
				type: 'n8n-nodes-braze-webhooks.brazeWebhook',
				typeVersion: 1,
				position: [440, 0],
				onError: 'continueRegularOutput',
				parameters: {
					url: `${url}/hook?user={{\${user_id}}}`,
					method: 'POST',
					bodyType: 'none',
					sharedCooldownStore: 'webdis',
					options: { maxRetries: 0, concurrency: 1, cooldownMinRequests: MIN_REQUESTS, cooldownMs: 120000, maxCooldownMs: 120000 },
				},
				credentials: { sharedCooldownWebdisApi: { id: storeSupport.STORE_CREDENTIAL_IDS.webdis, name: 'Shared cooldown store (Webdis, test)' } },
			},
		],
	};
}

test('a failing host trips once in the store; the next n8n process defers every item without sending', { timeout: 8 * 60_000 }, async () => {
	const { port } = failingHost.address();
	const wf = workflow('E2eSharedStore01', `http://127.0.0.1:${port}`);
	await importWorkflow(userFolder, wf);

	const first = await executeWorkflow(userFolder, wf.id);
	assert.equal(first.code, 0, first.stdout.slice(-2000) + first.stderr.slice(-2000));
	const firstOut = first.output('Webhook');
	assert.equal(firstOut?.length, 6, JSON.stringify(firstOut));
	assert.deepEqual(firstOut.map((item) => item.delivery.cooldownStore), Array(6).fill('shared'));
	assert.deepEqual(firstOut.map((item) => item.delivery.status).sort(), ['deferred', 'deferred', ...Array(MIN_REQUESTS).fill('failed')]);
	assert.equal(hostHits, MIN_REQUESTS);

	// The trip lives in Redis, under the workflow's key for this host.
	const key = `n8n-nodes-braze-webhooks:cooldown:{${wf.id}|127.0.0.1:${port}}`;
	const fields = await store.command('HGETALL', key);
	assert.equal(fields.ph, 'o', JSON.stringify(fields));

	const second = await executeWorkflow(userFolder, wf.id);
	assert.equal(second.code, 0, second.stdout.slice(-2000) + second.stderr.slice(-2000));
	const secondOut = second.output('Webhook');
	assert.deepEqual(secondOut.map((item) => `${item.delivery.status} ${item.delivery.cooldownStore}`), Array(6).fill('deferred shared'));
	assert.equal(hostHits, MIN_REQUESTS);
	assert.ok(!JSON.stringify([firstOut, secondOut]).includes(store.webdis.password), 'the store password leaked into an output');
});
