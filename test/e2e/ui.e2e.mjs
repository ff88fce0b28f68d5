// The editor, as a person would use it, in headless Debian Chromium driven by playwright-core:
// log in, open a new workflow, open the nodes panel, search "Braze", find both nodes, add each to the
// canvas and open its parameters. Screenshots go to test/e2e/results/screenshots/ (git-ignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ensureChromium, installPaths, installPlaywright } from './install-n8n.mjs';
import {
	buildAndPack,
	createUserFolder,
	ensureN8n,
	exampleCredentials,
	importCredentials,
	importWorkflow,
	listRecipes,
	log,
	makeTempDir,
	NODE_TYPES,
	REPO_ROOT,
	startN8n,
	substitute,
} from './n8n.mjs';
import { startStandIn } from './stand-in.mjs';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'results', 'screenshots');

const NODES = [
	{ type: NODE_TYPES.brazeWebhook, displayName: 'Braze-Style Webhook', file: 'braze-style-webhook' },
	{ type: NODE_TYPES.brazeToBraze, displayName: 'Braze to Braze', file: 'braze-to-braze' },
];

let n8n;
let context;
let page;
let nodeTypes;
let recipe;
const standIns = {};
/** A recipe that uses both nodes, opened in the editor by the last test. */
const RECIPE = '03-gamer-level-reward';

async function shot(name) {
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	log(`screenshot ${path.relative(REPO_ROOT, file)}`);
	return file;
}

before(async () => {
	await ensureN8n();
	await installPlaywright();
	const executablePath = await ensureChromium();
	const tgz = await buildAndPack();
	const userFolder = await createUserFolder(tgz);
	recipe = listRecipes().find((r) => r.name === RECIPE);
	if (recipe) {
		// The recipe's APIs, on loopback stand-ins, so "Execute workflow" in the editor really delivers.
		const replacements = {};
		for (const [name, spec] of Object.entries(recipe.expect?.standIns ?? {})) {
			const si = await startStandIn({ name, responses: spec.responses, ttlMs: 20 * 60_000 });
			standIns[name] = si;
			replacements[spec.baseUrl] = si.url;
		}
		await importCredentials(userFolder, substitute(exampleCredentials(), replacements));
		await importWorkflow(userFolder, substitute(recipe.workflow, replacements));
	}
	n8n = await startN8n(userFolder);
	nodeTypes = (await n8n.request('GET', '/types/nodes.json', { timeoutMs: 60_000 })).json;

	fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const require = createRequire(path.join(installPaths().playwrightDir, 'package.json'));
	const { chromium } = require('playwright-core');
	context = await chromium.launchPersistentContext(makeTempDir('n8n-e2e-chromium-'), {
		executablePath,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		viewport: { width: 1440, height: 900 },
		timeout: 60_000,
	});
	// Only the local n8n is reachable; fail anything else fast instead of waiting on it.
	await context.route(
		(url) => url.hostname !== '127.0.0.1',
		(route) => route.abort(),
	);
	page = context.pages()[0] ?? (await context.newPage());
	// Generous: the editor's first load compiles a large bundle, slow on 2 busy CI cores.
	page.setDefaultTimeout(60_000);
	page.setDefaultNavigationTimeout(120_000);
}, { timeout: 15 * 60_000 });

after(async () => {
	await context?.close().catch(() => {});
	await n8n?.stop();
	for (const si of Object.values(standIns)) await si.close();
});

test('log in through the sign-in form', { timeout: 5 * 60_000 }, async () => {
	await page.goto(`${n8n.url}/signin`);
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(n8n.owner.email);
	await page.locator('[data-test-id="password"] input').fill(n8n.owner.password);
	await shot('01-signin');
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 60_000 });
	assert.ok(!page.url().includes('signin'), page.url());
});

test('a new workflow: the nodes panel finds both nodes when searching "Braze"', { timeout: 5 * 60_000 }, async () => {
	await page.goto(`${n8n.url}/workflow/new`);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('Braze');
	const names = page.locator('[data-test-id="node-creator-item-name"]');
	await names.filter({ hasText: NODES[0].displayName }).waitFor();
	await names.filter({ hasText: NODES[1].displayName }).waitFor();
	await shot('02-nodes-panel-search-braze');
	const found = await names.allInnerTexts();
	for (const n of NODES) assert.ok(found.some((t) => t.trim() === n.displayName), `"${n.displayName}" not in ${JSON.stringify(found)}`);
	await page.keyboard.press('Escape');
});

/** The label n8n's nodes panel shows for the default operation (its `action`), if the node has operations. */
function defaultActionLabel(type) {
	const desc = nodeTypes.find((t) => t.name === type);
	const op = desc?.properties?.find((p) => p.name === 'operation' && p.type === 'options');
	return op?.options?.find((o) => o.value === op.default)?.action;
}

/** Visible parameter labels that a node's description says the NDV must show with default values. */
function expectedLabels(type) {
	const desc = nodeTypes.find((t) => t.name === type);
	return (desc?.properties ?? [])
		.filter((p) => !p.displayOptions && p.type !== 'notice' && p.type !== 'hidden' && p.type !== 'callout')
		.map((p) => p.displayName);
}

