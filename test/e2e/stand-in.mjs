// A loopback stand-in for a remote API (CRM, game API, print-and-mail API, Braze REST ...):
// an HTTP server on 127.0.0.1 that records every request and answers from a script. Its lifecycle
// is the tests' shared core (test/support/http-server.ts, loaded compiled): it closes by itself after
// `ttlMs` or `maxRequests`, so a runaway test cannot keep it serving.
import { loadSupport } from '../support/compiled.mjs';

// The longest scripted delay honoured, so a typo in a recipe cannot park a request for hours.
const MAX_DELAY_MS = 60_000;

/**
 * @typedef {{status?: number, headers?: Record<string,string>, body?: unknown, delayMs?: number}} Reply
 * @param {{name?: string, port?: number, responses?: Reply[]|Reply, ttlMs?: number, maxRequests?: number}} opts
 *   responses: a list is answered in order (the last entry repeats); an object answers every request;
 *   a function answers each recorded request (with its path) as it returns.
 */
export async function startStandIn(opts = {}) {
	const { name = 'stand-in', port = 0, ttlMs = 10 * 60_000, maxRequests = 10_000 } = opts;
	let responses = opts.responses ?? { status: 200, body: { ok: true } };
	const requests = [];

	const pick = (index, request) => {
		if (typeof responses === 'function') return responses(request);
		if (Array.isArray(responses)) return responses[Math.min(index, responses.length - 1)] ?? { status: 200 };
		return responses;
	};

	const respond = async ({ req, res, body: raw, index, receivedAt }) => {
		const body = raw.toString('utf8');
		let json;
		try {
			json = body ? JSON.parse(body) : undefined;
		} catch {
			json = undefined;
		}
		const url = new URL(req.url, 'http://127.0.0.1');
		const request = {
			index,
			method: req.method,
			url: req.url,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			body,
			json,
			receivedAt,
		};
		requests.push(request);
		const r = pick(index, request);
		if (r.delayMs) await server.wait(Math.min(r.delayMs, MAX_DELAY_MS));
		const isText = typeof r.body === 'string';
		const payload = r.body === undefined ? '' : isText ? r.body : JSON.stringify(r.body);
		res.writeHead(r.status ?? 200, {
			'content-type': isText ? 'text/plain' : 'application/json',
			...(r.headers ?? {}),
		});
		res.end(payload);
	};

	const { startHttpServer } = await loadSupport('http-server');
	const server = await startHttpServer({ name, port, respond, ttlMs, maxRequests });
	return {
		name,
		port: server.port,
		url: server.url,
		requests,
		setResponses: (r) => {
			responses = r;
		},
		close: () => server.close(),
	};
}
