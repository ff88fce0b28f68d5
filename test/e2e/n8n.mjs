// Drives a real, pinned n8n (installed by install-n8n.mjs) with this package installed the way users
// install community packages by hand: `npm install <tarball>` in <N8N_USER_FOLDER>/.n8n/nodes.
//
// Everything binds 127.0.0.1; every child runs in its own process group and is killed on exit;
// every temp dir is removed on exit (set N8N_E2E_KEEP=1 to keep them for debugging).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { elapsed, installN8n, installPaths, node24Env, N8N_VERSION, run } from './install-n8n.mjs';

export { N8N_VERSION };
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
export const NODE_TYPES = {
	brazeWebhook: `${PACKAGE_NAME}.brazeWebhook`,
	brazeToBraze: `${PACKAGE_NAME}.brazeToBraze`,
};
export const CREDENTIAL_TYPES = ['brazeApi', 'brazeConnectedContentApi', 'brazeWebhookAuthApi', 'sharedCooldownUpstashApi', 'sharedCooldownWebdisApi'];
export const KEEP = process.env.N8N_E2E_KEEP === '1';

export function log(msg) {
	process.stderr.write(`[e2e ${elapsed()}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Cleanup: children (by process group) and temp dirs

const children = new Set();
const tempDirs = new Set();
let handlersInstalled = false;

function killGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {}
	}
}

/** After the group leader exited: kill anything it left in its process group (e.g. a task runner). */
function killLeftovers(child) {
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {}
}

/** Kills every child still running (SIGTERM, then SIGKILL after graceMs) and removes temp dirs. */
export async function cleanupAll({ graceMs = 5000 } = {}) {
	const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
	for (const c of alive) killGroup(c, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (alive.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
		await sleep(100);
	}
	for (const c of alive) killGroup(c, 'SIGKILL');
	removeTempDirs();
}

function removeTempDirs() {
	if (KEEP) {
		for (const d of tempDirs) log(`kept ${d}`);
		return;
	}
	for (const d of tempDirs) {
		try {
			fs.rmSync(d, { recursive: true, force: true });
		} catch {}
	}
	tempDirs.clear();
}

/** Lets another module's child (Redis, Postgres, an n8n worker) be stopped by cleanupAll and on exit. */
export function trackChild(child) {
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

export function installCleanupHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', () => {
		for (const c of children) killGroup(c, 'SIGKILL');
		removeTempDirs();
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			log(`${sig}: stopping children and cleaning up`);
			cleanupAll({ graceMs: 4000 }).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
		});
	}
}
installCleanupHandlers();

export function makeTempDir(prefix = 'n8n-e2e-') {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(d);
	return d;
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export async function freePort() {
	return new Promise((ok, fail) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', fail);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => ok(port));
		});
	});
}

export async function isPortFree(port) {
	return new Promise((ok) => {
		const srv = net.createServer();
		srv.once('error', () => ok(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
	});
}

// ---------------------------------------------------------------------------------------------------
// n8n install, package build and pack

/** Installs (or reuses) the pinned n8n; returns install paths. */
export async function ensureN8n() {
	const r = await installN8n();
	return r.paths;
}

/** What the build reads besides nodes/ and credentials/. */
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'gulpfile.js'];

function filesUnder(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * Why `dir`'s dist/ must be rebuilt, or undefined when it is fresh: every entry n8n loads is there and
 * every compiled file is newer than every file the build reads. (The build empties dist/ first, so a
 * build that failed halfway leaves entries missing. Copied icons keep their sources' times, so only
 * .js files count.)
 */
export function distStaleReason(dir = REPO_ROOT) {
	const dist = path.join(dir, 'dist');
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const entries = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = entries.find((entry) => !fs.existsSync(path.join(dir, entry)));
	if (!fs.existsSync(dist) || missing) return `${missing ?? 'dist/'} missing`;
	const compiled = filesUnder(dist).filter((file) => file.endsWith('.js'));
	const oldestBuilt = Math.min(...compiled.map((file) => fs.statSync(file).mtimeMs));
	const inputs = [
		...filesUnder(path.join(dir, 'nodes')),
		...filesUnder(path.join(dir, 'credentials')),
		...BUILD_INPUTS.map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file)),
	];
	const newer = inputs.find((file) => fs.statSync(file).mtimeMs >= oldestBuilt);
	return newer ? `${path.relative(dir, newer)} changed since the last build` : undefined;
}

/**
 * `npm run build` (unless dist/ is fresh) then `npm pack` into a temp dir; returns the tarball path.
 * Reuses $N8N_E2E_PACKAGE_TGZ when set (the e2e runner packs once for all test files).
 * $N8N_E2E_PACKAGE_DIR packs another checkout (e.g. `git archive HEAD` output with node_modules linked).
 * $N8N_E2E_FORCE_BUILD=1 (or `force: true`) builds even when dist/ is fresh; $N8N_E2E_SKIP_BUILD=1 never builds.
 */
export async function buildAndPack({
	build = true,
	force = process.env.N8N_E2E_FORCE_BUILD === '1',
	dir = process.env.N8N_E2E_PACKAGE_DIR || REPO_ROOT,
} = {}) {
	const given = process.env.N8N_E2E_PACKAGE_TGZ;
	if (given && fs.existsSync(given)) return given;
	const t0 = Date.now();
	const staleBecause = force ? 'a build was asked for' : distStaleReason(dir);
	if (build && process.env.N8N_E2E_SKIP_BUILD !== '1' && !staleBecause) {
		log('package: dist/ is newer than every source file, not rebuilt (--build or N8N_E2E_FORCE_BUILD=1 forces it)');
	} else if (build && process.env.N8N_E2E_SKIP_BUILD !== '1') {
		log(`package: building it (tsc, icons, liquidjs bundled; about 15 s) because ${staleBecause}`);
		try {
			await run('npm', ['run', 'build', '--silent'], { cwd: dir, env: process.env, timeoutMs: 10 * 60_000, quiet: true });
		} catch (e) {
			throw new Error(`npm run build failed in ${dir}; the e2e tests need a package that builds.\n${e.message.slice(-3000)}`);
		}
	}
	if (!fs.existsSync(path.join(dir, 'dist'))) throw new Error(`${dir}/dist missing: run \`npm run build\``);
	const dest = makeTempDir('n8n-e2e-pack-');
	const out = await run('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: dir,
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
		timeoutMs: 5 * 60_000,
		quiet: true,
		stdoutOnly: true,
	});
	const info = JSON.parse(out.slice(out.indexOf('[')));
	const tgz = path.join(dest, info[0].filename);
	log(`packed ${info[0].filename} (${info[0].entryCount} files, ${Math.round(info[0].size / 1024)} KiB) in ${Date.now() - t0} ms`);
	return tgz;
}

