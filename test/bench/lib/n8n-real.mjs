// Item 2: the same workload through n8n's own HTTP Request node and our Braze-Style Webhook node (with
// and without Reuse Connections), in the same real n8n 2.41.1 (installed or reused by test/e2e's
// installer), the package installed as a community package from its packed dist/. One workflow: Manual
// Trigger → Code (N items) → the three senders as sibling branches, each timed by runData executionTime.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { buildAndPack, createUserFolder, ensureN8n, freePort, importWorkflow, n8nEnv } from '../../e2e/n8n.mjs';
import { installPaths } from '../../e2e/install-n8n.mjs';
import { NODE_TYPES } from '../../e2e/n8n.mjs';
import { webhookParameters } from './workload.mjs';

const OURS = 'Braze Webhook';
const REUSE = 'Braze Webhook + Reuse Connections';
const HTTP = 'HTTP Request';
// n8n's v1 order runs sibling branches top to bottom, so every order of the three senders gets its own
// workflow copy and the repetitions cycle through them: each sender goes first equally often.
const ORDERS = [
	[OURS, REUSE, HTTP],
	[HTTP, OURS, REUSE],
	[REUSE, HTTP, OURS],
];

function codeNode(n) {
	// Builds exactly lib/workload.mjs makeItem(i).
	const jsCode = `const out = [];
for (let i = 0; i < ${n}; i++) {
  out.push({ json: { external_id: 'u-' + i, attr: 'v' + i, email: 'user' + i + '@example.com', plan: 'pro', country: 'DE', signup_ts: '2024-01-01T00:00:00.000Z', score: i % 100, tags: ['a', 'b'] } });
}
return out;`;
	return { id: 'bench-code', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } };
}

function senderNode(name, { baseUrl, concurrency }) {
	if (name === HTTP) {
		return {
			id: 'bench-http',
			name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.5,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/http`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($json) }}',
				options: {},
			},
		};
	}
	const reuse = name === REUSE;
	return {
		id: reuse ? 'bench-ours-reuse' : 'bench-ours',
		name,
		type: NODE_TYPES.brazeWebhook,
		typeVersion: 1,
		parameters: webhookParameters(`${baseUrl}/${reuse ? 'reuse' : 'ours'}`, {
			concurrency,
			options: reuse ? { reuseConnections: true } : {},
		}),
	};
}

function workflow(id, order, { n, baseUrl, concurrency }) {
	return {
		id,
		name: `bench ${order.join(' / ')}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'bench-trigger', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			codeNode(n),
			...order.map((name, i) => ({ ...senderNode(name, { baseUrl, concurrency }), position: [400, -100 + i * 100] })),
		],
		connections: {
			Manual: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [order.map((name) => ({ node: name, type: 'main', index: 0 }))] },
		},
	};
}

/**
 * `n8n execute --rawOutput` prints a few log lines, the pretty-printed run as JSON, and maybe more
 * log lines. With 2 × 10,000 output items that is hundreds of thousands of lines, so the JSON is
 * cut at a top-level closing brace (a line that is exactly "}"), trying the last one first.
 */
function parseRun(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	for (let end = lines.length - 1; end >= start; end--) {
		if (lines[end].trimEnd() !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {}
	}
	return undefined;
}

/**
 * `n8n execute --id --rawOutput` with stdout going to a FILE: n8n exits right after printing, and a
 * pipe loses the tail of a 15 MB output (file writes are synchronous, so nothing is lost).
 */
async function execute(userFolder, id, timeoutMs, env = {}) {
	const p = installPaths();
	const outFile = path.join(userFolder, `execute-${id}-${Date.now()}.out`);
	const fd = fs.openSync(outFile, 'w');
	const started = Date.now();
	const child = spawn(p.node24Exe, [p.n8nBin, 'execute', `--id=${id}`, '--rawOutput'], {
		cwd: userFolder,
		env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...env }),
		stdio: ['ignore', fd, fd],
		detached: true,
	});
	fs.closeSync(fd);
	const killGroup = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}
	};
	const timer = setTimeout(killGroup, timeoutMs);
	const onExit = () => killGroup();
	process.once('exit', onExit);
	const code = await new Promise((ok) => child.on('close', (c) => ok(c)));
	clearTimeout(timer);
	process.off('exit', onExit);
	killGroup(); // the task runner it may have left in its process group
	const stdout = fs.readFileSync(outFile, 'utf8');
	fs.rmSync(outFile, { force: true });
	const result = parseRun(stdout);
	const runData = result?.data?.resultData?.runData ?? {};
	return {
		code,
		stdout,
		stderr: '',
		ms: Date.now() - started,
		status: result?.status,
		error: result?.data?.resultData?.error,
		runData,
		output: (name) => (runData[name]?.at(-1)?.data?.main?.[0] ?? []).map((i) => i.json),
	};
}

