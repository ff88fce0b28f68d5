// Workflow static data across executions in real n8n. `n8n execute` runs in mode "cli", which n8n
// treats as a production run: static data the nodes changed is saved to the workflow after each run,
// so the next run (a new process) sees it. This is what the Braze-Style Webhook's host cooldown
// relies on to carry "this host is failing, hold off" from one execution to the next.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import {
	buildAndPack,
	createUserFolder,
	ensureN8n,
	executeWorkflow,
	exportWorkflow,
	importWorkflow,
	runN8n,
	startN8n,
} from './n8n.mjs';
import { callWebhook, webhookWorkflow } from './queue-workflows.mjs';
import { startStandIn } from './stand-in.mjs';

let userFolder;

before(async () => {
	await ensureN8n();
	userFolder = await createUserFolder(await buildAndPack());
}, { timeout: 15 * 60_000 });

const counterWorkflow = {
	id: 'E2eStaticCounter',
	name: 'e2e: static data counter (Code node)',
	active: false,
	settings: { executionOrder: 'v1' },
	connections: { 'Manual Trigger': { main: [[{ node: 'Count runs', type: 'main', index: 0 }]] } },
	nodes: [
		{
			id: '00000000-0000-4000-8000-000000000001',
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: '00000000-0000-4000-8000-000000000002',
			name: 'Count runs',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode:
					"const data = $getWorkflowStaticData('global');\ndata.runs = (data.runs ?? 0) + 1;\nreturn [{ json: { runs: data.runs } }];",
			},
		},
	],
};

test('static data persists between two `n8n execute` runs (mechanism, Code node)', { timeout: 5 * 60_000 }, async () => {
	await importWorkflow(userFolder, counterWorkflow);
	const first = await executeWorkflow(userFolder, counterWorkflow.id);
	assert.equal(first.code, 0, first.stdout.slice(-2000) + first.stderr.slice(-2000));
	assert.equal(first.result?.mode, 'cli');
	assert.deepEqual(first.output('Count runs'), [{ runs: 1 }]);

	const second = await executeWorkflow(userFolder, counterWorkflow.id);
	assert.equal(second.code, 0, second.stdout.slice(-2000) + second.stderr.slice(-2000));
	assert.deepEqual(second.output('Count runs'), [{ runs: 2 }]);

	const saved = await exportWorkflow(userFolder, counterWorkflow.id);
	const staticData = typeof saved.staticData === 'string' ? JSON.parse(saved.staticData) : saved.staticData;
	assert.equal(staticData?.global?.runs, 2);
});

// Regular mode, production webhook of a published workflow, starting from empty static data: the
// node writes its cooldown there (the workflow reports itself active, so the static data was loaded).
// The queue-mode counterpart, where it must not write, is queue-mode.e2e.mjs.
test('regular mode: a production webhook run saves the host cooldown into empty static data', { timeout: 8 * 60_000 }, async () => {
	const failing = await startStandIn({ name: 'failing-host', responses: { status: 503, body: { error: 'overloaded' } } });
	const workflow = webhookWorkflow({
		id: 'E2eRegularCooldn',
		name: 'e2e: regular mode, cooldown into static data',
		path: 'regular-cooldown',
		url: `=${failing.url}/fail/{{ $json.id }}`,
		options: { maxRetries: 0, concurrency: 1, cooldownMinRequests: 2, cooldownMs: 600_000 },
	});
	let n8n;
	try {
		await importWorkflow(userFolder, workflow);
		const published = await runN8n(userFolder, ['publish:workflow', `--id=${workflow.id}`]);
		assert.equal(published.code, 0, published.stdout.slice(-2000) + published.stderr.slice(-2000));
		n8n = await startN8n(userFolder);
		let items;
		for (let attempt = 0; attempt < 60 && !items; attempt++) {
			try {
				items = await callWebhook(n8n.url, 'regular-cooldown', { items: [1, 2, 3, 4].map((id) => ({ id })) });
			} catch (e) {
				if (!String(e.message).includes('404')) throw e;
				await new Promise((ok) => setTimeout(ok, 1000));
			}
		}
		assert.deepEqual(items?.map((i) => i.delivery?.status), ['failed', 'failed', 'deferred', 'deferred']);
	} finally {
		await n8n?.stop();
		await failing.close();
	}
	const saved = await exportWorkflow(userFolder, workflow.id);
	const staticData = typeof saved.staticData === 'string' ? JSON.parse(saved.staticData) : saved.staticData;
	const hosts = staticData?.global?.['n8n-nodes-braze-webhooks']?.hosts ?? {};
	assert.deepEqual(Object.values(hosts).map((h) => h.phase), ['open'], JSON.stringify(staticData));
});
