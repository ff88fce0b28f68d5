// Loopback HTTP(S) server for the benchmarks, run as a child process (fork) and controlled over IPC
// only, so control traffic never counts as a connection. Its lifecycle is the tests' shared core
// (test/support/http-server.ts, loaded compiled): 127.0.0.1 only, closed after --ttl seconds or a
// request limit; the process also stops when its parent goes away.
//
// Counts: requests, body bytes, an order-independent digest of the bodies, accepted TCP connections,
// open and max-open connections, `Connection: close` requests, TLS handshakes and resumed sessions.
// Config per run (IPC `reset`): latencyMs (delay before answering), failEvery (every k-th request
// answers 503), mode 'echo' (200 {"ok":true}) or 'users-track' (201 {"message":"success"}, counts objects),
// rateLimit { limit, windowSeconds } (X-RateLimit-* headers, 429 past the limit).
// --net-delay-ms D: a second door to the TLS server, a TCP proxy that holds every chunk D ms in each
// direction, so a round trip costs 2·D as on a network (the TCP handshake with the proxy itself is
// not delayed, which favours the senders that open a connection per request).
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

import { loadSupport } from '../../support/compiled.mjs';

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const ttl = Number(args.ttl ?? 900);
// A bound, not a budget: a full bench sends a few million requests.
const MAX_REQUESTS = 50_000_000;

let config = { latencyMs: 0, failEvery: 0, mode: 'echo' };
let rateWindow = { endsAt: 0, used: 0 };
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

function respond({ req, res, body }, server) {
	const now = Date.now();
	if (!stats.firstAt) stats.firstAt = now;
	stats.requests++;
	stats.bodyBytes += body.length;
	stats.digest = (stats.digest + digestOf(body)) & 0xffffffffffffffn;
	const close = (req.headers.connection ?? '').toLowerCase() === 'close';
	if (close) stats.connectionClose++;
	const p = (stats.byPath[req.url] ??= { requests: 0, bodyBytes: 0, digest: 0n, connectionClose: 0, connections: 0, firstAt: now, lastAt: 0 });
	p.requests++;
	// A socket's first request opened it: connections per path, for senders sharing one server.
	if (!req.socket.benchSeen) {
		req.socket.benchSeen = true;
		p.connections++;
	}
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
	// rateLimit { limit, windowSeconds }: Braze's X-RateLimit-* headers over fixed windows on the
	// clock, and a 429 once a window is used up (what a Braze stand-in advertises and enforces).
	const rateHeaders = {};
	if (config.rateLimit) {
		const windowMs = config.rateLimit.windowSeconds * 1000;
		const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
		if (windowEnd !== rateWindow.endsAt) rateWindow = { endsAt: windowEnd, used: 0 };
		rateWindow.used++;
		if (rateWindow.used > config.rateLimit.limit) {
			status = 429;
			payload = '{"message":"Rate limit exceeded"}';
		}
		rateHeaders['X-RateLimit-Limit'] = String(config.rateLimit.limit);
		rateHeaders['X-RateLimit-Remaining'] = String(Math.max(0, config.rateLimit.limit - rateWindow.used));
		rateHeaders['X-RateLimit-Reset'] = String(Math.max(1, Math.ceil((windowEnd - now) / 1000)));
	}
	stats.status[status] = (stats.status[status] ?? 0) + 1;
	const answer = () => {
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...rateHeaders });
		res.end(payload);
		stats.lastAt = Date.now();
		stats.byPath[req.url].lastAt = stats.lastAt;
		if (config.failEvery > 0 && status === 503) {
			const entry = attemptsByBody.get(body.toString('latin1'));
			entry.failedAt = Date.now();
		}
	};
	if (config.latencyMs > 0) server.after(config.latencyMs, answer);
	else answer();
}

const { startHttpServer } = await loadSupport('http-server');
const serve = async (name, tls) => {
	const server = await startHttpServer({
		name,
		respond: (exchange) => respond(exchange, server),
		ttlMs: ttl * 1000,
		maxRequests: MAX_REQUESTS,
		tls,
		backlog: 65535,
		onConnection,
		configure: (created) => {
			created.keepAliveTimeout = 10_000;
			created.headersTimeout = 60_000;
			created.requestTimeout = 0;
			created.maxRequestsPerSocket = 0;
			if (tls)
				created.on('secureConnection', (socket) => {
					stats.tlsHandshakes++;
					if (socket.isSessionReused()) stats.tlsResumed++;
				});
		},
	});
	return server;
};

const servers = [await serve('bench server')];
if (args.cert && args.key) servers.push(await serve('bench TLS server', { cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }));
const [httpServer, httpsServer] = servers;

const netDelayMs = Number(args['net-delay-ms'] ?? 0);
const delayed = httpsServer && netDelayMs > 0 ? await startDelayProxy(httpsServer.port, netDelayMs) : undefined;

/** Forwards bytes both ways, each chunk `ms` later; one upstream connection per client connection. */
function startDelayProxy(upstreamPort, ms) {
	const pipeLater = (from, to) => {
		from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), ms));
		from.on('end', () => setTimeout(() => to.destroyed || to.end(), ms));
		from.on('error', () => setTimeout(() => to.destroy(), ms));
		from.on('close', () => setTimeout(() => to.destroy(), ms + 50));
	};
	const proxy = net.createServer({ allowHalfOpen: true }, (client) => {
		const upstream = net.connect({ port: upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		pipeLater(client, upstream);
		pipeLater(upstream, client);
	});
	return new Promise((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', 65535, () => resolve({ port: proxy.address().port, close: () => new Promise((r) => proxy.close(() => r())) }));
	});
}

const stopAll = async () => {
	await Promise.all([...servers.map((server) => server.close()), delayed?.close()]);
	process.exit(0);
};
// Either server closing (time or request limit) ends the bench server.
for (const server of servers) void server.closed.then(stopAll);
process.on('disconnect', () => void stopAll());

process.on('message', async (msg) => {
	if (msg.cmd === 'reset') {
		// Wait until the previous run's connections are gone, so counts start from zero.
		const deadline = Date.now() + 15_000;
		while (open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
		config = { latencyMs: 0, failEvery: 0, mode: 'echo', ...msg.config };
		rateWindow = { endsAt: 0, used: 0 };
		stats = freshStats();
		stats.open = open;
		attemptsByBody = new Map();
		process.send({ id: msg.id, ok: true, openBefore: open });
	} else if (msg.cmd === 'stats') {
		const byPath = Object.fromEntries(Object.entries(stats.byPath).map(([k, v]) => [k, { ...v, digest: v.digest.toString(16) }]));
		process.send({ id: msg.id, stats: { ...stats, byPath, digest: stats.digest.toString(16) } });
	} else if (msg.cmd === 'stop') {
		void stopAll();
	}
});

process.send({ ready: true, httpPort: httpServer.port, httpsPort: httpsServer?.port, delayedHttpsPort: delayed?.port });