/**
 * @param {{ n:number, reps:number, concurrency:number, baseUrl:string, server:{reset:Function, stats:Function}, log:Function }} o
 */
export async function runRealN8n(o) {
	const t0 = Date.now();
	let paths;
	try {
		paths = await ensureN8n();
	} catch (error) {
		return { skipped: true, reason: `n8n could not be installed: ${String(error.message).split('\n')[0]}` };
	}
	const installMs = Date.now() - t0;
	o.log(`item 2: n8n ready (${installMs} ms); packing dist/ and installing it as a community package`);
	const tgz = await buildAndPack({ build: false });
	const userFolder = await createUserFolder(tgz);
	const wfs = ORDERS.map((order, i) => workflow(`BenchOrder00000${i}`, order, o));
	await importWorkflow(userFolder, wfs);
	const setupMs = Date.now() - t0 - installMs;
	const runs = [];
	for (let rep = 0; rep < o.reps; rep++) {
		const wf = wfs[rep % wfs.length];
		await o.server.reset({});
		const started = Date.now();
		const env = o.profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${o.profileDir}` } : {};
		const r = await execute(userFolder, wf.id, 6 * 60_000, env);
		const wallMs = Date.now() - started;
		const stats = await o.server.stats();
		const task = (name) => r.runData[name]?.[0];
		const ours = task(OURS);
		const reuse = task(REUSE);
		const http = task(HTTP);
		const oursOut = r.output(OURS) ?? [];
		const reuseOut = r.output(REUSE) ?? [];
		const httpOut = r.output(HTTP) ?? [];
		const run = {
			rep,
			order: ORDERS[rep % ORDERS.length].join(' / '),
			status: r.status,
			error: r.error?.message,
			wallMs,
			oursMs: ours?.executionTime,
			reuseMs: reuse?.executionTime,
			httpMs: http?.executionTime,
			oursSent: oursOut.filter((j) => j.delivery?.status === 'sent').length,
			reuseSent: reuseOut.filter((j) => j.delivery?.status === 'sent').length,
			reuseTransports: [...new Set(reuseOut.map((j) => j.delivery?.transport))],
			httpOk: httpOut.filter((j) => j.ok === true).length,
			server: {
				ours: stats.byPath['/ours'],
				reuse: stats.byPath['/reuse'],
				http: stats.byPath['/http'],
				connections: stats.connections,
				maxOpen: stats.maxOpen,
			},
		};
		run.ratio = run.httpMs && run.oursMs ? run.httpMs / run.oursMs : undefined;
		run.reuseRatio = run.httpMs && run.reuseMs ? run.httpMs / run.reuseMs : undefined;
		o.log(
			`item 2 rep ${rep + 1}/${o.reps} (${run.order}): ours ${run.oursMs} ms (${run.oursSent} sent), with reuse ${run.reuseMs} ms (${run.reuseSent} sent, ${run.reuseTransports}), HTTP Request ${run.httpMs} ms (${run.httpOk} ok), ratios ${run.ratio?.toFixed(2)} / reuse ${run.reuseRatio?.toFixed(2)}, exec wall ${wallMs} ms`,
		);
		if (r.code !== 0 || !ours || !reuse || !http) {
			const dump = `${userFolder}-exec-${rep}.log`;
			fs.writeFileSync(dump, `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
			o.log(`item 2: execution problem (exit ${r.code}); its output is in ${dump}`);
		}
		runs.push(run);
	}
	try {
		fs.rmSync(userFolder, { recursive: true, force: true });
	} catch {}
	return { skipped: false, installMs, setupMs, node: paths.node24Exe, runs };
}
