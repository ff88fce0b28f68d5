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
} from './n8n.mjs';

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
