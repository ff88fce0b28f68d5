// Headless recipe runner: every examples/<name>.json with a sibling examples/<name>.e2e.json is imported
// into real n8n and run with `n8n execute` (mode "cli"), against loopback stand-ins for the APIs it calls.
// What the stand-ins received, the execution status and the nodes' output items are checked against the
// expectation file (format: examples/README.md). Several `runs` execute the same workflow again, in
// the same n8n database, so workflow static data (e.g. a host cooldown) carries from one run to the next.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { matchRequests, mismatch } from './expect.mjs';
import {
	buildAndPack,
	createUserFolder,
	ensureN8n,
	exampleCredentials,
	executeWorkflow,
	exportWorkflow,
	importCredentials,
	importWorkflow,
	listRecipes,
	substitute,
} from './n8n.mjs';
import { startStandIn } from './stand-in.mjs';

const recipes = listRecipes();
const standIns = new Map(); // baseUrl placeholder -> running stand-in
let userFolder;
let replacements = {};

before(async () => {
	await ensureN8n();
	const tgz = await buildAndPack();
	userFolder = await createUserFolder(tgz);
	for (const r of recipes) {
		for (const [name, s] of Object.entries(r.expect?.standIns ?? {})) {
			if (!s.baseUrl) throw new Error(`${r.name}.e2e.json: stand-in "${name}" has no baseUrl`);
			if (!standIns.has(s.baseUrl)) standIns.set(s.baseUrl, await startStandIn({ name, ttlMs: 30 * 60_000 }));
		}
	}
	replacements = Object.fromEntries([...standIns].map(([base, si]) => [base, si.url]));
	const creds = exampleCredentials();
	if (creds.length) await importCredentials(userFolder, substitute(creds, replacements));
	if (recipes.length) await importWorkflow(userFolder, recipes.map((r) => substitute(r.workflow, replacements)));
}, { timeout: 15 * 60_000 });

after(async () => {
	for (const si of standIns.values()) await si.close();
});

test('every recipe has a fixed 16-char id, a unique name, and starts with a Manual Trigger', () => {
	const ids = new Set();
	for (const r of recipes) {
		assert.equal(typeof r.workflow.id, 'string', `${r.name}: no id`);
		assert.equal(r.workflow.id.length, 16, `${r.name}: id "${r.workflow.id}" is not 16 chars`);
		assert.ok(!ids.has(r.workflow.id), `${r.name}: duplicate id ${r.workflow.id}`);
		ids.add(r.workflow.id);
		assert.ok(
			r.workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger'),
			`${r.name}: no Manual Trigger`,
		);
	}
});

for (const recipe of recipes) {
	const spec = recipe.expect;
	const opts = { timeout: 10 * 60_000 };
	if (!spec) opts.skip = 'no expectation file';
	else if (spec.skip) opts.skip = spec.skip;
	else if (spec.todo) opts.todo = spec.todo;

	test(`recipe ${recipe.name}: ${recipe.workflow.name}`, opts, async () => {
		const runs = spec.runs ?? [{}];
		for (const [i, run] of runs.entries()) {
			const label = `${recipe.name} run ${i + 1}/${runs.length}`;
			// Fresh request logs and this run's scripted answers.
			for (const [name, s] of Object.entries(spec.standIns ?? {})) {
				const si = standIns.get(s.baseUrl);
				si.requests.length = 0;
				si.setResponses(run.responses?.[name] ?? s.responses ?? { status: 200, body: { ok: true } });
			}

			const r = await executeWorkflow(userFolder, recipe.workflow.id);
			const diag = () =>
				`\n--- ${label}: exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}, status ${r.status}, ${r.ms} ms ---\n` +
				`error: ${JSON.stringify(r.error)?.slice(0, 1500)}\n` +
				`stdout (tail): ${r.stdout.slice(-3000)}\nstderr (tail): ${r.stderr.slice(-2000)}`;

			assert.equal(r.code, run.exitCode ?? 0, `${label}: exit code${diag()}`);
			assert.ok(r.result, `${label}: no JSON result on stdout${diag()}`);
			assert.equal(r.status, run.status ?? 'success', `${label}: execution status${diag()}`);

			if (process.env.N8N_E2E_DUMP === '1') {
				// For writing expectation files: what each stand-in received and what each node output.
				const received = Object.fromEntries(
					Object.entries(spec.standIns ?? {}).map(([name, s]) => [
						name,
						standIns.get(s.baseUrl).requests.map((q) => ({ method: q.method, path: q.path, headers: q.headers, json: q.json ?? q.body })),
					]),
				);
				const outputs = Object.fromEntries(Object.keys(r.runData).map((n) => [n, r.output(n)]));
				console.log(`--- ${label} (exit ${r.code}, ${r.status}) ---\n${JSON.stringify({ received, outputs, error: r.error }, null, 1)}`);
			}

			const problems = [];
			for (const [nodeName, exp] of Object.entries(run.nodes ?? {})) {
				const outputs = Array.isArray(exp) ? exp : [exp];
				outputs.forEach((o, outIdx) => {
					if (o === null) return;
					const items = r.output(nodeName, o.output ?? outIdx);
					if (items === undefined) {
						if (o.count === 0 && o.ran === false) return;
						problems.push(`${label}: node "${nodeName}" did not run`);
						return;
					}
					if (o.count !== undefined && items.length !== o.count) {
						problems.push(`${label}: node "${nodeName}" output ${o.output ?? outIdx}: ${items.length} items, expected ${o.count}: ${JSON.stringify(items).slice(0, 1500)}`);
					}
					if (o.items) {
						const m = mismatch(items.slice(0, o.items.length), o.items, `${nodeName}[out ${o.output ?? outIdx}]`);
						if (m) problems.push(`${label}: ${m}; got ${JSON.stringify(items).slice(0, 1500)}`);
					}
					if (o.every) {
						items.forEach((it, k) => {
							const m = mismatch(it, o.every, `${nodeName}[out ${o.output ?? outIdx}][${k}]`);
							if (m) problems.push(`${label}: ${m}`);
						});
					}
				});
			}
			for (const [name, exp] of Object.entries(run.requests ?? {})) {
				const s = spec.standIns?.[name];
				if (!s) {
					problems.push(`${label}: requests for unknown stand-in "${name}"`);
					continue;
				}
				const list = Array.isArray(exp) ? exp : exp.match ?? [];
				const exact = Array.isArray(exp) ? true : exp.exact ?? true;
				const received = standIns.get(s.baseUrl).requests;
				problems.push(...matchRequests(received, list, { exact, label: `${label}: stand-in "${name}"` }));
				if (!Array.isArray(exp) && exp.count !== undefined && received.length !== exp.count) {
					problems.push(`${label}: stand-in "${name}" received ${received.length} requests, expected ${exp.count}`);
				}
			}
			if (run.staticData) {
				const wf = await exportWorkflow(userFolder, recipe.workflow.id);
				let data = wf.staticData;
				if (typeof data === 'string') data = JSON.parse(data);
				const m = mismatch(data, run.staticData, 'staticData');
				if (m) problems.push(`${label}: ${m}; staticData = ${JSON.stringify(data).slice(0, 1500)}`);
			}
			assert.deepEqual(problems, [], `${problems.join('\n')}${diag()}`);
		}
	});
}
