#!/usr/bin/env node
// Installs the pinned real n8n (and the Node 24 it needs) into a cache OUTSIDE the repo.
// Runs on the system Node 20. Re-running is cheap: a complete install (marker file) is reused.
//
//   node test/e2e/install-n8n.mjs            # install n8n (+ Node 24) if missing
//   node test/e2e/install-n8n.mjs --browser  # also playwright-core (for the UI test)
//   N8N_E2E_CACHE=/some/dir node test/e2e/install-n8n.mjs
//
// Layout (<cache> = ${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-braze-webhooks}):
//   <cache>/n8n-2.41.1/node24/    npm project holding node@24 (binary + headers)
//   <cache>/n8n-2.41.1/n8n/       npm project holding n8n@2.41.1
//   <cache>/n8n-2.41.1/.complete  written only after everything above succeeded
//   <cache>/playwright-core/      npm project holding playwright-core (only with --browser)
//
// Why the odd flags (see shared/reference/n8n-probe.md):
//  - n8n 2.41.x declares engines.node >=24; the machine's Node is 20, apt only has 18, so Node 24 comes from
//    the npm package `node`.
//  - n8n-nodes-base depends on an xlsx tarball from a CDN that is unreachable here: override to xlsx 0.18.5.
//  - Install scripts fail (kafka's binary download, isolated-vm on the wrong headers): --ignore-scripts, then
//    rebuild only sqlite3 (and isolated-vm, which uses its shipped prebuild) against the Node 24 headers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE24_PREFERRED = '24.21.0';
export const PLAYWRIGHT_CORE_VERSION = '1.64.1';
/** Packages n8n 2.41.1 unpacks into its node_modules (measured), for the install's progress lines. */
const N8N_PACKAGE_COUNT = 1500;

export function cacheRoot() {
	return process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-braze-webhooks');
}