for (const [i, node] of NODES.entries()) {
	test(`add "${node.displayName}" to the canvas and open its parameters`, { timeout: 5 * 60_000 }, async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		if (await ndv.isVisible()) await page.locator('[data-test-id="ndv-close-button"]').click();
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('Braze');
		await page.locator('[data-test-id="node-creator-item-name"]', { hasText: node.displayName }).first().click();
		// Community nodes first show a details panel ("Add to workflow"); a node with operations shows its
		// actions instead ("Track a user", ...). n8n then adds the node (on an empty canvas after a Manual
		// Trigger) and opens its parameters.
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		const label = defaultActionLabel(node.type);
		const action = label ? page.locator('[data-test-id="node-creator"]').getByText(label, { exact: true }) : undefined;
		const deadline = Date.now() + 30_000;
		while (!(await ndv.isVisible()) && Date.now() < deadline) {
			if (action && (await action.first().isVisible())) {
				await page.waitForTimeout(800); // the panel slides in
				await shot(`${String(3 + i * 2).padStart(2, '0')}a-${node.file}-actions`);
				await action.first().click();
			} else if (await addButton.isVisible()) {
				await addButton.click();
			}
			await page.waitForTimeout(300);
		}
		await ndv.waitFor();
		await page.locator('[data-test-id="node-parameters"], [data-test-id="ndv"] :text("does not have any parameters")').first().waitFor();
		await page.waitForTimeout(500); // let the panel settle for the screenshot
		await shot(`${String(3 + i * 2).padStart(2, '0')}-${node.file}-parameters`);

		const text = await ndv.innerText();
		assert.ok(text.includes(node.displayName), `the parameters panel does not show "${node.displayName}"`);
		const labels = expectedLabels(node.type);
		if (labels.length === 0) {
			assert.match(text, /does not have any parameters/);
		} else {
			for (const label of labels) assert.ok(text.includes(label), `parameter "${label}" not shown; panel text: ${text.slice(0, 1500)}`);
		}

		await page.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden' });
		await page.locator('[data-test-id="canvas-node"]', { hasText: node.displayName }).first().waitFor();
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(500);
		await shot(`${String(4 + i * 2).padStart(2, '0')}-${node.file}-on-canvas`);
	});
}

test('the canvas holds both nodes', { timeout: 60_000 }, async () => {
	const texts = await page.locator('[data-test-id="canvas-node"]').allInnerTexts();
	for (const n of NODES) assert.ok(texts.some((t) => t.includes(n.displayName)), `${n.displayName} not on canvas: ${JSON.stringify(texts)}`);
});

test(`the recipe ${RECIPE} opens in the editor with every node known`, { timeout: 5 * 60_000 }, async (t) => {
	if (!recipe) return t.skip(`examples/${RECIPE}.json not found`);
	await page.goto(`${n8n.url}/workflow/${recipe.workflow.id}`);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	const expected = recipe.workflow.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	await page.waitForFunction((count) => document.querySelectorAll('[data-test-id="canvas-node"]').length >= count, expected.length);
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(800);
	await shot('07-recipe-on-canvas');
	const texts = await nodes.allInnerTexts();
	for (const n of expected) assert.ok(texts.some((x) => x.includes(n.name)), `${n.name} not on canvas: ${JSON.stringify(texts)}`);
	// An unknown node type would be drawn as a "?" placeholder that asks to install the node.
	assert.equal(await page.getByText(/install this node|node is not currently installed/i).count(), 0);

	// Open the Braze to Braze node of the recipe: its saved parameters and credential are shown.
	const b2b = recipe.workflow.nodes.find((n) => n.type === NODE_TYPES.brazeToBraze);
	await nodes.filter({ hasText: b2b.name }).first().dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	await page.waitForTimeout(800);
	await shot('08-recipe-braze-to-braze-parameters');
	// Field values live in <input>s (and code editors for expressions), not in the panel's text.
	const values = await ndv.locator('input').evaluateAll((els) => els.map((e) => e.value));
	const shown = `${await ndv.innerText()}\n${values.join('\n')}`;
	for (const want of ['Track User', 'last_reward_level', 'level_reward_granted', 'Braze API (example, loopback stand-in)']) {
		assert.ok(shown.includes(want), `"${want}" not shown in the parameters panel: ${JSON.stringify(values)}`);
	}
	await page.locator('[data-test-id="ndv-close-button"]').click();
});

test(`"Execute workflow" in the editor runs ${RECIPE} against its stand-ins`, { timeout: 5 * 60_000 }, async (t) => {
	if (!recipe || !standIns.game || !standIns.braze) return t.skip('recipe or its stand-ins missing');
	await page.goto(`${n8n.url}/workflow/${recipe.workflow.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const deadline = Date.now() + 60_000;
	while ((standIns.game.requests.length < 2 || standIns.braze.requests.length < 1) && Date.now() < deadline) {
		await page.waitForTimeout(250);
	}
	await page.waitForTimeout(1500); // let the canvas show the run
	await shot('09-recipe-executed-in-editor');
	assert.equal(standIns.game.requests.length, 2, 'game API stand-in requests');
	assert.equal(standIns.braze.requests.length, 1, 'Braze /users/track stand-in requests');
	assert.equal(standIns.braze.requests[0].path, '/users/track');
	assert.equal(standIns.braze.requests[0].json?.attributes?.length, 2);
});
