// n8n queue mode on loopback: Redis and PostgreSQL from Debian run as this process's own children,
// then n8n main and N workers with the packed package, all on 127.0.0.1. Used by `start.mjs --queue`
// and by queue-mode.e2e.mjs (README, "Queue mode").
//
// Root is needed to install the Debian packages when missing (apt-get) and to run Postgres as the
// `postgres` user (initdb refuses root). Every child is tracked by n8n.mjs: Ctrl-C or the end of the
// run stops it; the temp dir (database, Redis dir, logs) is removed unless N8N_E2E_KEEP=1.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { installPaths } from './install-n8n.mjs';
import {
	createUserFolder,
	freePort,
	importCredentials,
	importWorkflow,
	log,
	makeTempDir,
	mustSucceed,
	n8nEnv,
	runN8n,
	sleep,
	startN8n,
	trackChild,
	whichSync,
} from './n8n.mjs';

const isRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------------
// Debian packages

function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')));
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/** Installs redis-server and postgresql with apt-get when missing; returns their binaries. */
export function ensureQueueServices() {
	const missing = [];
	if (!whichSync('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length) {
		if (!isRoot) throw new Error(`queue mode needs ${missing.join(' and ')}: run as root or apt-get install ${missing.join(' ')}`);
		log(`queue mode: installing ${missing.join(', ')} from Debian (apt-get, about 30 s)`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const update = spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 5 * 60_000 });
		if (update.status !== 0) log('apt-get update failed; trying the install anyway');
		const install = spawnSync(
			'apt-get',
			['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...missing],
			{ env, encoding: 'utf8', timeout: 10 * 60_000 },
		);
		if (install.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${(install.stderr ?? '').slice(-2000)}`);
	}
	return { redisServer: whichSync('redis-server'), pgBin: postgresBinDir() };
}

// ---------------------------------------------------------------------------------------------------
// Redis and Postgres as children

function spawnService(name, cmd, args, logFile, options = {}) {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: true, ...options });
	fs.closeSync(fd);
	trackChild(child);
	child.once('exit', (code, signal) => {
		if (!child.stopping && (code !== 0 || signal)) log(`${name} exited (${code ?? signal}); log: ${logFile}`);
	});
	return child;
}

async function stopChild(child, signal = 'SIGTERM', graceMs = 15_000) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.stopping = true;
	const exited = new Promise((ok) => child.once('exit', ok));
	try {
		process.kill(-child.pid, signal);
	} catch {}
	const timer = new Promise((ok) => setTimeout(ok, graceMs, 'timeout'));
	if ((await Promise.race([exited, timer])) === 'timeout') {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}
	}
}

async function waitFor(what, check, { timeoutMs = 60_000, child } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${what}: process exited`);
		try {
			if (await check()) return;
		} catch {}
		if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
		await sleep(250);
	}
}

function redisPing(port) {
	return new Promise((ok) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.setTimeout(2000, () => socket.destroy());
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (d) => {
			ok(String(d).startsWith('+PONG'));
			socket.destroy();
		});
		socket.once('error', () => ok(false));
		socket.once('close', () => ok(false));
	});
}

export async function startRedis(dir, { redisServer, port } = {}) {
	port ??= await freePort();
	const dataDir = path.join(dir, 'redis');
	fs.mkdirSync(dataDir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dataDir, '--daemonize', 'no'];
	const child = spawnService('redis', redisServer ?? 'redis-server', args, logFile);
	await waitFor('redis', () => redisPing(port), { child });
	return { host: '127.0.0.1', port, logFile, pid: child.pid, stop: () => stopChild(child) };
}

/** Runs a Postgres binary as the `postgres` user when we are root (initdb refuses root). */
function asPostgres(bin, args) {
	if (!isRoot) return [bin, args];
	const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim();
	const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim();
	if (!uid) throw new Error('no `postgres` user: install Debian\'s postgresql package');
	return ['setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', bin, ...args]];
}

