// A new user's first hour, in real n8n with headless Chromium: both nodes' parameter panels (Mode at the
// top), the grouped Options list, a Dry Run's output (the outcome in the first column), a broken
// template's error, both credential forms after Save (no red banner when the optional Test URL is
// empty), and the two icons on the canvas in the light and dark themes.
// Screenshots: test/e2e/results/screenshots/first-hour/ (git-ignored); look at them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	buildAndPack,
	createUserFolder,
	ensureN8n,
	importCredentials,
	importWorkflow,
	NODE_TYPES,
	REPO_ROOT,
	startN8n,
} from './n8n.mjs';
import { startStandIn } from './stand-in.mjs';
import { openEditor } from './ui-driver.mjs';

const SHOTS = path.join(REPO_ROOT, 'test', 'e2e', 'results', 'screenshots', 'first-hour');
const DRY_RUN_ID = 'FirstHourDryRun1';
const BROKEN_ID = 'FirstHourBroken1';
const WEBHOOK = 'Braze-Style Webhook';
const B2B = 'Braze to Braze';
const USERS = [
	{ user_id: 'u-1', first_name: 'Ada', custom_attributes: { plan: 'gold' } },
	{ user_id: 'u-2', first_name: 'Bob', custom_attributes: { plan: 'trial' } },
	{ user_id: 'u-3', first_name: 'Cy', custom_attributes: { plan: 'gold' } },
];
const WEBHOOK_CREDENTIAL = { id: 'FirstHourWhAuth1', name: 'CRM token, no Test URL' };
const BRAZE_CREDENTIAL = { id: 'FirstHourBraze01', name: 'Braze API (stand-in)' };
/** The pinned text of an unclosed {% if %} (test/liquid/errors/messages.test.ts), for the Raw Body below. */
const BROKEN_BODY = '{\n{% if custom_attribute.${plan} == "gold" %}\n"offer": "upgrade"\n}';
const BROKEN_MESSAGE = 'Raw Body, line 2, column 1: {% if custom_attribute.${plan} == "gold" %} is not closed: {% endif %} is missing';

let n8n;
let editor;
let page;
let crm;
let braze;

