// Loopback HTTP(S) server for the benchmarks, run as a child process (fork) and controlled over IPC
// only, so control traffic never counts as a connection. It stops by itself after --ttl seconds or
// when its parent goes away.
//
// Counts: requests, body bytes, an order-independent digest of the bodies, accepted TCP connections,
// open and max-open connections, `Connection: close` requests, TLS handshakes and resumed sessions.
// Config per run (IPC `reset`): latencyMs (delay before answering), failEvery (every k-th request
// answers 503), mode 'echo' (200 {"ok":true}) or 'users-track' (201 {"message":"success"}, counts objects).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const ttl = Number(args.ttl ?? 900);

let config = { latencyMs: 0, failEvery: 0, mode: 'echo' };
let stats;
function freshStats() {
	return {
		requests: 0,
		bodyBytes: 0,
		digest: 0n,
		connections: 0,
		open: 0,
		maxOpen: 0,
		connectionClose: 0,
		tlsHandshakes: 0,
		tlsResumed: 0,
		status: {},
		objects: 0,
		firstAt: 0,
		lastAt: 0,
		// retries: body -> { attempts, failedAt }
		retryGapMs: 0,
		retriesByIndex: [],
		byPath: {},
	};
}
stats = freshStats();
let attemptsByBody = new Map();
let open = 0;

function onConnection(socket) {
	stats.connections++;
	open++;
	stats.open = open;
	if (open > stats.maxOpen) stats.maxOpen = open;
	socket.once('close', () => {
		open--;
		stats.open = open;
	});
}

function digestOf(buf) {
	return BigInt('0x' + crypto.createHash('md5').update(buf).digest('hex').slice(0, 13));
}

function handler(req, res) {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const now = Date.now();
		if (!stats.firstAt) stats.firstAt = now;
		const body = Buffer.concat(chunks);
		stats.requests++;
		stats.bodyBytes += body.length;
		stats.digest = (stats.digest + digestOf(body)) & 0xffffffffffffffn;
		const close = (req.headers.connection ?? '').toLowerCase() === 'close';
		if (close) stats.connectionClose++;
		const p = (stats.byPath[req.url] ??= { requests: 0, bodyBytes: 0, digest: 0n, connectionClose: 0, firstAt: now, lastAt: 0 });
		p.requests++;
		p.bodyBytes += body.length;
		p.digest = (p.digest + digestOf(body)) & 0xffffffffffffffn;
		if (close) p.connectionClose++;
		let status = config.mode === 'users-track' ? 201 : 200;
		let payload = config.mode === 'users-track' ? '{"message":"success"}' : '{"ok":true}';
		if (config.mode === 'users-track') {
			try {
				const parsed = JSON.parse(body.toString('utf8'));
				for (const k of ['attributes', 'events', 'purchases']) stats.objects += parsed[k]?.length ?? 0;
			} catch {}
		}
		if (config.failEvery > 0) {
			const key = body.toString('latin1');
			const seen = attemptsByBody.get(key);
			if (seen?.failedAt) {
				stats.retryGapMs += now - seen.failedAt;
				const idx = seen.attempts - 1;
				stats.retriesByIndex[idx] = (stats.retriesByIndex[idx] ?? 0) + 1;
			}
			const entry = seen ?? { attempts: 0, failedAt: 0 };
			entry.attempts++;
			entry.failedAt = 0;
			if (stats.requests % config.failEvery === 0) {
				status = 503;
				payload = '{"error":"unavailable"}';
			}
			attemptsByBody.set(key, entry);
		}
		stats.status[status] = (stats.status[status] ?? 0) + 1;
		const answer = () => {
			res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
			res.end(payload);
			stats.lastAt = Date.now();
			stats.byPath[req.url].lastAt = stats.lastAt;
			if (config.failEvery > 0 && status === 503) {
				const entry = attemptsByBody.get(body.toString('latin1'));
				entry.failedAt = Date.now();
			}
		};
		if (config.latencyMs > 0) setTimeout(answer, config.latencyMs);
		else answer();
	});
}

function tune(server) {
	server.keepAliveTimeout = 10_000;
	server.headersTimeout = 60_000;
	server.requestTimeout = 0;
	server.maxRequestsPerSocket = 0;
	server.on('connection', onConnection);
	return server;
}

const httpServer = tune(http.createServer(handler));
let httpsServer;
if (args.cert && args.key) {
	httpsServer = tune(https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }, handler));
	httpsServer.on('secureConnection', (socket) => {
		stats.tlsHandshakes++;
		if (socket.isSessionReused()) stats.tlsResumed++;
	});
}

await new Promise((ok) => httpServer.listen({ port: 0, host: '127.0.0.1', backlog: 65535 }, ok));
if (httpsServer) await new Promise((ok) => httpsServer.listen({ port: 0, host: '127.0.0.1', backlog: 65535 }, ok));

const stopAll = () => {
	httpServer.closeAllConnections?.();
	httpsServer?.closeAllConnections?.();
	process.exit(0);
};
setTimeout(stopAll, ttl * 1000).unref();
process.on('disconnect', stopAll);

process.on('message', async (msg) => {
	if (msg.cmd === 'reset') {
		// Wait until the previous run's connections are gone, so counts start from zero.
		const deadline = Date.now() + 15_000;
		while (open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
		config = { latencyMs: 0, failEvery: 0, mode: 'echo', ...msg.config };
		stats = freshStats();
		stats.open = open;
		attemptsByBody = new Map();
		process.send({ id: msg.id, ok: true, openBefore: open });
	} else if (msg.cmd === 'stats') {
		const byPath = Object.fromEntries(Object.entries(stats.byPath).map(([k, v]) => [k, { ...v, digest: v.digest.toString(16) }]));
		process.send({ id: msg.id, stats: { ...stats, byPath, digest: stats.digest.toString(16) } });
	} else if (msg.cmd === 'stop') {
		stopAll();
	}
});

process.send({ ready: true, httpPort: httpServer.address().port, httpsPort: httpsServer?.address().port });
