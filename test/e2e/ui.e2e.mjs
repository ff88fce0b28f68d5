// The editor, as a person would use it, in headless Debian Chromium driven by playwright-core:
// log in, open a new workflow, open the nodes panel, search "Braze", find both nodes, add each to the
// canvas and open its parameters. Screenshots go to test/e2e/results/screenshots/ (git-ignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ensureChromium, installPaths, installPlaywright } from './install-n8n.mjs';
import { buildAndPack, createUserFolder, ensureN8n, log, makeTempDir, NODE_TYPES, REPO_ROOT, startN8n } from './n8n.mjs';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'results', 'screenshots');

const NODES = [
	{ type: NODE_TYPES.brazeWebhook, displayName: 'Braze-style Webhook', file: 'braze-style-webhook' },
	{ type: NODE_TYPES.brazeToBraze, displayName: 'Braze to Braze', file: 'braze-to-braze' },
];

let n8n;
let context;
let page;
let nodeTypes;

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
	n8n = await startN8n(await createUserFolder(tgz));
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
	page.setDefaultTimeout(30_000);
}, { timeout: 15 * 60_000 });

after(async () => {
	await context?.close().catch(() => {});
	await n8n?.stop();
});

test('log in through the sign-in form', async () => {
	await page.goto(`${n8n.url}/signin`);
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(n8n.owner.email);
	await page.locator('[data-test-id="password"] input').fill(n8n.owner.password);
	await shot('01-signin');
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 60_000 });
	assert.ok(!page.url().includes('signin'), page.url());
});

test('a new workflow: the nodes panel finds both nodes when searching "Braze"', async () => {
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
		// Community nodes first show a details panel with "Add to workflow"; n8n then adds the node
		// (and, on an empty canvas, a Manual Trigger before it) and opens its parameters.
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		await Promise.race([addButton.waitFor({ timeout: 15_000 }), ndv.waitFor({ timeout: 15_000 })]).catch(() => {});
		if (await addButton.isVisible()) await addButton.click();
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

test('the canvas holds both nodes', async () => {
	const texts = await page.locator('[data-test-id="canvas-node"]').allInnerTexts();
	for (const n of NODES) assert.ok(texts.some((t) => t.includes(n.displayName)), `${n.displayName} not on canvas: ${JSON.stringify(texts)}`);
});
