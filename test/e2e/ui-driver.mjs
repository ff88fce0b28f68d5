// Drives n8n's editor in headless Debian Chromium the way a person does: keyboard, clipboard, mouse.
// Used by the ui-*.e2e.mjs tests; every wait is bounded.
import { createRequire } from 'node:module';
import path from 'node:path';

import { ensureChromium, installPaths, installPlaywright } from './install-n8n.mjs';
import { log, makeTempDir, REPO_ROOT } from './n8n.mjs';

const TYPING_DELAY_MS = 12;
const param = (name) => `[data-test-id="parameter-input-${name}"]`;

export async function openEditor(n8n, shotDir) {
	await installPlaywright();
	const executablePath = await ensureChromium();
	const require = createRequire(path.join(installPaths().playwrightDir, 'package.json'));
	const { chromium } = require('playwright-core');
	const context = await chromium.launchPersistentContext(makeTempDir('n8n-e2e-chromium-'), {
		executablePath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: { width: 1440, height: 900 },
		timeout: 60_000,
	});
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: n8n.url });
	await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(60_000);
	page.setDefaultNavigationTimeout(120_000);
	const editor = new Editor(n8n, context, page, shotDir);
	await editor.signIn();
	return editor;
}

class Editor {
	constructor(n8n, context, page, shotDir) {
		Object.assign(this, { n8n, context, page, shotDir });
	}

	async fitCanvas() {
		await this.page.locator('[data-test-id="zoom-to-fit"]').click();
		await this.page.waitForTimeout(500);
	}

	async shot(name) {
		const file = path.join(this.shotDir, `${name}.png`);
		await this.page.screenshot({ path: file });
		log(`screenshot ${path.relative(REPO_ROOT, file)}`);
	}

