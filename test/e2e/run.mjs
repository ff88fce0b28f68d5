#!/usr/bin/env node
// The e2e entry point (`npm run test:e2e`): installs the pinned n8n once (cached outside the repo),
// builds and packs this package once, then runs every test/e2e/*.e2e.mjs with node's test runner,
// one file at a time (each starts its own n8n processes in its own user folder).
//
//   node test/e2e/run.mjs                  # everything
//   node test/e2e/run.mjs smoke recipes    # only files whose name contains one of the words
//   N8N_E2E_SKIP_UI=1 node test/e2e/run.mjs  # no Chromium test
//   N8N_E2E_KEEP=1 ...                     # keep temp user folders (paths are logged)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureChromium, installN8n, installPlaywright } from './install-n8n.mjs';
import { buildAndPack, cleanupAll, log } from './n8n.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let files = fs
	.readdirSync(here)
	.filter((f) => f.endsWith('.e2e.mjs'))
	.sort()
	.filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
const skipUi = process.env.N8N_E2E_SKIP_UI === '1';
if (skipUi) files = files.filter((f) => !f.startsWith('ui'));
if (files.length === 0) {
	log('no e2e test files selected');
	process.exit(1);
}

let exitCode = 1;
try {
	const install = await installN8n();
	const tInstall = Date.now() - t0;
	let tBrowser = 0;
	if (files.some((f) => f.startsWith('ui'))) {
		const tb = Date.now();
		await installPlaywright();
		await ensureChromium();
		tBrowser = Date.now() - tb;
	}
	const tp = Date.now();
	const tgz = await buildAndPack();
	const tPack = Date.now() - tp;
	log(`setup: n8n ${install.reused ? 'reused' : 'installed'} in ${secs(tInstall)}, browser ${secs(tBrowser)}, build+pack ${secs(tPack)}`);

	const tt = Date.now();
	exitCode = await new Promise((ok) => {
		const child = spawn(
			process.execPath,
			[
				'--test',
				'--test-concurrency=1',
				'--test-reporter=spec',
				...files.map((f) => path.join(here, f)),
			],
			{
				stdio: 'inherit',
				env: { ...process.env, N8N_E2E_PACKAGE_TGZ: tgz },
			},
		);
		// Bounded: the whole test run may not exceed 45 minutes.
		const timer = setTimeout(() => {
			log('e2e tests exceeded 45 minutes; stopping');
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
		}, 45 * 60_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			ok(code ?? 1);
		});
	});
	log(`tests: ${secs(Date.now() - tt)}; total e2e: ${secs(Date.now() - t0)} (exit ${exitCode})`);
} catch (e) {
	log(`FAILED: ${e.stack || e}`);
	exitCode = 1;
} finally {
	await cleanupAll();
}
process.exit(exitCode);