export async function startPostgres(dir, { pgBin, port, database = 'n8n' } = {}) {
	port ??= await freePort();
	const dataDir = path.join(dir, 'pgdata');
	const socketDir = path.join(dir, 'pgsock');
	for (const d of [dataDir, socketDir]) fs.mkdirSync(d, { recursive: true });
	if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', dataDir, socketDir]);
	const [initCmd, initArgs] = asPostgres(path.join(pgBin, 'initdb'), [
		'-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8',
	]);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', timeout: 3 * 60_000, cwd: dir });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const logFile = path.join(dir, 'postgres.log');
	// A throwaway test database: no durability needed, and fsync off keeps migrations quick on a busy disk.
	const [cmd, args] = asPostgres(path.join(pgBin, 'postgres'), [
		'-D', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${socketDir}`,
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
	]);
	const child = spawnService('postgres', cmd, args, logFile, { cwd: dir });
	const psqlBin = path.join(pgBin, 'psql');
	const psql = (sql, db = database) => {
		const r = spawnSync(psqlBin, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-Atc', sql], {
			encoding: 'utf8',
			timeout: 60_000,
		});
		if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
		return r.stdout.trim();
	};
	await waitFor('postgres', () => psql('select 1', 'postgres') === '1', { child });
	psql(`create database ${database}`, 'postgres');
	// SIGQUIT is Postgres's immediate shutdown: no checkpoint, which a throwaway database does not need.
	return { host: '127.0.0.1', port, database, logFile, pid: child.pid, psql, stop: () => stopChild(child, 'SIGQUIT') };
}

// ---------------------------------------------------------------------------------------------------
// n8n in queue mode

/** The settings main, workers and CLI commands share; each process adds its own ports. */
export function queueEnv({ redis, pg, encryptionKey, extra = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		...extra,
	};
}

/** `n8n worker --concurrency=N` with its own task-broker and health ports; resolves when ready. */
export async function startWorker(userFolder, env, { concurrency = 1, name = 'worker', startTimeoutMs = 240_000 } = {}) {
	const p = installPaths();
	const healthPort = await freePort();
	const brokerPort = await freePort();
	const logFile = path.join(userFolder, `${name}.log`);
	const child = spawnService(name, p.node24Exe, [p.n8nBin, 'worker', `--concurrency=${concurrency}`], logFile, {
		cwd: userFolder,
		env: n8nEnv(userFolder, {
			...env,
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		}),
	});
	const url = `http://127.0.0.1:${healthPort}/healthz/readiness`;
	const ok = async () => (await fetch(url, { signal: AbortSignal.timeout(3000) })).status === 200;
	await waitFor(name, ok, { timeoutMs: startTimeoutMs, child });
	return {
		name,
		pid: child.pid,
		healthPort,
		logFile,
		/** Ids of the executions this worker started, from its log. */
		executionIds() {
			const text = fs.readFileSync(logFile, 'utf8');
			return new Set([...text.matchAll(/started execution (\d+)/gi)].map((m) => m[1]));
		},
		stop: () => stopChild(child),
	};
}

/**
 * What `n8n publish:workflow --id` does (WorkflowRepository.publishVersion: the current version, which
 * import recorded in workflow_history, becomes the active one), in one statement instead of one n8n
 * start per workflow; the CLI for any workflow the statement did not publish.
 */
async function publishWorkflows(pg, userFolder, env, ids) {
	if (!ids.length) return;
	const list = ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
	const published = new Set(
		pg.psql(
			`update workflow_entity w set active = true, "activeVersionId" = w."versionId" where w.id in (${list}) ` +
				'and not w."isArchived" and exists (select 1 from workflow_history h where h."workflowId" = w.id and h."versionId" = w."versionId") returning w.id',
		).split('\n'),
	);
	for (const id of ids.filter((i) => !published.has(i))) {
		mustSucceed(`n8n publish:workflow ${id}`, await runN8n(userFolder, ['publish:workflow', `--id=${id}`], { env }));
	}
}

/**
 * Waits until main serves each production webhook path: n8n answers a ready port before it has
 * activated the published workflows, which takes a while on a busy machine. A GET to a path
 * registered for POST names the method; a path not registered at all says so.
 */
export async function waitForProductionWebhooks(baseUrl, paths, { timeoutMs = 300_000 } = {}) {
	for (const p of paths) {
		await waitFor(`production webhook ${p}`, async () => {
			const res = await fetch(`${baseUrl}/webhook/${p}`, { signal: AbortSignal.timeout(10_000) });
			let message = '';
			try {
				message = JSON.parse(await res.text()).message ?? '';
			} catch {}
			return !message.includes(`"GET ${p}" is not registered`);
		}, { timeoutMs });
	}
}

/**
 * Brings up the whole stack. Options:
 * - tgz: the packed package (installed into the user folder as a community package);
 * - workers (2), concurrency (1): `n8n worker` processes and the jobs each runs at a time;
 * - workflows, credentials: imported before main starts; `publish` lists workflow ids to activate;
 * - seedStaticData: { workflowId: staticData } written to the database before n8n starts;
 * - env: extra environment for every n8n process;
 * - onRedisStarted(redis, dir): runs once Redis answers, before n8n starts; it may return
 *   { env, stop } to add environment for every n8n process (e.g. a Redis-over-HTTP front's URL)
 *   and a stop function called when the stack stops (a front it started).
 */
export async function startQueueStack({
	tgz,
	workers = 2,
	concurrency = 1,
	workflows = [],
	credentials = [],
	publish = [],
	env = {},
	mainPort,
	onRedisStarted,
	seedStaticData = {},
} = {}) {
	const t0 = Date.now();
	const services = ensureQueueServices();
	const dir = makeTempDir('n8n-queue-');
	fs.chmodSync(dir, 0o755);
	const stops = [];
	const stack = { dir, workers: [], stops };
	stack.stop = async () => {
		await Promise.all([...stack.workers.map((w) => w.stop()), stack.main?.stop()]);
		for (const stop of stops.reverse()) await stop();
	};
	try {
		const pg = await startPostgres(dir, { pgBin: services.pgBin });
		stops.push(pg.stop);
		const redis = await startRedis(dir, { redisServer: services.redisServer });
		stops.push(redis.stop);
		log(`queue mode: postgres :${pg.port} (pid ${pg.pid}), redis :${redis.port} (pid ${redis.pid}) in ${Date.now() - t0} ms`);
		const hooked = (await onRedisStarted?.(redis, dir)) ?? {};
		if (hooked.stop) stops.push(hooked.stop);
		const shared = queueEnv({ redis, pg, encryptionKey: randomBytes(24).toString('hex'), extra: { ...env, ...(hooked.env ?? {}) } });
		const userFolder = await createUserFolder(tgz, { dir: path.join(dir, 'home') });
		if (credentials.length) await importCredentials(userFolder, credentials, { env: shared });
		if (workflows.length) await importWorkflow(userFolder, workflows, { env: shared });
		for (const [id, data] of Object.entries(seedStaticData)) {
			pg.psql(`update workflow_entity set "staticData" = '${JSON.stringify(data).replace(/'/g, "''")}' where id = '${id}'`);
		}
		await publishWorkflows(pg, userFolder, shared, publish);
		log(`queue mode: database migrated, ${workflows.length} workflows imported in ${Date.now() - t0} ms`);
		// Main first: it owns the webhooks; the workers only need Redis and the database.
		const [main, ...started] = await Promise.all([
			startN8n(userFolder, { port: mainPort, env: shared, startTimeoutMs: 300_000 }),
			...Array.from({ length: workers }, (_, i) => startWorker(userFolder, shared, { concurrency, name: `worker${i + 1}` })),
		]);
		Object.assign(stack, { pg, redis, userFolder, env: shared, main, url: main.url });
		stack.workers.push(...started);
		stack.startWorker = async (name = `worker${stack.workers.length + 1}`) => {
			const w = await startWorker(userFolder, shared, { concurrency, name });
			stack.workers.push(w);
			return w;
		};
		/** The workflow's static data as the database holds it (parsed), or undefined. */
		stack.staticData = (workflowId) => {
			const text = pg.psql(`select "staticData" from workflow_entity where id = '${workflowId.replace(/'/g, "''")}'`);
			return text ? JSON.parse(text) : undefined;
		};
		log(`queue mode: main ${main.url} and ${workers} workers (concurrency ${concurrency}) up in ${Date.now() - t0} ms`);
		return stack;
	} catch (e) {
		await stack.stop();
		throw e;
	}
}
