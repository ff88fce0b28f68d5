#!/usr/bin/env node
// Try the package in a real n8n, with one command:
//
//   node test/e2e/start.mjs [--port 5678] [--home DIR] [--ttl-minutes 240] [--no-build | --build]
//   node test/e2e/start.mjs --queue [--workers 2] [--worker-concurrency 10] [--port 5678]
//
// --queue starts n8n's queue mode instead (queue-mode.mjs): Redis and PostgreSQL from Debian
// (apt-get installs them when missing; needs root) as this command's own processes, n8n main and
// --workers workers, all on 127.0.0.1, in a temporary folder (--home is not used).
//
// It installs the pinned n8n (cached outside the repo; about 12 min the first time, reused after),
// builds this package unless dist/ is newer than its sources (--build forces a build, --no-build packs
// dist/ as it is) and packs it, installs the
// tarball as a community package into a fresh n8n user folder, imports every recipe in examples/
// (with placeholder credentials), starts loopback stand-ins for the APIs the recipes call (they log
// what they receive), starts `n8n start` on 127.0.0.1 and prints the URL and the login it created.
// Ctrl-C stops everything and deletes the temp user folder (a --home folder is kept and reused).
import fs from 'node:fs';
import path from 'node:path';

import { installN8n } from './install-n8n.mjs';
import {
	buildAndPack,
	cleanupAll,
	createUserFolder,
	DEFAULT_OWNER,
	exampleCredentials,
	importCredentials,
	importWorkflow,
	isPortFree,
	listRecipes,
	log,
	makeTempDir,
	N8N_VERSION,
	NODE_TYPES,
	startN8n,
} from './n8n.mjs';
import { startQueueStack } from './queue-mode.mjs';
import { startStandIn } from './stand-in.mjs';

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);

const t0 = Date.now();
const STEPS = 5;
/** The recipe that shows both nodes at work: a Liquid webhook, then a batched Braze /users/track. */
const FIRST_RECIPE_ID = 'RcpGamerReward01';
const step = (n, text) => log(`step ${n}/${STEPS}: ${text}`);
const ttlMinutes = Number(arg('ttl-minutes', '240'));
const wantedPort = Number(arg('port', '5678'));
const home = arg('home', undefined);
const queue = flag('queue');

