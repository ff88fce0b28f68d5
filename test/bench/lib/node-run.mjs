// Runs one of our nodes (built dist/) once inside n8n-core's real WorkflowExecute, in this fresh
// process, and prints one JSON line: the node's executionTime from runData (what n8n reports), the
// outcome counts, and memory (peak RSS from the kernel's ru_maxrss, RSS after loading, heap of the items).
//   node --expose-gc node-run.mjs '<json spec>'
// spec: { node: 'webhook'|'b2b', n, url, concurrency?, options?, batchSize?, concurrentRequests?, auth? }
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadSupport } from '../../support/compiled.mjs';
import { API_KEY, brazeToBrazeParameters, makeItems, webhookParameters } from './workload.mjs';

const require = createRequire(import.meta.url);
const spec = JSON.parse(process.argv[2]);

// The jest suites' harness (test/harness), compiled, over the BUILT node and credential classes.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dist = (file) => require(path.join(ROOT, 'dist', file));
const { createHarness } = await loadSupport('harness');
const harness = createHarness({
	packageName: require(path.join(ROOT, 'package.json')).name,
	nodes: [dist('nodes/BrazeWebhook/BrazeWebhook.node.js').BrazeWebhook, dist('nodes/BrazeToBraze/BrazeToBraze.node.js').BrazeToBraze],
	credentials: [
		dist('credentials/BrazeApi.credentials.js').BrazeApi,
		dist('credentials/BrazeWebhookAuthApi.credentials.js').BrazeWebhookAuthApi,
	],
});
const { brazeWebhook: WEBHOOK_TYPE, brazeToBraze: BRAZE_TO_BRAZE_TYPE } = harness.types;

/** One run in n8n's `cli` mode (what `n8n execute` uses), timed as before: wall clock and n8n's executionTime. */
async function executeNode(nodeSpec, items, options) {
	const started = performance.now();
	const result = await harness.executeNode(nodeSpec, items, { mode: 'cli', ...options });
	const wallMs = performance.now() - started;
	return { executionTime: result.executionTime, wallMs, outputs: result.outputs, error: result.error };
}

if (spec.reuse) {
	// What-if, bench only: n8n's helpers build a new non-keep-alive agent per request
	// (@n8n/backend-network buildNodeAgents). Swap in one shared keep-alive agent pair to measure what
	// connection reuse would buy the same node code. Nothing under nodes/ changes.
	const path = require('node:path');
	const http = require('node:http');
	const https = require('node:https');
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	const networkMain = require.resolve('@n8n/backend-network', { paths: [coreDir] });
	const networkDist = networkMain.slice(0, networkMain.lastIndexOf(`${path.sep}dist${path.sep}`) + 6);
	const agents = require(path.join(networkDist, 'http', 'node-agents.js'));
	const shared = {
		httpAgent: new http.Agent({ keepAlive: true, maxSockets: spec.concurrency ?? 10 }),
		httpsAgent: new https.Agent({ keepAlive: true, maxSockets: spec.concurrency ?? 10 }),
	};
	agents.buildNodeAgents = () => shared;
}

const gc = globalThis.gc ?? (() => {});
gc();
const rssAfterLoadKb = Math.round(process.memoryUsage().rss / 1024);
const heapBefore = process.memoryUsage().heapUsed;
const items = makeItems(spec.n);
gc();
const itemsHeapKb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);

let result;
if (spec.node === 'webhook') {
	result = await executeNode(
		{
			type: WEBHOOK_TYPE,
			parameters: webhookParameters(spec.url, {
				concurrency: spec.concurrency ?? 10,
				body: spec.body,
				auth: spec.auth,
				options: spec.options ?? {},
			}),
			credentials: spec.auth ? { brazeWebhookAuthApi: { id: '1', name: 'Bench' } } : undefined,
		},
		items,
		{ credentials: { brazeWebhookAuthApi: { authType: 'bearer', token: API_KEY } } },
	);
} else {
	result = await executeNode(
		{
			type: BRAZE_TO_BRAZE_TYPE,
			parameters: brazeToBrazeParameters({
				batchSize: spec.batchSize,
				concurrentRequests: spec.concurrentRequests,
				reuseConnections: spec.options?.reuseConnections,
			}),
			credentials: { brazeApi: { id: '1', name: 'Braze' } },
		},
		items,
		{ credentials: { brazeApi: { apiKey: API_KEY, instance: 'custom', customUrl: spec.url } } },
	);
}

// Live memory at the end, the node's outputs (and the input items) still referenced.
gc();
const retainedHeapKb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);
const outcomes = {};
const transports = {};
let attempts = 0;
for (const output of result.outputs) {
	for (const item of output) {
		const delivery = item.json.delivery ?? {};
		outcomes[delivery.status ?? 'none'] = (outcomes[delivery.status ?? 'none'] ?? 0) + 1;
		if (delivery.transport) transports[delivery.transport] = (transports[delivery.transport] ?? 0) + 1;
		attempts += delivery.attempts ?? 0;
	}
}
process.stdout.write(
	JSON.stringify({
		executionTime: result.executionTime,
		wallMs: result.wallMs,
		outcomes,
		transports,
		attempts,
		error: result.error ? String(result.error.message ?? result.error) : undefined,
		maxRssKb: process.resourceUsage().maxRSS,
		rssAfterLoadKb,
		itemsHeapKb,
		retainedHeapKb,
	}) + '\n',
);
