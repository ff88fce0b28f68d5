#!/usr/bin/env node
// `npm run bench`: the benchmarks of issue 8, side by side in one run, reported as ratios.
// Not a test: it never fails on a number (exit code 0 unless the bench itself breaks).
//
//   node test/bench/run.mjs [--skip-n8n] [--reps 3] [--n8n-reps 3] [--tls-n 2000] [--quick] [--out <dir>]
//
// Assumes `npm install && npm run build` (README setup): it runs the BUILT nodes from dist/.
// Everything talks to one loopback server process (lib/server.mjs) that counts connections; every
// sender runs in a fresh child process; senders alternate within each repetition (A B C…, then
// …C B A) and ratios are taken inside a repetition, then the median over repetitions.
// Writes <out>/latest.json and <out>/chart.svg (default test/bench/results/).
import { execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureSupportBuilt } from '../support/compiled.mjs';
import { writeChart } from './lib/chart.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

// ---------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const QUICK = flag('quick');
// --only 1,2,…: run only these items (1 and 6 share their runs; 5 reuses item 1's 10k runs when both run).
const ONLY = opt('only', undefined)?.split(',').map(Number);
const want = (item) => !ONLY || ONLY.includes(item);
const CFG = {
	reps: Number(opt('reps', QUICK ? 1 : 3)),
	n8nReps: Number(opt('n8n-reps', 3)),
	skipN8n: flag('skip-n8n'),
	n: Number(opt('n', QUICK ? 2000 : 10_000)),
	concurrency: Number(opt('concurrency', 10)),
	tlsN: Number(opt('tls-n', QUICK ? 500 : 1000)),
	// TLS runs go through a proxy that delays each direction by this much (a 40 ms round trip).
	tlsNetDelayMs: 20,
	b2bLatencyMs: 5,
	b2bPerItemN: Number(opt('b2b-single-n', QUICK ? 200 : 500)),
	// Item 9: Braze to Braze's concurrent batches against its sequential batches (issue 16).
	b2bConcurrentN: Number(opt('b2b-concurrent-n', QUICK ? 10_000 : 100_000)),
	b2bConcurrentLatencyMs: 100,
	b2bConcurrentRequests: 10,
	// What the stand-in advertises and enforces: Braze's /users/track limit on data-point plans.
	b2bRateLimit: { limit: 3000, windowSeconds: 3 },
	growth: opt('growth', QUICK ? '1000,2000,10000' : '1000,10000,100000')
		.split(',')
		.map(Number),
	retryFailEvery: 5,
	retryInitialDelayMs: 20,
	// 20% of attempts fail: with Braze's 5 retries an item fails all 6 attempts with p = 0.2^6, i.e.
	// ~0.6 of 10,000 items, which stops the workflow; 10 retries make that negligible (p = 0.2^11).
	retryMaxRetries: 10,
	liquidRenders: Number(opt('liquid-renders', QUICK ? 2000 : 5000)),
	outDir: path.resolve(opt('out', path.join(HERE, 'results'))),
	cpuProf: flag('cpu-prof'),
};
// --cpu-prof: V8 profiles of every sender and n8n process, kept outside the repo (they are large).
const PROFILE_DIR = path.join(os.tmpdir(), 'braze-bench-profiles');
if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'BrazeWebhook', 'BrazeWebhook.node.js'))) {
	console.error('dist/ is missing: run `npm install && npm run build` first.');
	process.exit(1);
}

// The harness and the server core, compiled once here so the senders (child processes) only load them.
await ensureSupportBuilt();

const T0 = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - T0) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const median = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return undefined;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x));
	return s.length ? [Math.min(...s), Math.max(...s)] : undefined;
};

