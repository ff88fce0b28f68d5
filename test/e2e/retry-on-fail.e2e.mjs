// n8n's Retry On Fail (node Settings) in real n8n: a Code node hands 3 users to the Braze-Style
// Webhook, which has Retry On Fail on (3 tries) and On Error "Stop Workflow". One user's endpoint
// answers 404, so every try throws and n8n runs the node three times. The users answered 200 in the
// first try must not be sent again: the stand-in sees each of them once, the 404 user once per try.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildAndPack, createUserFolder, ensureN8n, executeWorkflow, importWorkflow, NODE_TYPES } from './n8n.mjs';
import { startStandIn } from './stand-in.mjs';

let userFolder;
let standIn;

before(async () => {
	await ensureN8n();
	userFolder = await createUserFolder(await buildAndPack());
	standIn = await startStandIn({
		name: 'crm',
		responses: (request) =>
			request.path.endsWith('/gone') ? { status: 404, body: { error: 'no such user' } } : { status: 200, body: { ok: true } },
	});
}, { timeout: 15 * 60_000 });

after(async () => {
	await standIn?.close();
});

function retryWorkflow(url) {
	return {
		id: 'E2eRetryOnFail01',
		name: "e2e: n8n's Retry On Fail does not re-send delivered users",
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'Manual Trigger': { main: [[{ node: 'Three users', type: 'main', index: 0 }]] },
			'Three users': { main: [[{ node: 'Notify CRM', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: '00000000-0000-4000-8000-0000000000a1',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '00000000-0000-4000-8000-0000000000a2',
				name: 'Three users',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: "return [{ json: { user_id: 'ok-1' } }, { json: { user_id: 'gone' } }, { json: { user_id: 'ok-2' } }];",
				},
			},
			{
				id: '00000000-0000-4000-8000-0000000000a3',
				name: 'Notify CRM',
				type: NODE_TYPES.brazeWebhook,
				typeVersion: 1,
				position: [440, 0],
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 100,
				parameters: {
					url: `${url}/users/{{\${user_id}}}`,
					method: 'POST',
					bodyType: 'keyValue',
					bodyPairs: { pair: [{ key: 'user', value: '{{${user_id}}}' }] },
					options: { idempotencyKey: { key: {} } },
				},
			},
		],
	};
}

test("Retry On Fail, Stop Workflow, one 404: each delivered user is sent exactly once", { timeout: 5 * 60_000 }, async () => {
	const workflow = retryWorkflow(standIn.url);
	await importWorkflow(userFolder, workflow);
	const r = await executeWorkflow(userFolder, workflow.id);
	const diag = `\nexit ${r.code}, status ${r.status}\nerror: ${JSON.stringify(r.error)?.slice(0, 1500)}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}`;

	assert.equal(r.status, 'error', `the 404 stops the workflow${diag}`);
	assert.match(String(r.error?.message), /404/, diag);
	const perUser = {};
	for (const request of standIn.requests) {
		const user = request.path.split('/').pop();
		(perUser[user] ??= []).push(request);
	}
	assert.deepEqual(
		Object.fromEntries(Object.entries(perUser).map(([user, requests]) => [user, requests.length])),
		{ 'ok-1': 1, gone: 3, 'ok-2': 1 },
		diag,
	);
	// The 404 user's three requests carry one idempotency key; each user has a key of its own.
	const keys = perUser.gone.map((request) => request.headers['idempotency-key']);
	assert.equal(typeof keys[0], 'string', diag);
	assert.deepEqual(new Set(keys).size, 1, `one key across n8n's tries: ${keys}`);
	const distinct = new Set([perUser['ok-1'][0], perUser['ok-2'][0], perUser.gone[0]].map((q) => q.headers['idempotency-key']));
	assert.equal(distinct.size, 3);
});