// ---------------------------------------------------------------------------------------------------
// User folder and community-package install

/**
 * A fresh N8N_USER_FOLDER with the packed package installed as a community package:
 * <dir>/.n8n/nodes/{package.json,node_modules/n8n-nodes-braze-webhooks}.
 *
 * Like n8n's own community-package installer, the package's peer dependency (n8n-workflow) is NOT
 * installed: n8n puts its own node_modules on NODE_PATH, so `require('n8n-workflow')` in the package
 * resolves to n8n's copy (a second copy would break instanceof checks on n8n's error classes).
 */
export async function createUserFolder(tgz, { dir } = {}) {
	const userFolder = dir ?? makeTempDir('n8n-e2e-home-');
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
	);
	if (tgz) {
		await run(
			'npm',
			['install', tgz, '--ignore-scripts', '--legacy-peer-deps', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: nodesDir, env: node24Env(installPaths()), timeoutMs: 5 * 60_000, quiet: true },
		);
		const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
		if (!fs.existsSync(installed)) throw new Error(`package not installed at ${installed}`);
		if (fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))) {
			throw new Error('a second n8n-workflow was installed next to the package (peer dependency leaked)');
		}
	}
	return userFolder;
}

// ---------------------------------------------------------------------------------------------------
// Running n8n