// Temp dir for certificates and n8n-core's instance settings; removed at exit.
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'braze-bench-'));
const children = new Set();
process.on('exit', () => {
	for (const c of children) {
		try {
			c.kill('SIGKILL');
		} catch {}
	}
	fs.rmSync(TMP, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

// ---------------------------------------------------------------------------------------------------
// Runtime: n8n 2.x runs on Node 24; the in-process runs use the same Node 24 when the cached n8n
// install has it, so they measure what n8n 2.41 runs. Without it, the system Node.

let n8nInstall = { attempted: false };
async function ensureRealN8n() {
	if (CFG.skipN8n) return;
	n8nInstall.attempted = true;
	const { installN8n, isInstalled } = await import('../e2e/install-n8n.mjs');
	const cold = !isInstalled();
	const t = Date.now();
	log(cold ? 'installing n8n 2.41.1 + Node 24 into the cache (cold, takes minutes)' : 'reusing the cached n8n 2.41.1');
	try {
		await installN8n();
		n8nInstall = { attempted: true, ok: true, cold, ms: Date.now() - t };
	} catch (error) {
		n8nInstall = { attempted: true, ok: false, cold, ms: Date.now() - t, error: String(error.message).split('\n')[0] };
		log(`n8n install failed: ${n8nInstall.error}`);
	}
}

async function pickRuntime() {
	try {
		const { installPaths, isInstalled } = await import('../e2e/install-n8n.mjs');
		if (isInstalled()) return { exe: installPaths().node24Exe, label: 'Node 24 (the cached n8n runtime)' };
	} catch {}
	return { exe: process.execPath, label: `system Node ${process.version}` };
}

// ---------------------------------------------------------------------------------------------------
// The loopback server

function haveOpenssl() {
	try {
		execFileSync('openssl', ['version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function makeCert() {
	const cert = path.join(TMP, 'cert.pem');
	const key = path.join(TMP, 'key.pem');
	// EC P-256 (certbot's default key type), valid for 127.0.0.1; trusted through NODE_EXTRA_CA_CERTS.
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			key,
			'-out',
			cert,
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
		],
		{ stdio: 'ignore' },
	);
	return { cert, key };
}

async function startServer(tls) {
	const args = ['--ttl', '1500'];
	if (tls) args.push('--cert', tls.cert, '--key', tls.key, '--net-delay-ms', String(CFG.tlsNetDelayMs));
	const child = fork(path.join(HERE, 'lib', 'server.mjs'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	children.add(child);
	const ready = await new Promise((ok, fail) => {
		child.once('error', fail);
		child.on('message', (m) => m.ready && ok(m));
	});
	let id = 0;
	const call = (cmd, extra = {}) =>
		new Promise((ok) => {
			const my = ++id;
			const h = (m) => {
				if (m.id === my) {
					child.off('message', h);
					ok(m);
				}
			};
			child.on('message', h);
			child.send({ id: my, cmd, ...extra });
		});
	return {
		httpUrl: `http://127.0.0.1:${ready.httpPort}`,
		httpsUrl: ready.httpsPort ? `https://127.0.0.1:${ready.httpsPort}` : undefined,
		delayedHttpsUrl: ready.delayedHttpsPort ? `https://127.0.0.1:${ready.delayedHttpsPort}` : undefined,
		reset: (config) => call('reset', { config }),
		stats: async () => (await call('stats')).stats,
		stop: () => {
			child.send({ cmd: 'stop' });
			children.delete(child);
		},
	};
}

// ---------------------------------------------------------------------------------------------------
// Senders (each a fresh child process)

let RUNTIME;
let TLS;
let profCount = 0;

function childEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	for (const k of Object.keys(env)) if (k.startsWith('npm_') || k === 'NODE_OPTIONS') delete env[k];
	return {
		...env,
		N8N_USER_FOLDER: path.join(TMP, 'n8n-user'),
		N8N_ENCRYPTION_KEY: 'bench-only-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		...(TLS ? { NODE_EXTRA_CA_CERTS: TLS.cert } : {}),
	};
}

function runChild(args, { timeoutMs = 10 * 60_000, label } = {}) {
	return new Promise((ok, fail) => {
		const execArgs = [...args];
		if (CFG.cpuProf && label)
			execArgs.unshift(
				'--cpu-prof',
				`--cpu-prof-dir=${PROFILE_DIR}`,
				`--cpu-prof-name=${String(++profCount).padStart(2, '0')}-${label}.cpuprofile`,
			);
		const child = spawn(RUNTIME.exe, execArgs, { cwd: HERE, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			children.delete(child);
			const line = out
				.trim()
				.split('\n')
				.filter((l) => l.startsWith('{'))
				.at(-1);
			if (code !== 0 || !line) return fail(new Error(`${args.join(' ').slice(0, 200)} exited ${code}: ${err.slice(-1500)}`));
			ok(JSON.parse(line));
		});
	});
}

const bare = (url, n, c, mode) =>
	runChild(['lib/client.mjs', '--url', url, '--n', String(n), '--c', String(c), '--mode', mode], { label: `bare-${mode}` });
const ours = (spec, label = 'ours') => runChild(['--expose-gc', 'lib/node-run.mjs', JSON.stringify(spec)], { label });

/** Runs one sender against a freshly reset server; returns its own numbers plus the server's. */
async function measure(server, config, name, fn) {
	await server.reset(config);
	const r = await fn();
	const s = await server.stats();
	const ms = r.executionTime ?? r.ms;
	return {
		name,
		ms,
		...r,
		server: {
			requests: s.requests,
			connections: s.connections,
			maxOpen: s.maxOpen,
			connectionClose: s.connectionClose,
			tlsHandshakes: s.tlsHandshakes,
			tlsResumed: s.tlsResumed,
			bodyBytes: s.bodyBytes,
			digest: s.digest,
			status: s.status,
			objects: s.objects,
			retryGapMs: s.retryGapMs,
			retriesByIndex: s.retriesByIndex,
			firstAt: s.firstAt,
			lastAt: s.lastAt,
		},
	};
}

/** reps × senders, alternating the order each repetition. */
async function sequence(title, reps, senders) {
	const byRep = [];
	for (let rep = 0; rep < reps; rep++) {
		const order = rep % 2 === 0 ? senders : [...senders].reverse();
		const results = {};
		for (const s of order) {
			const r = await s.run();
			results[s.name] = r;
			log(
				`${title} rep ${rep + 1}/${reps} ${s.name.padEnd(16)} ${r.ms.toFixed(0).padStart(6)} ms  conns ${r.server.connections}  reqs ${r.server.requests}`,
			);
		}
		byRep.push(results);
	}
	return byRep;
}

/** Median over repetitions of a per-repetition value. */
const perRep = (byRep, fn) => {
	const values = byRep.map((r) => {
		try {
			return fn(r);
		} catch {
			return undefined;
		}
	});
	return { median: median(values), range: range(values), values };
};

// ---------------------------------------------------------------------------------------------------
// Sections

async function throughputSection(server, { title, baseUrl, n, latencyMs, netDelayMs = 0, withRetry }) {
	const url = `${baseUrl}/hook`;
	const c = CFG.concurrency;
	const cfg = { latencyMs };
	const senders = [
		{ name: 'bare keep-alive', run: () => measure(server, cfg, 'bare keep-alive', () => bare(url, n, c, 'keepalive')) },
		{ name: 'bare new conn', run: () => measure(server, cfg, 'bare new conn', () => bare(url, n, c, 'fresh')) },
		// The global fetch alone: the ceiling of any fetch-based sender, Reuse Connections included.
		{ name: 'bare fetch', run: () => measure(server, cfg, 'bare fetch', () => bare(url, n, c, 'fetch')) },
		{ name: 'ours', run: () => measure(server, cfg, 'ours', () => ours({ node: 'webhook', n, url, concurrency: c }, `ours-${title}`)) },
		{
			name: 'ours + reuse',
			run: () =>
				measure(server, cfg, 'ours + reuse', () => ours({ node: 'webhook', n, url, concurrency: c, reuse: true }, `ours-reuse-${title}`)),
		},
		{
			// The shipped option (issue 18): the same node sending through fetch with keep-alive.
			name: 'Reuse Connections',
			run: () =>
				measure(server, cfg, 'Reuse Connections', () =>
					ours({ node: 'webhook', n, url, concurrency: c, options: { reuseConnections: true } }, `ours-option-${title}`),
				),
		},
	];
	if (withRetry) {
		const rcfg = { latencyMs, failEvery: CFG.retryFailEvery };
		senders.push({
			name: 'ours 20% 503',
			run: () =>
				measure(server, rcfg, 'ours 20% 503', () =>
					ours(
						{
							node: 'webhook',
							n,
							url,
							concurrency: c,
							options: { initialRetryDelayMs: CFG.retryInitialDelayMs, maxRetries: CFG.retryMaxRetries },
						},
						`ours-retry-${title}`,
					),
				),
		});
	}
	const byRep = await sequence(title, CFG.reps, senders);
	const ips = (name) => perRep(byRep, (r) => (n / r[name].ms) * 1000);
	const summary = {
		n,
		concurrency: c,
		latencyMs,
		netDelayMs,
		itemsPerSec: Object.fromEntries(senders.map((s) => [s.name, ips(s.name)])),
		ms: Object.fromEntries(senders.map((s) => [s.name, perRep(byRep, (r) => r[s.name].ms)])),
		connections: Object.fromEntries(senders.map((s) => [s.name, byRep[0][s.name].server.connections])),
		maxOpen: Object.fromEntries(senders.map((s) => [s.name, byRep[0][s.name].server.maxOpen])),
		tlsResumed: Object.fromEntries(senders.map((s) => [s.name, byRep[0][s.name].server.tlsResumed])),
		sameBodies: senders
			.filter((s) => s.name !== 'ours 20% 503')
			.every((s) => byRep.every((r) => r[s.name].server.digest === byRep[0]['bare keep-alive'].server.digest)),
		bodyBytes: byRep[0]['bare keep-alive'].server.bodyBytes,
		// ratios inside each repetition
		oursVsKeepAlive: perRep(byRep, (r) => r.ours.ms / r['bare keep-alive'].ms),
		oursVsNewConn: perRep(byRep, (r) => r.ours.ms / r['bare new conn'].ms),
		bareNewConnCostPct: perRep(byRep, (r) => (1 - r['bare keep-alive'].ms / r['bare new conn'].ms) * 100),
		reuseSpeedup: perRep(byRep, (r) => r.ours.ms / r['ours + reuse'].ms),
		oursNewConnCostPct: perRep(byRep, (r) => (1 - r['ours + reuse'].ms / r.ours.ms) * 100),
		oursReuseVsKeepAlive: perRep(byRep, (r) => r['ours + reuse'].ms / r['bare keep-alive'].ms),
		// Reuse Connections (the option) against the default helper path, and as a share of a bare keep-alive client's speed.
		optionSpeedup: perRep(byRep, (r) => r.ours.ms / r['Reuse Connections'].ms),
		optionShareOfKeepAlive: perRep(byRep, (r) => r['bare keep-alive'].ms / r['Reuse Connections'].ms),
		bareFetchShareOfKeepAlive: perRep(byRep, (r) => r['bare keep-alive'].ms / r['bare fetch'].ms),
		optionShareOfBareFetch: perRep(byRep, (r) => r['bare fetch'].ms / r['Reuse Connections'].ms),
		optionConnections: perRep(byRep, (r) => r['Reuse Connections'].server.connections),
		optionTransports: byRep.map((r) => r['Reuse Connections'].transports),
		retryOutcomesOk: withRetry ? byRep.every((r) => r['ours 20% 503'].outcomes.sent === n) : undefined,
		outcomesOk: byRep.every(
			(r) =>
				r.ours.outcomes.sent === n &&
				r['ours + reuse'].outcomes.sent === n &&
				r['Reuse Connections'].outcomes.sent === n &&
				r['bare keep-alive'].ok === n &&
				r['bare new conn'].ok === n &&
				r['bare fetch'].ok === n,
		),
		memory: byRep.map((r) => ({
			maxRssKb: r.ours.maxRssKb,
			rssAfterLoadKb: r.ours.rssAfterLoadKb,
			itemsHeapKb: r.ours.itemsHeapKb,
			retainedHeapKb: r.ours.retainedHeapKb,
			ms: r.ours.ms,
		})),
	};
	if (withRetry) summary.retry = retrySummary(byRep, n);
	return { summary, runs: byRep };
}

function retrySummary(byRep, n) {
	const c = CFG.concurrency;
	const rows = byRep.map((r) => {
		const t = r['ours 20% 503'];
		const t0 = r.ours.ms;
		const attempts = t.server.requests;
		const retries = attempts - n;
		// The backoff the node was configured to wait: full jitter, so on average half the ceiling
		// initialDelay·2^k (k = retry index), summed over the retries the server saw.
		const expectedBackoffMs = (t.server.retriesByIndex ?? []).reduce(
			(sum, count, k) => sum + ((count ?? 0) * Math.min(60_000, CFG.retryInitialDelayMs * 2 ** k)) / 2,
			0,
		);
		const extraAttemptsMs = (t0 * retries) / n; // the extra requests at the no-failure rate
		const added = t.ms - t0;
		return {
			ms: t.ms,
			t0,
			attempts,
			retries,
			status: t.server.status,
			outcomes: t.outcomes,
			retriesByIndex: t.server.retriesByIndex,
			addedMs: added,
			expectedBackoffMs,
			observedWaitMs: t.server.retryGapMs,
			// Each backoff holds one of the C concurrency slots, so it costs wall time / C.
			backoffPerSlotMs: t.server.retryGapMs / c,
			extraAttemptsMs,
			overheadMs: added - extraAttemptsMs - t.server.retryGapMs / c,
			overConfiguredMs: added - expectedBackoffMs / c,
			ratio: t.ms / t0,
		};
	});
	const m = (k) => median(rows.map((r) => r[k]));
	return {
		failEvery: CFG.retryFailEvery,
		initialRetryDelayMs: CFG.retryInitialDelayMs,
		maxRetries: CFG.retryMaxRetries,
		allDelivered: rows.every((r) => r.outcomes?.sent === n),
		maxRetryIndex: Math.max(...rows.map((r) => (r.retriesByIndex ?? []).length)),
		ms: m('ms'),
		t0: m('t0'),
		attempts: m('attempts'),
		retries: m('retries'),
		addedMs: m('addedMs'),
		expectedBackoffMs: m('expectedBackoffMs'),
		observedWaitMs: m('observedWaitMs'),
		backoffPerSlotMs: m('backoffPerSlotMs'),
		extraAttemptsMs: m('extraAttemptsMs'),
		overheadMs: m('overheadMs'),
		overConfiguredMs: m('overConfiguredMs'),
		ratio: m('ratio'),
		rows,
	};
}

async function b2bSection(server) {
	const base = `${server.httpUrl}`;
	const n = CFG.n;
	const cfg = { latencyMs: CFG.b2bLatencyMs, mode: 'users-track' };
	const senders = [
		{ name: 'b2b batched', run: () => measure(server, cfg, 'b2b batched', () => ours({ node: 'b2b', n, url: base }, 'b2b-batched')) },
		{
			name: 'webhook per item',
			run: () =>
				measure(server, cfg, 'webhook per item', () =>
					ours(
						{ node: 'webhook', n, url: `${base}/users/track`, concurrency: CFG.concurrency, auth: true, body: USERS_TRACK_BODY },
						'webhook-per-item',
					),
				),
		},
		{
			name: 'b2b batch 1',
			run: () =>
				measure(server, cfg, 'b2b batch 1', () => ours({ node: 'b2b', n: CFG.b2bPerItemN, url: base, batchSize: 1 }, 'b2b-batch1')),
		},
	];
	const byRep = await sequence('item 4', CFG.reps, senders);
	return {
		summary: {
			n,
			latencyMs: CFG.b2bLatencyMs,
			requests: byRep[0]['b2b batched'].server.requests,
			objects: byRep[0]['b2b batched'].server.objects,
			targetRequests: Math.ceil(n / 75),
			batchedMs: perRep(byRep, (r) => r['b2b batched'].ms),
			perItemWebhookMs: perRep(byRep, (r) => r['webhook per item'].ms),
			perItemWebhookRequests: byRep[0]['webhook per item'].server.requests,
			batch1N: CFG.b2bPerItemN,
			batch1Ms: perRep(byRep, (r) => r['b2b batch 1'].ms),
			batch1Requests: byRep[0]['b2b batch 1'].server.requests,
			// one request per item, same node, sequential; scaled from batch1N items to n
			batch1ScaledMs: perRep(byRep, (r) => (r['b2b batch 1'].ms * n) / CFG.b2bPerItemN),
			ratioWebhookPerItem: perRep(byRep, (r) => r['webhook per item'].ms / r['b2b batched'].ms),
			ratioBatch1Scaled: perRep(byRep, (r) => (r['b2b batch 1'].ms * n) / CFG.b2bPerItemN / r['b2b batched'].ms),
			outcomesOk: byRep.every(
				(r) =>
					r['b2b batched'].outcomes.sent === n &&
					r['webhook per item'].outcomes.sent === n &&
					r['b2b batch 1'].outcomes.sent === CFG.b2bPerItemN,
			),
		},
		runs: byRep,
	};
}

async function b2bConcurrentSection(server) {
	const n = CFG.b2bConcurrentN;
	const url = server.httpUrl;
	const cfg = { latencyMs: CFG.b2bConcurrentLatencyMs, mode: 'users-track', rateLimit: CFG.b2bRateLimit };
	const b2b = (name, spec) => ({
		name,
		run: () => measure(server, cfg, name, () => ours({ node: 'b2b', n, url, ...spec }, `b2b-${name.replace(/\W+/g, '-')}`)),
	});
	const concurrent = b2b('concurrent', { concurrentRequests: CFG.b2bConcurrentRequests });
	// Beside the goal's pair: the same concurrent batches through Reuse Connections (issue 18).
	const withReuse = b2b('concurrent + reuse', { concurrentRequests: CFG.b2bConcurrentRequests, options: { reuseConnections: true } });
	// The sequential run alone takes n / 75 × latency (about 2½ minutes for 100,000): once, between the
	// repetitions of the concurrent runs (about 20 s each), whose median is compared with it.
	const reps = Math.max(1, CFG.reps);
	const before = await sequence('item 9', Math.ceil(reps / 2), [concurrent, withReuse]);
	const [sequential] = await sequence('item 9', 1, [b2b('sequential', { concurrentRequests: 1 })]);
	const after = await sequence('item 9', Math.floor(reps / 2), [withReuse, concurrent]);
	const runs = [...before, ...after];
	// Two rates: over the whole execution (planning 100,000 items included), and over the sending
	// phase as the stand-in saw it (first request to last answer).
	const rps = (r) => r.server.requests / (r.ms / 1000);
	const wireRps = (r) => r.server.requests / ((r.server.lastAt - r.server.firstAt) / 1000);
	const seq = sequential.sequential;
	const of = (name, fn) => perRep(runs, (r) => fn(r[name]));
	const advertisedRps = CFG.b2bRateLimit.limit / CFG.b2bRateLimit.windowSeconds;
	return {
		n,
		reps: runs.length,
		latencyMs: CFG.b2bConcurrentLatencyMs,
		concurrentRequests: CFG.b2bConcurrentRequests,
		advertisedRps,
		requests: seq.server.requests,
		concurrentMs: of('concurrent', (r) => r.ms).median,
		concurrentMsRange: of('concurrent', (r) => r.ms).range,
		sequentialMs: seq.ms,
		concurrentRps: of('concurrent', rps).median,
		sequentialRps: rps(seq),
		speedup: of('concurrent', (r) => seq.ms / r.ms).median,
		speedupRange: of('concurrent', (r) => seq.ms / r.ms).range,
		concurrentWireRps: of('concurrent', wireRps).median,
		sequentialWireRps: wireRps(seq),
		wireSpeedup: of('concurrent', (r) => wireRps(r) / wireRps(seq)).median,
		reuse: {
			ms: of('concurrent + reuse', (r) => r.ms).median,
			rps: of('concurrent + reuse', rps).median,
			wireRps: of('concurrent + reuse', wireRps).median,
			connections: runs[0]['concurrent + reuse'].server.connections,
			speedup: of('concurrent + reuse', (r) => seq.ms / r.ms).median,
			wireSpeedup: of('concurrent + reuse', (r) => wireRps(r) / wireRps(seq)).median,
		},
		connections: { concurrent: runs[0].concurrent.server.connections, sequential: seq.server.connections },
		// The best concurrency can do: C requests per latency, and never above the advertised rate.
		boundRps: Math.min(advertisedRps, (CFG.b2bConcurrentRequests * 1000) / CFG.b2bConcurrentLatencyMs),
		status: { concurrent: runs[0].concurrent.server.status, sequential: seq.server.status },
		outcomesOk: seq.outcomes.sent === n && runs.every((r) => r.concurrent.outcomes.sent === n && r['concurrent + reuse'].outcomes.sent === n),
	};
}

async function growthSection(server, tenK) {
	const url = `${server.httpUrl}/hook`;
	const points = [];
	for (const n of CFG.growth) {
		let rows;
		if (n === CFG.n && tenK) {
			rows = tenK.map((m) => ({ ...m, from: 'item 1 plain runs' }));
		} else {
			const reps = n >= 50_000 ? 1 : CFG.reps;
			rows = [];
			for (let rep = 0; rep < reps; rep++) {
				const r = await measure(server, {}, `growth ${n}`, () =>
					ours({ node: 'webhook', n, url, concurrency: CFG.concurrency }, `growth-${n}`),
				);
				log(`item 5 n=${n} rep ${rep + 1}/${reps}: ${r.ms} ms, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`);
				if (r.outcomes.sent !== n) log(`item 5 n=${n}: only ${r.outcomes.sent} sent`);
				rows.push({
					maxRssKb: r.maxRssKb,
					rssAfterLoadKb: r.rssAfterLoadKb,
					itemsHeapKb: r.itemsHeapKb,
					retainedHeapKb: r.retainedHeapKb,
					ms: r.ms,
				});
			}
		}
		const ms = median(rows.map((r) => r.ms));
		const peakMb = median(rows.map((r) => r.maxRssKb)) / 1024;
		const baseMb = median(rows.map((r) => r.rssAfterLoadKb)) / 1024;
		points.push({
			n,
			reps: rows.length,
			ms,
			usPerItem: (ms * 1000) / n,
			peakRssMb: peakMb,
			rssAfterLoadMb: baseMb,
			growthMb: peakMb - baseMb,
			kbPerItem: ((peakMb - baseMb) * 1024) / n,
			itemsHeapMb: median(rows.map((r) => r.itemsHeapKb)) / 1024,
			retainedHeapMb: median(rows.map((r) => r.retainedHeapKb)) / 1024,
		});
	}
	// Issue 18's memory goal: the largest run again with Reuse Connections, right after the default one.
	const largest = CFG.growth.at(-1);
	const r = await measure(server, {}, `growth ${largest} reuse`, () =>
		ours({ node: 'webhook', n: largest, url, concurrency: CFG.concurrency, options: { reuseConnections: true } }, `growth-${largest}-reuse`),
	);
	log(`item 5 n=${largest} with Reuse Connections: ${r.ms} ms, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`);
	const reuse = {
		n: largest,
		ms: r.ms,
		peakRssMb: r.maxRssKb / 1024,
		retainedHeapMb: r.retainedHeapKb / 1024,
		allSent: r.outcomes.sent === largest,
	};
	return { points, reuse };
}

function liquidSection() {
	const runtimes = [RUNTIME.exe];
	if (RUNTIME.exe !== process.execPath) runtimes.push(process.execPath);
	const out = [];
	for (const exe of runtimes) {
		const t = Date.now();
		const stdout = execFileSync(exe, [path.join(HERE, 'liquid-render.mjs'), String(CFG.liquidRenders), '7', '--json'], {
			cwd: ROOT,
			env: childEnv(),
			encoding: 'utf8',
			timeout: 5 * 60_000,
		});
		const r = JSON.parse(stdout.trim().split('\n').at(-1));
		out.push({ runtime: exe === RUNTIME.exe ? RUNTIME.label : `system Node ${process.version}`, ...r });
		log(`item 3 (${r.meta.node}): ${r.results.map((x) => `${x.name} ${x.ratio.toFixed(2)}x`).join(', ')} (${Date.now() - t} ms)`);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------
// Main

const { USERS_TRACK_BODY } = await import('./lib/workload.mjs');

if (CFG.cpuProf) log(`--cpu-prof: profiles go to ${PROFILE_DIR}`);
await ensureRealN8n();
if (n8nInstall.cold && opt('reps', undefined) === undefined && CFG.reps > 2) {
	// The cold install took minutes of the 10-minute budget: two repetitions instead of three.
	CFG.reps = 2;
	log('cold n8n install: 2 repetitions instead of 3 (pass --reps to choose)');
}
RUNTIME = await pickRuntime();
log(`in-process runs on ${RUNTIME.label}: ${RUNTIME.exe}`);
const results = {
	startedAt: new Date(T0).toISOString(),
	machine: {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		loadavgAtStart: os.loadavg(),
		platform: `${os.platform()} ${os.release()}`,
	},
	runtime: RUNTIME,
	config: { ...CFG, outDir: undefined },
	n8nInstall,
	phases: {},
};
const phase = async (name, fn) => {
	const t = Date.now();
	const r = await fn();
	results.phases[name] = Date.now() - t;
	return r;
};

TLS = haveOpenssl() ? makeCert() : undefined;
if (!TLS) log('openssl not found: the TLS part of item 1 is skipped');
const server = await startServer(TLS);

if (want(3)) results.item3 = await phase('item 3 liquid', () => liquidSection());
let plain;
// --tls-only: item 1's TLS part alone.
if ((want(1) || want(6)) && !flag('tls-only')) {
	plain = await phase('item 1 plain + item 6', () =>
		throughputSection(server, { title: 'item 1 plain', baseUrl: server.httpUrl, n: CFG.n, latencyMs: 0, withRetry: true }),
	);
	results.item1 = { plain: plain.summary };
	results.item6 = plain.summary.retry;
}
if (want(1)) {
	if (TLS) {
		const tls = await phase('item 1 tls', () =>
			throughputSection(server, {
				title: 'item 1 TLS',
				baseUrl: server.delayedHttpsUrl,
				n: CFG.tlsN,
				latencyMs: 0,
				netDelayMs: CFG.tlsNetDelayMs,
				withRetry: false,
			}),
		);
		results.item1 = { ...results.item1, tls: tls.summary };
	} else {
		results.item1 = { ...results.item1, tls: { skipped: true, reason: 'openssl not found' } };
	}
}
if (want(4)) results.item4 = (await phase('item 4 braze to braze', () => b2bSection(server))).summary;
if (want(5)) results.item5 = await phase('item 5 growth', () => growthSection(server, plain?.summary.memory));
if (want(9)) results.item9 = await phase('item 9 braze to braze concurrent batches', () => b2bConcurrentSection(server));

if (!want(2)) {
	results.item2 = { skipped: true, reason: '--only' };
} else if (CFG.skipN8n) {
	results.item2 = { skipped: true, reason: '--skip-n8n' };
} else if (!n8nInstall.ok) {
	results.item2 = { skipped: true, reason: `n8n could not be installed: ${n8nInstall.error}` };
} else {
	const { runRealN8n } = await import('./lib/n8n-real.mjs');
	results.item2 = await phase('item 2 real n8n', async () => {
		try {
			const r = await runRealN8n({
				n: CFG.n,
				reps: CFG.n8nReps,
				concurrency: CFG.concurrency,
				baseUrl: server.httpUrl,
				server,
				log,
				profileDir: CFG.cpuProf ? PROFILE_DIR : undefined,
			});
			if (!r.skipped) {
				const ok = r.runs.filter((x) => x.oursMs && x.httpMs);
				r.summary = {
					n: CFG.n,
					oursMs: median(ok.map((x) => x.oursMs)),
					httpMs: median(ok.map((x) => x.httpMs)),
					reuseMs: median(ok.map((x) => x.reuseMs)),
					ratio: median(ok.map((x) => x.ratio)),
					ratioRange: range(ok.map((x) => x.ratio)),
					reuseRatio: median(ok.map((x) => x.reuseRatio)),
					reuseRatioRange: range(ok.map((x) => x.reuseRatio)),
					connections: {
						ours: median(ok.map((x) => x.server.ours?.connections)),
						reuse: median(ok.map((x) => x.server.reuse?.connections)),
						http: median(ok.map((x) => x.server.http?.connections)),
					},
					reuseTransports: [...new Set(ok.flatMap((x) => x.reuseTransports))],
					sameBodies: ok.every((x) => x.server.ours?.digest === x.server.http?.digest && x.server.reuse?.digest === x.server.http?.digest),
					outcomesOk: ok.every((x) => x.oursSent === CFG.n && x.reuseSent === CFG.n && x.httpOk === CFG.n),
				};
			}
			return r;
		} catch (error) {
			return { skipped: true, reason: `real n8n run failed: ${String(error.message).split('\n')[0]}` };
		}
	});
}
server.stop();

results.wallMs = Date.now() - T0;
fs.mkdirSync(CFG.outDir, { recursive: true });
const { renderTable } = await import('./lib/report.mjs');
const table = renderTable(results);
results.table = table;
fs.writeFileSync(path.join(CFG.outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
writeChart(results, path.join(CFG.outDir, 'chart.svg'));
process.stdout.write(table + '\n');
process.stdout.write(
	`\nWrote ${path.relative(ROOT, path.join(CFG.outDir, 'latest.json'))} and ${path.relative(ROOT, path.join(CFG.outDir, 'chart.svg'))}; total ${(results.wallMs / 1000).toFixed(0)} s.\n`,
);