	async signIn() {
		const { page, n8n } = this;
		await page.goto(`${n8n.url}/signin`);
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(n8n.owner.email);
		await page.locator('[data-test-id="password"] input').fill(n8n.owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 60_000 });
	}

	async openWorkflow(id) {
		await this.page.goto(`${this.n8n.url}/workflow/${id}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	async executeWorkflow() {
		const { page } = this;
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		// Done when the button no longer shows a running execution.
		await page.waitForTimeout(500);
		await page.waitForFunction(() => !document.querySelector('[data-test-id="stop-execution-button"]'), null, { timeout: 120_000 });
	}

	async save() {
		const { page } = this;
		await page.keyboard.press('Control+s');
		await page.locator('[data-test-id="workflow-save-button"]').filter({ hasText: /Saved/ }).waitFor({ timeout: 30_000 }).catch(() => {});
		await page.waitForTimeout(500);
	}

	/** Selects `after`, adds `displayName` from the nodes panel (connected to it) and returns its open parameters panel. */
	async addNodeAfter(after, displayName, action) {
		const { page } = this;
		const ndv = page.locator('[data-test-id="ndv"]');
		await page.locator('[data-test-id="canvas-node"]', { hasText: after }).first().click();
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('Braze');
		await page.locator('[data-test-id="node-creator-item-name"]', { hasText: displayName }).first().click();
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		const actionItem = action ? page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }) : undefined;
		const deadline = Date.now() + 30_000;
		while (!(await ndv.isVisible()) && Date.now() < deadline) {
			if (actionItem && (await actionItem.first().isVisible())) await actionItem.first().click();
			else if (await addButton.isVisible()) await addButton.click();
			await page.waitForTimeout(300);
		}
		await ndv.waitFor();
		await page.locator('[data-test-id="node-parameters"]').waitFor();
		return new Ndv(this);
	}

	async close() {
		await this.context?.close().catch(() => {});
	}
}

export class Ndv {
	constructor(editor) {
		this.editor = editor;
		this.page = editor.page;
		this.root = this.page.locator('[data-test-id="ndv"]');
	}

	shot(name) {
		return this.editor.shot(name);
	}

	field(name, index = 0) {
		return this.root.locator(param(name)).nth(index);
	}

	/** The code editor (CodeMirror) of a Liquid field. */
	code(name, index = 0) {
		return this.field(name, index).locator('.cm-content').first();
	}

	/**
	 * Puts `text` into a Liquid field the way a person would:
	 * typed: click the field and type key by key (typedOver: over what the field holds); retyped: type a draft, select all, delete, type again;
	 * pasted: select all, paste from the clipboard.
	 */
	async enter(name, text, way, index = 0) {
		const { page } = this;
		const editor = this.code(name, index);
		await editor.click();
		if (way === 'typed') {
			await page.keyboard.press('Control+End');
			await typeAsWritten(page, text);
		} else if (way === 'typedOver') {
			await page.keyboard.press('Control+a');
			await page.keyboard.press('Backspace');
			await typeAsWritten(page, text);
		} else if (way === 'retyped') {
			await page.keyboard.press('Control+a');
			await page.keyboard.press('Backspace');
			await typeAsWritten(page, '{{${draft}}}');
			await page.keyboard.press('Control+a');
			await page.keyboard.press('Backspace');
			await typeAsWritten(page, text);
		} else if (way === 'pasted') {
			await page.evaluate((t) => navigator.clipboard.writeText(t), text);
			await page.keyboard.press('Control+a');
			await page.keyboard.press('Control+v');
		} else {
			throw new Error(`unknown way ${way}`);
		}
		await page.waitForTimeout(300);
	}

	async typePlain(name, index, text) {
		await this.field(name, index).locator('input, textarea').first().click();
		await this.page.keyboard.type(text, { delay: TYPING_DELAY_MS });
	}

	async chooseOption(name, optionText) {
		await this.field(name).click();
		await this.page.locator('.el-select-dropdown__item:visible, [role="option"]:visible', { hasText: optionText }).first().click();
	}

	async addCollectionRow(name, buttonText) {
		await this.root.getByRole('button', { name: buttonText }).last().click();
		await this.page.waitForTimeout(300);
	}

	/** Drags a field of the INPUT panel (schema view) onto a parameter, with real mouse moves. */
	async dragInputField(fieldName, target, index = 0) {
		const { page } = this;
		const field = this.field(target, index);
		for (let attempt = 1; attempt <= 2; attempt++) {
			await field.scrollIntoViewIfNeeded();
			const source = this.root.locator(`[data-target="mappable"][data-name="${fieldName}"]`).first();
			await source.scrollIntoViewIfNeeded();
			const to = await field.boundingBox();
			const from = await source.boundingBox();
			await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
			await page.mouse.down();
			await page.mouse.move(from.x + 60, from.y + from.height / 2, { steps: 5 });
			await page.mouse.move(to.x + to.width / 2, to.y + Math.min(20, to.height / 2), { steps: 20 });
			await page.waitForTimeout(300);
			await page.mouse.up();
			await page.waitForTimeout(800);
			if ((await field.innerText()).includes(fieldName)) return;
			log(`drag of "${fieldName}" onto ${target}[${index}] did not land (attempt ${attempt})`);
		}
		throw new Error(`dragging "${fieldName}" onto ${target}[${index}] left the field without it`);
	}

	async close() {
		await this.page.locator('[data-test-id="ndv-close-button"]').click();
		await this.root.waitFor({ state: 'hidden' });
	}
}

/**
 * Types text with the keyboard. A code editor indents a new line by itself after Enter, as it would for
 * a person; like a person typing the text as written, the test selects that indent and types over it.
 */
async function typeAsWritten(page, text) {
	const lines = text.split('\n');
	for (const [i, line] of lines.entries()) {
		if (i > 0) {
			await page.keyboard.press('Enter');
			const indent = await page.evaluate(() => document.activeElement?.closest('.cm-editor')?.querySelector('.cm-activeLine')?.textContent ?? '');
			if (indent.length > 0) {
				await page.keyboard.press('Shift+Home');
				if (line === '') await page.keyboard.press('Backspace');
			}
		}
		if (line !== '') await page.keyboard.type(line, { delay: TYPING_DELAY_MS });
	}
}
