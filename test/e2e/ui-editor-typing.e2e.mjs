// Braze Liquid as people put it into the editor: headless Chromium types (key by key), retypes (type,
// select all, delete, type again) and pastes (through the clipboard) Braze templates into the Liquid
// fields of freshly added Braze-Style Webhook and Braze to Braze nodes, drags an INPUT field into a
// header value, executes from the editor against a loopback stand-in, and compares what the stand-in
// received with the same workflow imported from JSON and with the typed workflow run by `n8n execute`.
// Screenshots of every field after typing: test/e2e/results/screenshots/editor-typing/ (git-ignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	buildAndPack,
	createUserFolder,
	ensureN8n,
	executeWorkflow,
	exportWorkflow,
	importCredentials,
	importWorkflow,
	log,
	NODE_TYPES,
	REPO_ROOT,
	startN8n,
} from './n8n.mjs';
import { loadSupport } from '../support/compiled.mjs';
import { startStandIn } from './stand-in.mjs';
import { openEditor, Ndv } from './ui-driver.mjs';

const SHOTS = path.join(REPO_ROOT, 'test', 'e2e', 'results', 'screenshots', 'editor-typing');
const WAYS = ['typed', 'retyped', 'pasted'];

// The two Braze to Braze recipes of Braze's article, as Braze prints them (test/support/braze-seeds.ts).
const { SEED_EVENT_PROPERTY: EVENT_PROPERTY_BODY, SEED_COUNTER: COUNTER_BODY } = await loadSupport('braze-seeds');
// Typed key by key, a code editor re-indents a line that starts with a bracket (as it would for a
// person); typed text therefore uses the editor's indentation, pasted text is Braze's byte for byte.
// Braze's counter body indents its inner braces by 8; the editor puts a typed line that starts with a
// brace at the object's depth (6).
const COUNTER_BODY_TYPED = COUNTER_BODY.replace(/^ {8}([{}])$/gm, '      $1');
const counterBody = (way) => (way === 'pasted' ? COUNTER_BODY : COUNTER_BODY_TYPED);
// n8n's own expression next to Braze Liquid in one field: both render.
const GREETING = `Hi {{\${first_name} | default: 'there'}} <{{ $json.email }}>`;

const USERS = [
	{ user_id: 'u-5001', email: 'ada@example.com', first_name: 'Ada', event_properties: { your_event_property: 'gold' }, custom_attributes: { your_attribute_count: 2 } },
	{ user_id: 'u-5002', email: 'bob@example.com', event_properties: { your_event_property: 'silver' }, custom_attributes: { your_attribute_count: 7 } },
];

const CREDENTIAL = { id: 'BrazeApiTyping01', name: 'Braze API (typing test)' };
const SKELETON_ID = 'EditorTyping0001';
const IMPORTED_ID = 'EditorTyping0002';

const urlTemplate = (base, way) => `${base}/${way}/users/{{\${user_id}}}`;

