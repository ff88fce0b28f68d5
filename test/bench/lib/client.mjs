// Bare Node HTTP(S) client, one fresh process per run (cold JIT, like each n8n node run).
//   --url <u> --n <items> --c <concurrency> --mode keepalive|fresh|fetch
// keepalive: one http(s).Agent({keepAlive:true, maxSockets:c}) for all requests.
// fetch:     the global fetch (its default pool keeps connections alive): the ceiling of any
//            fetch-based sender, such as the Reuse Connections option.
// fresh:     a new http(s).Agent({}) per request, as n8n's helpers build one (no keep-alive, so Node
//            sends `Connection: close`; a new agent also means no TLS session resumption).
// Times only the N requests (C workers pull the next index), as in the baseline. TLS trusts the
// bench's self-signed CA through NODE_EXTRA_CA_CERTS, like the n8n runs.
import http from 'node:http';
import https from 'node:https';

import { makeItem } from './workload.mjs';

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const url = new URL(args.url);
const n = Number(args.n);
const c = Number(args.c);
const mode = args.mode ?? 'keepalive';
const lib = url.protocol === 'https:' ? https : http;
const shared = mode === 'keepalive' ? new lib.Agent({ keepAlive: true, maxSockets: c }) : undefined;

async function postWithFetch(i) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(makeItem(i)),
	});
	JSON.parse(Buffer.from(await res.arrayBuffer()).toString('utf8'));
	return res.status;
}

function post(i) {
	if (mode === 'fetch') return postWithFetch(i);
	return new Promise((ok, fail) => {
		const body = JSON.stringify(makeItem(i));
		const req = lib.request(
			{
				hostname: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'POST',
				agent: shared ?? new lib.Agent({}),
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
			},
			(res) => {
				const chunks = [];
				res.on('data', (d) => chunks.push(d));
				res.on('end', () => {
					JSON.parse(Buffer.concat(chunks).toString('utf8'));
					ok(res.statusCode);
				});
				res.on('error', fail);
			},
		);
		req.on('error', fail);
		req.end(body);
	});
}

let next = 0;
let okCount = 0;
let errors = 0;
async function worker() {
	while (next < n) {
		const i = next++;
		try {
			const status = await post(i);
			if (status >= 200 && status < 300) okCount++;
			else errors++;
		} catch {
			errors++;
		}
	}
}

const t0 = performance.now();
await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
const ms = performance.now() - t0;
shared?.destroy();
process.stdout.write(JSON.stringify({ ms, ok: okCount, errors, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