export function installPaths(root = cacheRoot()) {
	const base = path.join(root, `n8n-${N8N_VERSION}`);
	const node24Dir = path.join(base, 'node24');
	const node24Home = path.join(node24Dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
	return {
		root,
		base,
		marker: path.join(base, '.complete'),
		lock: path.join(root, `.install-n8n-${N8N_VERSION}.lock`),
		node24Dir,
		node24Home,
		node24Bin: path.join(node24Home, 'bin'),
		node24Exe: path.join(node24Home, 'bin', 'node'),
		n8nDir: path.join(base, 'n8n'),
		n8nBin: path.join(base, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		playwrightDir: path.join(root, 'playwright-core'),
		playwrightMarker: path.join(root, 'playwright-core', `.complete-${PLAYWRIGHT_CORE_VERSION}`),
	};
}

export function isInstalled(p = installPaths()) {
	return fs.existsSync(p.marker) && fs.existsSync(p.node24Exe) && fs.existsSync(p.n8nBin);
}

/** Environment for npm/node commands that must run on Node 24 (and build against its headers). */
export function node24Env(p = installPaths(), extra = {}) {
	return {
		...process.env,
		PATH: `${p.node24Bin}${path.delimiter}${process.env.PATH}`,
		// ~/.npmrc sets nodedir to the system Node 20 headers; native rebuilds must use Node 24's.
		npm_config_nodedir: p.node24Home,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

const STARTED_AT = Date.now();

export function fmt(ms) {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Time since this process loaded the e2e tooling, as every log line shows it. */
export function elapsed() {
	return fmt(Date.now() - STARTED_AT);
}

function log(msg) {
	process.stderr.write(`[install-n8n ${elapsed()}] ${msg}\n`);
}

/** Packages unpacked so far under a node_modules folder (scoped ones counted one by one). */
function countPackages(nodeModules) {
	let names;
	try {
		names = fs.readdirSync(nodeModules);
	} catch {
		return 0;
	}
	let n = 0;
	for (const name of names) {
		if (name.startsWith('.')) continue;
		if (!name.startsWith('@')) n++;
		else {
			try {
				n += fs.readdirSync(path.join(nodeModules, name)).length;
			} catch {}
		}
	}
	return n;
}

/**
 * Run a command, stream its output to stderr, reject on non-zero exit or timeout. With `heartbeat`,
 * a line every 30 s says it is still running (plus what heartbeat() returns), for steps that print nothing.
 */
export function run(cmd, args, { cwd, env, timeoutMs = 15 * 60_000, quiet = false, stdoutOnly = false, heartbeat } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		log(`$ ${[cmd, ...args].join(' ')}   (in ${cwd})`);
		const beat = heartbeat
			? setInterval(() => {
					const extra = heartbeat();
					log(`  still running, ${fmt(Date.now() - t0)} so far${extra ? `: ${extra}` : ''}`);
				}, 30_000)
			: undefined;
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let tail = '';
		let stdout = '';
		const onData = (d) => {
			const s = d.toString();
			tail = (tail + s).slice(-8000);
			if (!quiet) process.stderr.write(s);
		};
		child.stdout.on('data', (d) => {
			if (stdoutOnly) stdout += d;
			onData(d);
		});
		child.stderr.on('data', onData);
		const kill = () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		};
		const timer = setTimeout(() => {
			log(`timeout after ${fmt(timeoutMs)}: ${cmd} ${args.join(' ')}`);
			kill();
		}, timeoutMs);
		process.once('exit', kill);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			clearInterval(beat);
			process.removeListener('exit', kill);
			if (code === 0) {
				log(`  done in ${fmt(Date.now() - t0)}`);
				resolve(stdoutOnly ? stdout : tail);
			} else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}\n${tail}`));
		});
		child.on('error', (e) => {
			clearTimeout(timer);
			clearInterval(beat);
			reject(e);
		});
	});
}

function writeJson(file, obj) {
	fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n');
}

/** Simple cross-process lock (mkdir is atomic); stale locks (dead pid) are taken over. */
async function withLock(lockDir, fn) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	const deadline = Date.now() + 30 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {}
			let alive = false;
			if (pid) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {}
			}
			if (!alive) {
				log(`removing stale lock ${lockDir} (pid ${pid || '?'})`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir} held by pid ${pid}`);
			log(`waiting for another install (pid ${pid}) ...`);
			await new Promise((r) => setTimeout(r, 5000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

async function pickNode24Version() {
	// Prefer the pinned version; fall back to the newest 24.x the registry has.
	try {
		const out = await run('npm', ['view', `node@${NODE24_PREFERRED}`, 'version'], {
			cwd: os.tmpdir(),
			env: process.env,
			timeoutMs: 120_000,
			quiet: true,
			stdoutOnly: true,
		});
		if (out.includes(NODE24_PREFERRED)) return NODE24_PREFERRED;
	} catch {}
	const out = await run('npm', ['view', 'node@24', 'version', '--json'], {
		cwd: os.tmpdir(),
		env: process.env,
		timeoutMs: 120_000,
		quiet: true,
		stdoutOnly: true,
	});
	const versions = JSON.parse(out.slice(out.indexOf('[')));
	versions.sort((a, b) => {
		const pa = a.split('.').map(Number);
		const pb = b.split('.').map(Number);
		return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
	});
	return versions.at(-1);
}

export async function installN8n({ force = false } = {}) {
	const p = installPaths();
	if (!force && isInstalled(p)) {
		log(`n8n ${N8N_VERSION} already installed in ${p.base} (reused)`);
		return { paths: p, reused: true, ms: 0 };
	}
	return withLock(p.lock, async () => {
		if (!force && isInstalled(p)) {
			log(`n8n ${N8N_VERSION} installed by another process in ${p.base} (reused)`);
			return { paths: p, reused: true, ms: 0 };
		}
		const t0 = Date.now();
		log(`installing n8n ${N8N_VERSION} + Node 24 into ${p.base}, once: about 12 min on a 2-core machine`);
		fs.rmSync(p.base, { recursive: true, force: true });
		fs.mkdirSync(p.node24Dir, { recursive: true });
		fs.mkdirSync(p.n8nDir, { recursive: true });

		// 1. Node 24 from the npm registry (binary + headers).
		log('step 1/3: Node 24 from the npm registry (n8n 2.x needs it; about 10 s)');
		const nodeVersion = await pickNode24Version();
		writeJson(path.join(p.node24Dir, 'package.json'), { name: 'e2e-node24', private: true });
		await run('npm', ['install', `node@${nodeVersion}`, '--no-audit', '--no-fund', '--no-save'], {
			cwd: p.node24Dir,
			env: { ...process.env, npm_config_ignore_scripts: 'false' },
			timeoutMs: 10 * 60_000,
		});
		// `node` relies on its postinstall to link bin/node; we use the platform package directly.
		if (!fs.existsSync(p.node24Exe)) throw new Error(`Node 24 binary not found at ${p.node24Exe}`);
		const v = (await run(p.node24Exe, ['-v'], { cwd: p.node24Dir, env: process.env, quiet: true })).trim();
		log(`Node ${v} at ${p.node24Exe}`);
		const t1 = Date.now();

		// 2. n8n on Node 24, scripts off, xlsx overridden.
		const env = node24Env(p);
		writeJson(path.join(p.n8nDir, 'package.json'), {
			name: 'e2e-n8n',
			private: true,
			dependencies: { n8n: N8N_VERSION },
			overrides: { xlsx: '0.18.5' },
		});
		log(
			`step 2/3: npm install of n8n ${N8N_VERSION} and its ~${N8N_PACKAGE_COUNT} packages: about 8 min; ` +
				'npm prints only errors, so a line every 30 s counts the packages unpacked',
		);
		const nodeModules = path.join(p.n8nDir, 'node_modules');
		await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
			cwd: p.n8nDir,
			env,
			timeoutMs: 20 * 60_000,
			heartbeat: () => {
				const n = countPackages(nodeModules);
				return n === 0 ? 'resolving the dependency tree' : `${n} of ~${N8N_PACKAGE_COUNT} packages unpacked`;
			},
		});
		const t2 = Date.now();
		// 3. Native modules against the Node 24 headers.
		log('step 3/3: compiling sqlite3 and isolated-vm (C++) for Node 24: about 3.5 min, silent until done');
		await run('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--foreground-scripts=false', '--loglevel=error'], {
			cwd: p.n8nDir,
			env: { ...env, npm_config_ignore_scripts: 'false' },
			timeoutMs: 15 * 60_000,
			heartbeat: () => 'compiling',
		});
		const t3 = Date.now();
		// 4. Sanity: n8n runs and reports its version.
		const out = await run(p.node24Exe, [p.n8nBin, '--version'], {
			cwd: p.n8nDir,
			env: { ...env, N8N_USER_FOLDER: path.join(p.base, 'version-check-home'), N8N_DIAGNOSTICS_ENABLED: 'false' },
			timeoutMs: 120_000,
			quiet: true,
		});
		fs.rmSync(path.join(p.base, 'version-check-home'), { recursive: true, force: true });
		if (!out.includes(N8N_VERSION)) throw new Error(`n8n --version printed ${out.trim()}`);
		writeJson(p.marker, {
			n8n: N8N_VERSION,
			node: v,
			installedAt: new Date().toISOString(),
			durationsSeconds: {
				node24: Math.round((t1 - t0) / 1000),
				npmInstall: Math.round((t2 - t1) / 1000),
				rebuild: Math.round((t3 - t2) / 1000),
				total: Math.round((Date.now() - t0) / 1000),
			},
		});
		const ms = Date.now() - t0;
		log(`n8n ${N8N_VERSION} on Node ${v} installed in ${fmt(ms)} (node24 ${fmt(t1 - t0)}, npm install ${fmt(t2 - t1)}, rebuild ${fmt(t3 - t2)})`);
		return { paths: p, reused: false, ms };
	});
}

export async function installPlaywright({ force = false } = {}) {
	const p = installPaths();
	if (!force && fs.existsSync(p.playwrightMarker)) {
		log(`playwright-core ${PLAYWRIGHT_CORE_VERSION} already installed in ${p.playwrightDir} (reused)`);
		return { dir: p.playwrightDir, reused: true };
	}
	return withLock(`${p.playwrightDir}.lock`, async () => {
		const t0 = Date.now();
		fs.rmSync(p.playwrightDir, { recursive: true, force: true });
		fs.mkdirSync(p.playwrightDir, { recursive: true });
		writeJson(path.join(p.playwrightDir, 'package.json'), { name: 'e2e-playwright', private: true });
		let version = PLAYWRIGHT_CORE_VERSION;
		try {
			await run('npm', ['install', `playwright-core@${version}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: p.playwrightDir,
				env: process.env,
				timeoutMs: 5 * 60_000,
			});
		} catch (e) {
			log(`playwright-core@${version} failed (${e.message.split('\n')[0]}); trying latest`);
			version = 'latest';
			await run('npm', ['install', 'playwright-core', '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: p.playwrightDir,
				env: process.env,
				timeoutMs: 5 * 60_000,
			});
		}
		fs.writeFileSync(p.playwrightMarker, new Date().toISOString() + '\n');
		log(`playwright-core installed in ${fmt(Date.now() - t0)}`);
		return { dir: p.playwrightDir, reused: false };
	});
}

/** Ensure /usr/bin/chromium exists (Debian package); installs it with apt-get when running as root. */
export async function ensureChromium() {
	const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (fs.existsSync(exe)) return exe;
	if (typeof process.getuid === 'function' && process.getuid() === 0) {
		log('chromium missing: apt-get install -y chromium');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		await run('apt-get', ['update', '-qq'], { cwd: '/', env, timeoutMs: 10 * 60_000, quiet: true });
		await run('apt-get', ['install', '-y', '-qq', 'chromium'], { cwd: '/', env, timeoutMs: 15 * 60_000, quiet: true });
	}
	if (!fs.existsSync(exe)) throw new Error(`${exe} not found; install Debian's chromium (apt-get install -y chromium)`);
	return exe;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const t0 = Date.now();
	const force = process.argv.includes('--force');
	try {
		const r = await installN8n({ force });
		if (process.argv.includes('--browser')) {
			await installPlaywright({ force });
			await ensureChromium();
		}
		log(`${r.reused ? 'reused' : 'installed'} n8n ${N8N_VERSION}: ${r.paths.n8nBin}`);
		log(`total ${fmt(Date.now() - t0)}`);
	} catch (e) {
		log(`FAILED: ${e.stack || e}`);
		process.exit(1);
	}
}