/** Environment for any n8n process: isolated user folder, loopback only, no phoning home. */
export function n8nEnv(userFolder, extra = {}) {
	const base = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Don't leak the caller's n8n settings or npm's run-script variables into n8n.
		if (k.startsWith('N8N_') || k.startsWith('npm_') || k.startsWith('DB_') || k === 'NODE_OPTIONS') continue;
		base[k] = v;
	}
	const p = installPaths();
	return {
		...base,
		PATH: `${p.node24Bin}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

/**
 * Runs one n8n CLI command to completion with its own task-broker port.
 * @returns {Promise<{code:number|null, signal:string|null, stdout:string, stderr:string, ms:number}>}
 */
export async function runN8n(userFolder, args, { timeoutMs = 3 * 60_000, env = {} } = {}) {
	const p = installPaths();
	const brokerPort = await freePort();
	const t0 = Date.now();
	const child = spawn(p.node24Exe, [p.n8nBin, ...args], {
		cwd: userFolder,
		env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const timer = setTimeout(() => {
		log(`n8n ${args.join(' ')}: timeout after ${timeoutMs} ms, killing`);
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const [code, signal] = await new Promise((ok) => child.on('close', (c, s) => ok([c, s])));
	clearTimeout(timer);
	children.delete(child);
	killLeftovers(child);
	return { code, signal, stdout, stderr, ms: Date.now() - t0 };
}

function writeTempJson(userFolder, name, data) {
	const file = path.join(userFolder, name);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

export function mustSucceed(what, r) {
	if (r.code !== 0) {
		throw new Error(`${what} exited ${r.code ?? r.signal}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`);
	}
	return r;
}

/** `n8n import:workflow` for one workflow object (or an array of them). */
export async function importWorkflow(userFolder, workflow, { env } = {}) {
	const list = Array.isArray(workflow) ? workflow : [workflow];
	for (const wf of list) {
		if (typeof wf.id !== 'string' || wf.id.length !== 16) throw new Error(`workflow "${wf.name}" needs a fixed 16-char id`);
	}
	const file = writeTempJson(userFolder, `import-wf-${Date.now()}.json`, list);
	const r = await runN8n(userFolder, ['import:workflow', `--input=${file}`], { env });
	fs.rmSync(file, { force: true });
	return mustSucceed('n8n import:workflow', r);
}

/** `n8n import:credentials`: plaintext `data` is accepted and encrypted with the folder's key. */
export async function importCredentials(userFolder, credentials, { env } = {}) {
	const file = writeTempJson(userFolder, `import-cred-${Date.now()}.json`, credentials);
	const r = await runN8n(userFolder, ['import:credentials', `--input=${file}`], { env });
	fs.rmSync(file, { force: true });
	return mustSucceed('n8n import:credentials', r);
}

/** Extracts the `--rawOutput` JSON: from the first line starting with `{` (2.x logs a few lines first). */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	for (let end = lines.length; end > start; end--) {
		const chunk = lines.slice(start, end).join('\n').trim();
		if (!chunk.endsWith('}')) continue;
		try {
			return JSON.parse(chunk);
		} catch {}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput` (mode "cli": workflow static data is saved after the run).
 * @returns {Promise<{code, stdout, stderr, ms, result, status, runData, output:(node:string)=>object[]}>}
 */
export async function executeWorkflow(userFolder, id, { timeoutMs = 3 * 60_000 } = {}) {
	const r = await runN8n(userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
	const result = parseRawOutput(r.stdout);
	const runData = result?.data?.resultData?.runData ?? {};
	return {
		...r,
		result,
		status: result?.status,
		error: result?.data?.resultData?.error,
		runData,
		/** All items a node output on all its outputs in its last run: [{output, json}] */
		output(nodeName, outputIndex = 0) {
			const runs = runData[nodeName];
			if (!runs?.length) return undefined;
			const main = runs.at(-1)?.data?.main ?? [];
			return (main[outputIndex] ?? []).map((i) => i.json);
		},
	};
}

/** A workflow as n8n stored it, static data included (via `n8n export:workflow`). */
export async function exportWorkflow(userFolder, id) {
	const file = path.join(userFolder, `export-${id}-${Date.now()}.json`);
	mustSucceed('n8n export:workflow', await runN8n(userFolder, ['export:workflow', `--id=${id}`, `--output=${file}`]));
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.rmSync(file, { force: true });
	return Array.isArray(data) ? data[0] : data;
}

// ---------------------------------------------------------------------------------------------------
// n8n start (the editor and REST API) on 127.0.0.1

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'E2eOwnerPass123!',
};

async function http(method, url, { body, cookie, timeoutMs = 30_000, headers = {} } = {}) {
	const res = await fetch(url, {
		method,
		headers: {
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(cookie ? { cookie } : {}),
			...headers,
		},
		body: body !== undefined ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(timeoutMs),
		redirect: 'manual',
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {}
	const setCookie = res.headers.getSetCookie?.() ?? [];
	return { status: res.status, text, json, setCookie, headers: res.headers };
}

function cookieFrom(setCookie) {
	return setCookie.map((c) => c.split(';')[0]).join('; ');
}

/**
 * Starts `n8n start` on a free (or given) 127.0.0.1 port, waits for health, and sets up the owner.
 * @returns {Promise<{url, port, userFolder, owner, cookie, logFile, request, stop}>}
 */
export async function startN8n(userFolder, { port, owner = DEFAULT_OWNER, startTimeoutMs = 180_000, env = {} } = {}) {
	const p = installPaths();
	port ??= await freePort();
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(userFolder, 'n8n-start.log');
	const logFd = fs.openSync(logFile, 'a');
	const t0 = Date.now();
	const child = spawn(p.node24Exe, [p.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnv(userFolder, {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_EDITOR_BASE_URL: url,
			WEBHOOK_URL: `${url}/`,
			...env,
		}),
		stdio: ['ignore', logFd, logFd],
		detached: true,
	});
	fs.closeSync(logFd);
	children.add(child);
	let exited = false;
	child.on('exit', () => {
		exited = true;
		children.delete(child);
		killLeftovers(child);
	});

	const tailLog = () => {
		try {
			return fs.readFileSync(logFile, 'utf8').slice(-4000);
		} catch {
			return '';
		}
	};
	const stop = async () => {
		if (!exited) {
			killGroup(child, 'SIGTERM');
			const deadline = Date.now() + 15_000;
			while (!exited && Date.now() < deadline) await sleep(100);
			killGroup(child, 'SIGKILL');
		}
		children.delete(child);
	};

	// Health: bounded wait.
	const deadline = Date.now() + startTimeoutMs;
	for (;;) {
		if (exited) throw new Error(`n8n start exited early (code ${child.exitCode})\n${tailLog()}`);
		try {
			const r = await http('GET', `${url}/healthz/readiness`, { timeoutMs: 2000 });
			if (r.status === 200) break;
		} catch {}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start not healthy after ${startTimeoutMs} ms\n${tailLog()}`);
		}
		await sleep(500);
	}
	const healthyMs = Date.now() - t0;

	// Owner setup (first start) or login (owner already exists).
	let cookie = '';
	for (let attempt = 0; attempt < 20 && !cookie; attempt++) {
		const setup = await http('POST', `${url}/rest/owner/setup`, { body: owner });
		if (setup.status === 200 && setup.setCookie.length) {
			cookie = cookieFrom(setup.setCookie);
			break;
		}
		const login = await http('POST', `${url}/rest/login`, {
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (login.status === 200 && login.setCookie.length) {
			cookie = cookieFrom(login.setCookie);
			break;
		}
		if (attempt === 19) {
			await stop();
			throw new Error(`owner setup/login failed: setup ${setup.status} ${setup.text.slice(0, 300)}; login ${login.status} ${login.text.slice(0, 300)}`);
		}
		await sleep(500);
	}

	return {
		url,
		port,
		userFolder,
		owner,
		cookie,
		logFile,
		healthyMs,
		pid: child.pid,
		/** Authenticated request to the running n8n. */
		request: (method, pathname, opts = {}) => http(method, `${url}${pathname}`, { cookie, ...opts }),
		stop,
	};
}

// ---------------------------------------------------------------------------------------------------
// Recipes (examples/*.json)

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Every importable workflow in examples/ (not *.e2e.json, not credentials.json). */
export function listRecipes() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json') && !f.endsWith('.e2e.json') && f !== 'credentials.json')
		.sort()
		.map((f) => {
			const file = path.join(EXAMPLES_DIR, f);
			const expectFile = file.replace(/\.json$/, '.e2e.json');
			return {
				file,
				name: f.replace(/\.json$/, ''),
				workflow: JSON.parse(fs.readFileSync(file, 'utf8')),
				expectFile: fs.existsSync(expectFile) ? expectFile : undefined,
				expect: fs.existsSync(expectFile) ? JSON.parse(fs.readFileSync(expectFile, 'utf8')) : undefined,
			};
		});
}

/** The placeholder credentials in examples/credentials.json (point at loopback stand-ins). */
export function exampleCredentials() {
	const file = path.join(EXAMPLES_DIR, 'credentials.json');
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
}

/**
 * Replaces every occurrence of each key (e.g. "http://127.0.0.1:48101") by its value in a JSON value.
 * Recipes point at fixed loopback "stand-in" base URLs; tests swap in the URL of a stand-in on a free port.
 */
export function substitute(value, replacements) {
	let text = JSON.stringify(value);
	for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
	return JSON.parse(text);
}

export function n8nCommandLine() {
	const p = installPaths();
	return `${p.node24Exe} ${p.n8nBin}`;
}

export function whichSync(cmd) {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}
