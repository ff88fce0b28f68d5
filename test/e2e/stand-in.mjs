// A loopback stand-in for a remote API (CRM, game API, print-and-mail API, Braze REST ...):
// an HTTP server on 127.0.0.1 that records every request and answers from a script.
// It closes by itself after `ttlMs` or `maxRequests`, so a runaway test cannot keep it serving.
import http from 'node:http';

/**
 * @typedef {{status?: number, headers?: Record<string,string>, body?: unknown, delayMs?: number}} Reply
 * @param {{name?: string, port?: number, responses?: Reply[]|Reply, ttlMs?: number, maxRequests?: number}} opts
 *   responses: a list is answered in order (the last entry repeats); an object answers every request.
 */
export async function startStandIn(opts = {}) {
	const { name = 'stand-in', port = 0, ttlMs = 10 * 60_000, maxRequests = 10_000 } = opts;
	let responses = opts.responses ?? { status: 200, body: { ok: true } };
	const requests = [];
	const sockets = new Set();

	const pick = (index) => {
		if (Array.isArray(responses)) return responses[Math.min(index, responses.length - 1)] ?? { status: 200 };
		return responses;
	};

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks).toString('utf8');
			let json;
			try {
				json = body ? JSON.parse(body) : undefined;
			} catch {
				json = undefined;
			}
			const index = requests.length;
			const url = new URL(req.url, 'http://127.0.0.1');
			requests.push({
				index,
				method: req.method,
				url: req.url,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body,
				json,
				receivedAt: Date.now(),
			});
			if (requests.length > maxRequests) {
				res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"stand-in request limit"}');
				void close();
				return;
			}
			const r = pick(index);
			if (r.delayMs) await new Promise((ok) => setTimeout(ok, Math.min(r.delayMs, 60_000)));
			const isText = typeof r.body === 'string';
			const payload = r.body === undefined ? '' : isText ? r.body : JSON.stringify(r.body);
			res.writeHead(r.status ?? 200, {
				'content-type': isText ? 'text/plain' : 'application/json',
				...(r.headers ?? {}),
			});
			res.end(payload);
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(port, '127.0.0.1', ok);
	});
	const actualPort = server.address().port;
	let closed = false;
	const close = () =>
		new Promise((ok) => {
			if (closed) return ok();
			closed = true;
			clearTimeout(timer);
			for (const s of sockets) s.destroy();
			server.close(() => ok());
		});
	const timer = setTimeout(() => void close(), ttlMs);
	timer.unref();
	return {
		name,
		port: actualPort,
		url: `http://127.0.0.1:${actualPort}`,
		requests,
		setResponses: (r) => {
			responses = r;
		},
		close,
	};
}
