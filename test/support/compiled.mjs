// The .mjs tools (bench, e2e) run on plain Node 20 or 24, without a TypeScript runtime. They load the
// harness and the HTTP server core compiled to CommonJS with esbuild (a devDependency), so the jest
// suites and the tools share ONE implementation. Output: <repo>/.cache/test-support/ (git-ignored),
// rebuilt when a source under test/harness or test/support is newer than it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(TEST_DIR, '..');
export const BUILD_DIR = path.join(ROOT, '.cache', 'test-support');

/** What a tool can load, by name: the harness (createHarness), the server core (startHttpServer), Braze's seed templates. */
const ENTRIES = {
	harness: 'harness/harness.ts',
	'http-server': 'support/http-server.ts',
	'braze-seeds': 'support/braze-seeds.ts',
	'redis-http-store': 'support/redis-http-store.ts',
};
const SOURCE_DIRS = ['harness', 'support'];

const require = createRequire(import.meta.url);
const outputOf = (name) => path.join(BUILD_DIR, `${name}.cjs`);

function newestSourceMs() {
	let newest = 0;
	for (const dir of SOURCE_DIRS) {
		for (const file of fs.readdirSync(path.join(TEST_DIR, dir))) {
			if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
			newest = Math.max(newest, fs.statSync(path.join(TEST_DIR, dir, file)).mtimeMs);
		}
	}
	return newest;
}

function isFresh() {
	const sources = newestSourceMs();
	return Object.keys(ENTRIES).every((name) => {
		try {
			return fs.statSync(outputOf(name)).mtimeMs >= sources;
		} catch {
			return false;
		}
	});
}

/** Compiles every entry; each output file is replaced atomically, so a concurrent reader never sees half a file. */
export async function buildSupport() {
	const { build } = await import('esbuild');
	fs.mkdirSync(BUILD_DIR, { recursive: true });
	const staging = fs.mkdtempSync(path.join(BUILD_DIR, 'staging-'));
	try {
		await build({
			entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(TEST_DIR, file)])),
			outdir: staging,
			outExtension: { '.js': '.cjs' },
			bundle: true,
			packages: 'external',
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			logLevel: 'error',
		});
		for (const name of Object.keys(ENTRIES)) fs.renameSync(path.join(staging, `${name}.cjs`), outputOf(name));
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** Builds unless the outputs are newer than every source. Call it before starting child processes. */
export async function ensureSupportBuilt() {
	if (!isFresh()) await buildSupport();
}

/** The compiled module `name` (see ENTRIES), built first when missing or stale. */
export async function loadSupport(name) {
	if (!(name in ENTRIES)) throw new Error(`No compiled test support named ${name}`);
	await ensureSupportBuilt();
	return require(outputOf(name));
}
