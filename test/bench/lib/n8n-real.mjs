// Item 2: the same workload through n8n's own HTTP Request node and our Braze-style Webhook node, in
// the same real n8n 2.41.1 (installed or reused by test/e2e's installer), the package installed as a
// community package from its packed dist/. One workflow: Manual Trigger → Code (N items) → both nodes
// as two branches. n8n's v1 order runs the branches one after the other, top to bottom, so two copies
// with the branches swapped are alternated: every execution times both nodes (runData executionTime),
// each order equally often.
import fs from 'node:fs';

import { buildAndPack, createUserFolder, ensureN8n, executeWorkflow, importWorkflow } from '../../e2e/n8n.mjs';
import { NODE_TYPES } from '../../e2e/n8n.mjs';
import { webhookParameters } from './workload.mjs';

const OURS = 'Braze Webhook';
const HTTP = 'HTTP Request';

function codeNode(n) {
	// Builds exactly lib/workload.mjs makeItem(i).
	const jsCode = `const out = [];
for (let i = 0; i < ${n}; i++) {
  out.push({ json: { external_id: 'u-' + i, attr: 'v' + i, email: 'user' + i + '@example.com', plan: 'pro', country: 'DE', signup_ts: '2024-01-01T00:00:00.000Z', score: i % 100, tags: ['a', 'b'] } });
}
return out;`;
	return { id: 'bench-code', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } };
}

function workflow(id, { n, baseUrl, oursFirst, concurrency }) {
	return {
		id,
		name: `bench ${oursFirst ? 'ours first' : 'HTTP first'}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'bench-trigger', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			codeNode(n),
			{
				id: 'bench-ours',
				name: OURS,
				type: NODE_TYPES.brazeWebhook,
				typeVersion: 1,
				position: [400, oursFirst ? -100 : 100],
				parameters: webhookParameters(`${baseUrl}/ours`, { concurrency }),
			},
			{
				id: 'bench-http',
				name: HTTP,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.5,
				position: [400, oursFirst ? 100 : -100],
				parameters: {
					method: 'POST',
					url: `${baseUrl}/http`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: {
				main: [
					[
						{ node: OURS, type: 'main', index: 0 },
						{ node: HTTP, type: 'main', index: 0 },
					],
				],
			},
		},
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
	const wfs = [
		workflow('BenchOursFirst01', { ...o, oursFirst: true }),
		workflow('BenchHttpFirst01', { ...o, oursFirst: false }),
	];
	await importWorkflow(userFolder, wfs);
	const setupMs = Date.now() - t0 - installMs;
	const runs = [];
	for (let rep = 0; rep < o.reps; rep++) {
		const wf = wfs[rep % 2];
		await o.server.reset({});
		const started = Date.now();
		const r = await executeWorkflow(userFolder, wf.id, { timeoutMs: 6 * 60_000 });
		const wallMs = Date.now() - started;
		const stats = await o.server.stats();
		const task = (name) => r.runData[name]?.[0];
		const ours = task(OURS);
		const http = task(HTTP);
		const oursOut = r.output(OURS) ?? [];
		const httpOut = r.output(HTTP) ?? [];
		const run = {
			rep,
			order: rep % 2 === 0 ? 'ours first' : 'HTTP first',
			status: r.status,
			error: r.error?.message,
			wallMs,
			oursMs: ours?.executionTime,
			httpMs: http?.executionTime,
			oursStart: ours?.startTime,
			httpStart: http?.startTime,
			oursSent: oursOut.filter((j) => j.delivery?.status === 'sent').length,
			httpOk: httpOut.filter((j) => j.ok === true).length,
			server: { ours: stats.byPath['/ours'], http: stats.byPath['/http'], connections: stats.connections, maxOpen: stats.maxOpen },
		};
		run.ratio = run.httpMs && run.oursMs ? run.httpMs / run.oursMs : undefined;
		o.log(
			`item 2 rep ${rep + 1}/${o.reps} (${run.order}): ours ${run.oursMs} ms (${run.oursSent} sent), HTTP Request ${run.httpMs} ms (${run.httpOk} ok), ratio ${run.ratio?.toFixed(2)}, exec wall ${wallMs} ms`,
		);
		if (r.code !== 0 || !ours || !http) {
			o.log(`item 2: execution problem (exit ${r.code}): ${r.stderr.slice(-1500)}`);
		}
		runs.push(run);
	}
	try {
		fs.rmSync(userFolder, { recursive: true, force: true });
	} catch {}
	return { skipped: false, installMs, setupMs, node: paths.node24Exe, runs };
}