try {
	step(1, `n8n ${N8N_VERSION} and Node 24 (cached after the first run, which takes about 12 min)`);
	await installN8n();
	if (flag('no-build')) process.env.N8N_E2E_SKIP_BUILD = '1';
	step(2, 'this package, built and packed as npm would publish it');
	const tgz = await buildAndPack({ force: flag('build') || undefined });
	step(3, 'a new n8n user folder with the package installed as a community package (about 5 s)');

	let userFolder;
	let fresh = true;
	if (queue) {
		// The queue stack makes its own user folder next to its database.
	} else if (home) {
		userFolder = path.resolve(home);
		fresh = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
		fs.rmSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
		await createUserFolder(tgz, { dir: userFolder });
	} else {
		userFolder = await createUserFolder(tgz, { dir: makeTempDir('n8n-braze-try-') });
	}
	if (!queue) log(`user folder: ${userFolder}${home ? ' (kept)' : ' (temporary, deleted on exit)'}`);

	// Stand-ins on the fixed loopback ports the recipes point at.
	const recipes = listRecipes();
	const standIns = new Map();
	for (const r of recipes) {
		for (const [name, s] of Object.entries(r.expect?.standIns ?? {})) {
			if (!standIns.has(s.baseUrl)) standIns.set(s.baseUrl, { name, responses: s.responses });
		}
	}
	const started = [];
	for (const [baseUrl, s] of standIns) {
		const port = Number(new URL(baseUrl).port);
		if (!(await isPortFree(port))) {
			log(`stand-in "${s.name}": port ${port} busy, skipped`);
			continue;
		}
		const si = await startStandIn({ name: s.name, port, responses: s.responses, ttlMs: ttlMinutes * 60_000 });
		const seen = { n: 0 };
		const timer = setInterval(() => {
			while (seen.n < si.requests.length) {
				const q = si.requests[seen.n++];
				log(`stand-in ${s.name} received ${q.method} ${q.url} ${q.body.slice(0, 300)}`);
			}
		}, 500);
		timer.unref();
		started.push({ ...si, timer });
	}

	let queueStack;
	if (queue) {
		step(4, 'queue mode: Redis, PostgreSQL, recipes and credentials imported, then n8n main and workers (1-3 min)');
		const port = (await isPortFree(wantedPort)) ? wantedPort : undefined;
		queueStack = await startQueueStack({
			tgz,
			workers: Number(arg('workers', '2')),
			concurrency: Number(arg('worker-concurrency', '10')),
			workflows: recipes.map((r) => r.workflow),
			credentials: exampleCredentials(),
			mainPort: port,
		});
		userFolder = queueStack.userFolder;
	} else if (fresh) {
		const creds = exampleCredentials();
		step(
			4,
			`importing ${recipes.length} recipes and ${creds.length} placeholder credentials ` +
				'(two n8n command runs, 15-30 s each; the first creates the database)',
		);
		if (creds.length) await importCredentials(userFolder, creds);
		if (recipes.length) await importWorkflow(userFolder, recipes.map((r) => r.workflow));
	} else {
		step(4, 'recipes were imported into this --home folder earlier, not again');
	}

	let n8n;
	if (queueStack) {
		n8n = queueStack.main;
	} else {
		step(5, 'starting n8n and creating the owner login (about 20-40 s until it answers)');
		const port = (await isPortFree(wantedPort)) ? wantedPort : undefined;
		n8n = await startN8n(userFolder, { port });
	}

	const line = '-'.repeat(72);
	console.log(`\n${line}`);
	console.log(`n8n ${N8N_VERSION} with ${NODE_TYPES.brazeWebhook} and ${NODE_TYPES.brazeToBraze}`);
	console.log(`  URL:      ${n8n.url}`);
	console.log(`  email:    ${DEFAULT_OWNER.email}`);
	console.log(`  password: ${DEFAULT_OWNER.password}`);
	console.log(`  recipes:  ${recipes.length} imported${fresh ? '' : ' earlier'} (Overview > Workflows)`);
	const first = recipes.find((r) => r.workflow.id === FIRST_RECIPE_ID) ?? recipes[0];
	if (first) {
		console.log(`  open first: ${n8n.url}/workflow/${first.workflow.id}`);
		const shows = first.workflow.id === FIRST_RECIPE_ID ? ' (both nodes)' : '';
		console.log(`              "${first.workflow.name}"${shows}: click Execute workflow`);
	}
	for (const s of started) console.log(`  stand-in: ${s.name.padEnd(10)} ${s.url}  (logs what it receives)`);
	console.log(`  log:      ${n8n.logFile}`);
	if (queueStack) {
		console.log(`  queue:    Redis 127.0.0.1:${queueStack.redis.port}, PostgreSQL 127.0.0.1:${queueStack.pg.port} (user postgres, db n8n)`);
		for (const w of queueStack.workers) console.log(`  ${w.name}:  health 127.0.0.1:${w.healthPort}, log ${w.logFile}`);
	}
	console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(0)}s; stops by itself after ${ttlMinutes} min; Ctrl-C to stop now`);
	console.log(`${line}\n`);

	const why = await new Promise((ok) => {
		const timer = setTimeout(() => ok('time limit reached'), ttlMinutes * 60_000);
		const check = setInterval(async () => {
			try {
				const r = await fetch(`${n8n.url}/healthz`, { signal: AbortSignal.timeout(5000) });
				if (r.status !== 200) throw new Error(String(r.status));
			} catch {
				clearTimeout(timer);
				clearInterval(check);
				ok('n8n is no longer answering');
			}
		}, 10_000);
	});
	log(`${why}; stopping`);
	if (queueStack) await queueStack.stop();
	else await n8n.stop();
	for (const s of started) {
		clearInterval(s.timer);
		await s.close();
	}
	await cleanupAll();
	process.exit(0);
} catch (e) {
	log(`FAILED: ${e.stack || e}`);
	await cleanupAll();
	process.exit(1);
}