/** Manual trigger -> "Users" (a Code node returning USERS): the part of the workflow not typed in the test. */
function skeleton(id, name) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'et-trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'et-users',
				name: 'Users',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(USERS)}.map((json) => ({ json }));` },
			},
		],
		connections: { Start: { main: [[{ node: 'Users', type: 'main', index: 0 }]] } },
		pinData: {},
	};
}

/** The parameters the test puts in through the editor, as a workflow JSON would hold them. */
function intendedNodes(base) {
	const nodes = [];
	WAYS.forEach((way, i) => {
		const headers = [
			{ name: 'Content-Type', value: 'application/json' },
			{ name: 'X-Greeting', value: GREETING },
		];
		if (way === 'typed') headers.push({ name: 'X-Email', value: '={{ $json.email }}' });
		nodes.push({
			name: i === 0 ? 'Braze-Style Webhook' : `Braze-Style Webhook${i}`,
			type: NODE_TYPES.brazeWebhook,
			typeVersion: 1,
			parameters: {
				url: urlTemplate(base, way),
				bodyType: 'raw',
				rawBody: EVENT_PROPERTY_BODY,
				headers: { header: headers },
			},
		});
	});
	WAYS.forEach((way, i) => {
		nodes.push({
			name: i === 0 ? 'Braze to Braze' : `Braze to Braze${i}`,
			type: NODE_TYPES.brazeToBraze,
			typeVersion: 1,
			parameters: { operation: 'customRequestBody', body: counterBody(way) },
			credentials: { brazeApi: CREDENTIAL },
		});
	});
	return nodes;
}

function importedWorkflow(base) {
	const wf = skeleton(IMPORTED_ID, 'Editor typing: imported from JSON');
	const added = intendedNodes(base).map((n, i) => ({ id: `et-${i}`, position: [440 + (i % 3) * 220, (i - 2.5) * 160], ...n, parameters: { ...n.parameters, options: {} } }));
	wf.nodes.push(...added);
	wf.connections.Users = { main: [added.map((n) => ({ node: n.name, type: 'main', index: 0 }))] };
	return wf;
}

let n8n;
let userFolder;
let standIn;
let editor;
const received = {};

/** What a request is, for comparing runs: method, URL, the headers the templates write, body bytes. */
function requestKey(r) {
	return JSON.stringify({
		method: r.method,
		url: r.url,
		contentType: r.headers['content-type'],
		greeting: r.headers['x-greeting'],
		email: r.headers['x-email'],
		authorization: r.headers.authorization ? 'present' : undefined,
		body: r.body,
	});
}
const requestKeys = (requests) => requests.map(requestKey).sort();

async function drain(count, label) {
	const deadline = Date.now() + 120_000;
	while (standIn.requests.length < count && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 200));
	// Nothing more may arrive: a duplicate would show as an extra request.
	await new Promise((ok) => setTimeout(ok, 1500));
	const got = standIn.requests.splice(0);
	log(`${label}: ${got.length} requests`);
	return got;
}

const EXPECTED_REQUESTS = WAYS.length * USERS.length + WAYS.length; // one per item per webhook, one batch per Braze to Braze node

before(async () => {
	await ensureN8n();
	standIn = await startStandIn({ name: 'typing', responses: { status: 201, body: { message: 'success' } }, ttlMs: 30 * 60_000 });
	const tgz = await buildAndPack();
	userFolder = await createUserFolder(tgz);
	await importCredentials(userFolder, [{ ...CREDENTIAL, type: 'brazeApi', data: { apiKey: 'typing-test-key', instance: 'custom', customUrl: standIn.url } }]);
	await importWorkflow(userFolder, skeleton(SKELETON_ID, 'Editor typing'));
	await importWorkflow(userFolder, importedWorkflow(standIn.url));
	fs.rmSync(SHOTS, { recursive: true, force: true });
	fs.mkdirSync(SHOTS, { recursive: true });
	n8n = await startN8n(userFolder);
	editor = await openEditor(n8n, SHOTS);
}, { timeout: 20 * 60_000 });

after(async () => {
	await editor?.close();
	await n8n?.stop();
	await standIn?.close();
});

test('the workflow imported from JSON sends the requests Braze would', { timeout: 5 * 60_000 }, async () => {
	const run = await executeWorkflow(userFolder, IMPORTED_ID);
	assert.equal(run.status, 'success', run.stderr.slice(-2000));
	received.imported = await drain(EXPECTED_REQUESTS, 'imported workflow');
	const byPath = (p) => received.imported.filter((r) => r.path === p);
	const ada = byPath('/typed/users/u-5001');
	assert.equal(ada.length, 1);
	assert.equal(ada[0].headers['x-greeting'], 'Hi Ada <ada@example.com>');
	assert.equal(ada[0].headers['x-email'], 'ada@example.com');
	assert.deepEqual(JSON.parse(ada[0].body), { attributes: [{ external_id: 'u-5001', new_custom_attribute: 'gold' }] });
	assert.equal(byPath('/retyped/users/u-5002')[0].headers['x-greeting'], 'Hi there <bob@example.com>');
	const track = byPath('/users/track');
	assert.equal(track.length, WAYS.length);
	for (const r of track) {
		assert.deepEqual(r.json.attributes, [
			{ external_id: 'u-5001', your_attribute_count: '3' },
			{ external_id: 'u-5002', your_attribute_count: '8' },
		]);
	}
});

test('typed, retyped and pasted into fresh nodes in the editor, executed there: the same requests, byte for byte', { timeout: 15 * 60_000 }, async () => {
	await editor.openWorkflow(SKELETON_ID);
	await editor.executeWorkflow();
	await drain(0, 'skeleton run'); // the Users node now has output to drag from
	for (const [i, way] of WAYS.entries()) {
		const ndv = await editor.addNodeAfter('Users', 'Braze-Style Webhook');
		await ndv.enter('url', urlTemplate(standIn.url, way), way);
		await ndv.shot(`webhook-${i}-${way}-1-url`);
		await ndv.chooseOption('bodyType', 'Raw Text');
		await ndv.enter('rawBody', EVENT_PROPERTY_BODY, way);
		await ndv.shot(`webhook-${i}-${way}-2-raw-body`);
		await ndv.addCollectionRow('headers', 'Add Header');
		await ndv.typePlain('name', 0, 'Content-Type');
		await ndv.enter('value', 'application/json', way, 0);
		await ndv.addCollectionRow('headers', 'Add Header');
		await ndv.typePlain('name', 1, 'X-Greeting');
		await ndv.enter('value', GREETING, way, 1);
		await ndv.shot(`webhook-${i}-${way}-3-header-greeting`);
		if (way === 'typed') {
			await ndv.addCollectionRow('headers', 'Add Header');
			await ndv.typePlain('name', 2, 'X-Email');
			await ndv.dragInputField('email', 'value', 2);
		}
		await ndv.shot(`webhook-${i}-${way}-4-done`);
		await ndv.close();
	}
	for (const [i, way] of WAYS.entries()) {
		const ndv = await editor.addNodeAfter('Users', 'Braze to Braze', 'Send a custom request body');
		// The field holds Braze's first recipe as its default: select all and type over it.
		await ndv.enter('body', counterBody(way), way === 'typed' ? 'typedOver' : way);
		await ndv.shot(`braze-to-braze-${i}-${way}`);
		await ndv.close();
	}
	await editor.fitCanvas();
	await editor.shot('canvas-typed');
	await editor.save();
	await editor.executeWorkflow();
	received.editor = await drain(EXPECTED_REQUESTS, 'typed workflow, executed in the editor');
	await editor.fitCanvas();
	await editor.shot('canvas-executed');
	assert.deepEqual(requestKeys(received.editor), requestKeys(received.imported));
});

test('the typed workflow holds exactly the text that was typed, and runs the same with `n8n execute`', { timeout: 5 * 60_000 }, async () => {
	const saved = await exportWorkflow(userFolder, SKELETON_ID);
	// n8n leaves out a parameter equal to its default (Braze to Braze's body defaults to Braze's recipe).
	const types = (await n8n.request('GET', '/types/nodes.json', { timeoutMs: 60_000 })).json;
	const defaultOf = (type, name) => types.find((t) => t.name === type)?.properties.find((p) => p.name === name)?.default;
	for (const want of intendedNodes(standIn.url)) {
		const node = saved.nodes.find((n) => n.name === want.name);
		assert.ok(node, `${want.name} not saved; nodes: ${saved.nodes.map((n) => n.name)}`);
		for (const [key, value] of Object.entries(want.parameters)) {
			assert.deepEqual(node.parameters[key] ?? defaultOf(want.type, key), value, `${want.name}: parameter ${key}`);
		}
	}
	const run = await executeWorkflow(userFolder, SKELETON_ID);
	assert.equal(run.status, 'success', run.stderr.slice(-2000));
	received.cli = await drain(EXPECTED_REQUESTS, 'typed workflow, n8n execute');
	assert.deepEqual(requestKeys(received.cli), requestKeys(received.imported));
});