function workflow(id, name, nodes) {
	const trigger = { id: `${id}-t`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const users = {
		id: `${id}-u`,
		name: 'Users',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return ${JSON.stringify(USERS)}.map((json) => ({ json }));` },
	};
	const placed = nodes.map((node, i) => ({ id: `${id}-${i}`, position: [480, i * 200 - 100], ...node }));
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [trigger, users, ...placed],
		connections: {
			Start: { main: [[{ node: 'Users', type: 'main', index: 0 }]] },
			Users: { main: [placed.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
		pinData: {},
	};
}

function webhookNode(parameters) {
	return {
		name: WEBHOOK,
		type: NODE_TYPES.brazeWebhook,
		typeVersion: 2,
		parameters: { url: `${crm.url}/users/{{\${user_id}}}`, authentication: 'brazeWebhookAuthApi', ...parameters },
		credentials: { brazeWebhookAuthApi: WEBHOOK_CREDENTIAL },
	};
}

const shot = (name) => editor.shot(name);
const ndv = () => page.locator('[data-test-id="ndv"]');

async function openNode(workflowId, nodeName) {
	await editor.openWorkflow(workflowId);
	await page.locator('[data-test-id="canvas-node"]', { hasText: nodeName }).first().dblclick();
	await ndv().waitFor();
	await page.waitForTimeout(800);
}

async function closeNdv() {
	if (await ndv().isVisible()) {
		await page.locator('[data-test-id="ndv-close-button"]').click();
		await ndv().waitFor({ state: 'hidden' });
	}
}

/** Parameter labels and the values in the panel's inputs, as a person reads them. */
async function panelText() {
	const values = await ndv().locator('input').evaluateAll((els) => els.map((e) => e.value));
	return `${await ndv().innerText()}\n${values.join('\n')}`;
}

/** Opens the "Add …" menu of the collection headed `header`, and returns its entries. */
async function openAddMenu(header) {
	const item = ndv()
		.locator('[data-test-id="parameter-item"]')
		.filter({ has: page.getByText(header, { exact: true }) })
		.last();
	const triggers = item.locator('[data-test-id^="collection-parameter-add"]');
	if ((await triggers.count()) === 0) {
		await shot(`missing-${header.replace(/\W+/g, '-')}`);
		throw new Error(`no add button under "${header}"`);
	}
	const trigger = triggers.last();
	await trigger.scrollIntoViewIfNeeded();
	await trigger.click();
	await page.waitForTimeout(800);
	const items = page.locator('[role="menuitem"]:visible, [data-test-id="collection-parameter-option"]:visible');
	const texts = (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
	if (texts.length === 0) {
		const html = await page.locator('body').evaluate((b) => b.innerHTML.slice(-20_000));
		fs.writeFileSync(path.join(SHOTS, `menu-dom-${header.replace(/\W+/g, '-')}.html`), html);
	}
	return { items, texts };
}

/** Whether a label is shown whole (n8n's editor cuts a label that does not fit with an ellipsis). */
async function labelFits(text) {
	const label = ndv().getByText(text, { exact: true }).first();
	return await label.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
}

/** The output panel in Table view: its column headers, left to right. */
async function outputColumns() {
	const output = page.locator('[data-test-id="output-panel"]');
	const modes = output.locator('[data-test-id="ndv-run-data-display-mode"]');
	await modes.getByText('Table', { exact: true }).first().click();
	await page.waitForTimeout(800);
	return (await output.locator('table th').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

before(async () => {
	await ensureN8n();
	crm = await startStandIn({ name: 'crm', responses: { status: 200, body: { ok: true } }, ttlMs: 30 * 60_000 });
	braze = await startStandIn({ name: 'braze', responses: { status: 201, body: { message: 'success' } }, ttlMs: 30 * 60_000 });
	const tgz = await buildAndPack();
	const userFolder = await createUserFolder(tgz);
	await importCredentials(userFolder, [
		{ ...WEBHOOK_CREDENTIAL, type: 'brazeWebhookAuthApi', data: { authType: 'bearer', token: 'first-hour-token' } },
		{ ...BRAZE_CREDENTIAL, type: 'brazeApi', data: { apiKey: 'first-hour-key', instance: 'custom', customUrl: braze.url } },
	]);
	await importWorkflow(
		userFolder,
		workflow(DRY_RUN_ID, 'First hour: Dry Run', [
			webhookNode({
				mode: 'dryRun',
				previewCount: 2,
				bodyPairs: { pair: [{ key: 'hello', value: '{{${first_name}}}' }, { key: 'plan', value: '{{custom_attribute.${plan}}}' }] },
			}),
			{
				name: B2B,
				type: NODE_TYPES.brazeToBraze,
				typeVersion: 2,
				parameters: {
					operation: 'trackUser',
					mode: 'dryRun',
					externalId: '{{${user_id}}}',
					attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: '{{custom_attribute.${plan}}}' }] },
				},
				credentials: { brazeApi: BRAZE_CREDENTIAL },
			},
		]),
	);
	await importWorkflow(userFolder, workflow(BROKEN_ID, 'First hour: a broken template', [webhookNode({ bodyType: 'raw', rawBody: BROKEN_BODY })]));
	fs.rmSync(SHOTS, { recursive: true, force: true });
	fs.mkdirSync(SHOTS, { recursive: true });
	n8n = await startN8n(userFolder);
	editor = await openEditor(n8n, SHOTS);
	page = editor.page;
}, { timeout: 20 * 60_000 });

after(async () => {
	await editor?.close();
	await n8n?.stop();
	await crm?.close();
	await braze?.close();
});

test('the webhook panel starts with Mode, and the credential selector sits under Authentication', { timeout: 5 * 60_000 }, async () => {
	await openNode(DRY_RUN_ID, WEBHOOK);
	await shot('01-webhook-parameters');
	const text = await panelText();
	for (const want of ['Mode', 'Dry Run', 'Preview', 'First Items', 'Number of Items', 'Webhook URL', 'Authentication']) {
		assert.ok(text.includes(want), `"${want}" not in the panel: ${text.slice(0, 1500)}`);
	}
	const panel = await ndv().innerText();
	assert.ok(panel.indexOf('Mode') < panel.indexOf('Webhook URL'), 'Mode comes before Webhook URL');
	const credential = panel.search(/^Credential( for .*)?$/m);
	assert.ok(credential > panel.indexOf('Authentication'), `the credential selector is above Authentication: ${panel.slice(0, 800)}`);
	assert.ok(credential < panel.indexOf('Request Body'), `Request Body is missing or above the credential selector: ${panel.slice(0, 800)}`);
});

test('options grouped by purpose: Retries, Host Cooldown, Limits, Options; whole labels in seconds', { timeout: 5 * 60_000 }, async () => {
	const panel = await ndv().innerText();
	const headers = ['Retries', 'Host Cooldown', 'Limits', 'Options'].map((h) => panel.search(new RegExp(`^${h}$`, 'm')));
	assert.ok(headers.every((at, i) => at > 0 && (i === 0 || at > headers[i - 1])), `group headers in order: ${headers}`);
	const retries = await openAddMenu('Retries');
	await shot('02-webhook-retries-menu');
	assert.deepEqual(retries.texts, [
		'Initial Retry Delay (Seconds)',
		'Max Retries',
		'Max Retry Delay (Seconds)',
		'Max Retry-After Wait (Seconds)',
		'Wait Budget (Seconds)',
	]);
	await retries.items.filter({ hasText: 'Initial Retry Delay (Seconds)' }).first().click();
	await page.waitForTimeout(800);
	const limits = await openAddMenu('Limits');
	assert.deepEqual(limits.texts, ['Allowed Hosts', 'Follow Redirects', 'Max Body Size (KB)', 'Max Concurrent Requests', 'Request Timeout (Seconds)']);
	await limits.items.filter({ hasText: 'Request Timeout (Seconds)' }).first().click();
	await page.waitForTimeout(800);
	const cooldown = await openAddMenu('Host Cooldown');
	assert.ok(cooldown.texts.includes('Pause Unhealthy Hosts') && cooldown.texts.includes('Pause Length (Seconds)'), cooldown.texts.join(', '));
	await page.keyboard.press('Escape');
	const options = await openAddMenu('Options');
	await shot('03-webhook-options-menu');
	assert.deepEqual(options.texts, ['Idempotency Key', 'Reuse Connections']);
	await page.keyboard.press('Escape');
	await ndv().getByText('Request Timeout (Seconds)', { exact: true }).first().scrollIntoViewIfNeeded();
	await page.waitForTimeout(500);
	await shot('03b-webhook-groups-added');
	for (const label of ['Initial Retry Delay (Seconds)', 'Request Timeout (Seconds)']) {
		assert.ok(await labelFits(label), `"${label}" is cut off in the panel`);
	}
	assert.ok(!/\(Ms\)/.test(await panelText()), 'a label still says (Ms)');
	await closeNdv();
});

test('Dry Run from the editor: nothing sent, the outcome is the first column, 2 of 3 items rendered', { timeout: 5 * 60_000 }, async () => {
	await editor.openWorkflow(DRY_RUN_ID);
	await editor.executeWorkflow();
	await page.locator('[data-test-id="canvas-node"]', { hasText: WEBHOOK }).first().dblclick();
	await ndv().waitFor();
	const columns = await outputColumns();
	await shot('04-webhook-dry-run-output');
	assert.equal(columns[0], 'delivery', `Table view columns: ${columns.join(', ')}`);
	const output = await page.locator('[data-test-id="output-panel"]').innerText();
	assert.ok(output.includes('dryRun'), 'no dryRun status in the output');
	assert.ok(output.includes('Not rendered: Dry Run previews the first 2 items'), output.slice(0, 1500));
	assert.equal(crm.requests.length, 0, 'a dry run sent a request');
	await closeNdv();

	await page.locator('[data-test-id="canvas-node"]', { hasText: B2B }).first().dblclick();
	await ndv().waitFor();
	const b2bColumns = await outputColumns();
	await shot('05-braze-to-braze-dry-run-output');
	assert.equal(b2bColumns[0], 'delivery', `Table view columns: ${b2bColumns.join(', ')}`);
	assert.equal(braze.requests.length, 0, 'a dry run sent a request to Braze');
	await page.locator('[data-test-id="output-panel"]').getByText('JSON', { exact: true }).first().click();
	await page.waitForTimeout(600);
	await shot('06-braze-to-braze-dry-run-json');
	await closeNdv();
});

test('the Braze to Braze panel: Operation, then Mode; its Options and Limits', { timeout: 5 * 60_000 }, async () => {
	await openNode(DRY_RUN_ID, B2B);
	await shot('07-braze-to-braze-parameters');
	const panel = await ndv().innerText();
	assert.ok(panel.indexOf('Operation') < panel.indexOf('Mode'), 'Operation before Mode');
	const { texts } = await openAddMenu('Options');
	await shot('08-braze-to-braze-options-menu');
	assert.deepEqual(texts, ['Batch Size', 'Object Limit', 'Reuse Connections']);
	await page.keyboard.press('Escape');
	const limits = await openAddMenu('Limits');
	assert.deepEqual(limits.texts, ['Concurrent Requests', 'Follow Redirects', 'Request Timeout (Seconds)']);
	await page.keyboard.press('Escape');
	await closeNdv();
});

test('a broken template: the error quotes the user\'s text, says the item once, and nothing is sent', { timeout: 5 * 60_000 }, async () => {
	await editor.openWorkflow(BROKEN_ID);
	await editor.executeWorkflow();
	await page.locator('[data-test-id="canvas-node"]', { hasText: WEBHOOK }).first().dblclick();
	await ndv().waitFor();
	await page.locator('[data-test-id="node-error-message"]').first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(600);
	await shot('09-broken-template-error');
	const message = (await page.locator('[data-test-id="node-error-message"]').first().innerText()).trim();
	assert.equal(message, `${BROKEN_MESSAGE} [item 0]`);
	const output = await page.locator('[data-test-id="output-panel"]').innerText();
	assert.ok(output.includes('Nothing was sent'), output.slice(0, 1500));
	assert.ok(!/other items are not affected/i.test(output));
	assert.equal(crm.requests.length, 0);
	await closeNdv();
});

for (const [i, credential, fill] of [
	[10, WEBHOOK_CREDENTIAL, { field: 'token', value: 'first-hour-token-2' }],
	[11, BRAZE_CREDENTIAL, { field: 'apiKey', value: 'first-hour-key-2' }],
]) {
	test(`the "${credential.name}" credential form after Save: no red banner`, { timeout: 5 * 60_000 }, async () => {
		await page.goto(`${n8n.url}/home/credentials/${credential.id}`);
		const save = page.locator('[data-test-id="credential-save-button"]');
		await save.waitFor();
		await page.locator(`[data-test-id="parameter-input-${fill.field}"] input`).first().fill(fill.value);
		await save.click();
		const verdict = page.getByText(/Connection tested successfully|Couldn.t connect with these settings/);
		await verdict.first().waitFor({ timeout: 60_000 });
		await page.getByText('Credential saved').first().waitFor({ timeout: 30_000 }).catch(() => {});
		await page.waitForTimeout(1500);
		await shot(`${i}-credential-${credential.id}-saved`);
		const text = await page.locator('body').innerText();
		assert.ok(!/Couldn.t connect/.test(text), `red banner: ${text.slice(0, 1500)}`);
		assert.ok(await page.locator('[data-test-id="credentials-config-container-test-success"]').first().isVisible(), 'no "Connection tested successfully" banner');
		await page.keyboard.press('Escape');
	});
}

for (const theme of ['light', 'dark']) {
	test(`both icons on the canvas, ${theme} theme`, { timeout: 5 * 60_000 }, async () => {
		await page.goto(`${n8n.url}/workflow/${DRY_RUN_ID}?theme=${theme}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await editor.fitCanvas();
		await shot(`${theme === 'light' ? 12 : 13}-canvas-icons-${theme}`);
		const icons = await page
			.locator('[data-test-id="canvas-node"] img')
			.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src') ?? ''));
		const ours = icons.filter((src) => /brazeWebhook|braze\./.test(src));
		assert.equal(new Set(ours).size, 2, `icons: ${JSON.stringify(icons)}`);
		if (theme === 'dark') assert.ok(ours.every((src) => src.includes('.dark.svg')), `dark icons: ${JSON.stringify(ours)}`);
	});
}
