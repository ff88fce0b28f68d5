/**
 * A seeded fault-injecting HTTP server on 127.0.0.1 that plays an unreliable remote host.
 *
 * Every request names its item (query `item=`, or header `X-Item`). The server counts the item's
 * attempts and answers attempt n of item i from `decide(seed, i, n)`: the same seed always gives the
 * same answers, whatever the order in which requests arrive. It logs each request with what it
 * answered, the earliest time the answer allows the next attempt (`notBefore`, from the retry hint it
 * sent), and whether the answer reached the client. Its lifecycle (time and request limits, closing,
 * open connections destroyed) is the shared one of support/http-server.
 */
import type * as http from 'node:http';

import { startHttpServer, type Exchange } from '../support/http-server';

/** One kind of answer the server can give. */
export type FaultKind =
	| 'ok200'
	| 'ok201'
	| 'ok204'
	| 'redirect301'
	| 'redirect302'
	| 'redirect307'
	| 'bad400'
	| 'bad400RetryAfter'
	| 'unauthorized401'
	| 'unauthorized401RetryAfter'
	| 'notFound404'
	| 'notFound404RetryAfter'
	| 'timeout408'
	| 'timeout408RetryAfterSeconds'
	| 'rateLimited429'
	| 'rateLimited429RetryAfterSeconds'
	| 'rateLimited429RetryAfterDecimal'
	| 'rateLimited429RetryAfterDate'
	| 'rateLimited429XRetryAfter'
	| 'rateLimited429ResetSeconds'
	| 'rateLimited429ResetEpochSeconds'
	| 'rateLimited429ResetEpochMs'
	| 'rateLimited429RateLimitResetEpochMs'
	| 'error500'
	| 'error500RetryAfterDate'
	| 'badGateway502'
	| 'unavailable503'
	| 'unavailable503RetryAfterDecimal'
	| 'gatewayTimeout504'
	| 'overloaded529'
	| 'slow'
	| 'drop';

/** How the node must treat each kind (README's retry table). */
export type Treatment = 'delivered' | 'redirect' | 'permanent' | 'retry';

export interface FaultSpec {
	kind: FaultKind;
	/** Answers of this kind per 10,000. */
	weight: number;
	treatment: Treatment;
	/** The HTTP status sent (undefined: no answer reaches the client). */
	status?: number;
	/** Which hint form the answer carries, if any. */
	hint?: string;
}

/**
 * The mix, per 10,000 answers: 2XX 6,413, 30X 300, 400/401/404 600, retriable 2,687 (408, 429, 5XX,
 * answers that never come, dropped connections).
 * Host-wide holds (429 and 503 with a hint, or X-RateLimit-Remaining 0) stop every worker, so they
 * use sub-second hints except a few whole-second forms, which keeps the 10,000-item run short.
 */
export const FAULT_MIX: readonly FaultSpec[] = [
	{ kind: 'ok200', weight: 5913, treatment: 'delivered', status: 200 },
	{ kind: 'ok201', weight: 300, treatment: 'delivered', status: 201 },
	{ kind: 'ok204', weight: 200, treatment: 'delivered', status: 204 },
	{ kind: 'redirect301', weight: 100, treatment: 'redirect', status: 301 },
	{ kind: 'redirect302', weight: 100, treatment: 'redirect', status: 302 },
	{ kind: 'redirect307', weight: 100, treatment: 'redirect', status: 307 },
	{ kind: 'bad400', weight: 150, treatment: 'permanent', status: 400 },
	{
		kind: 'bad400RetryAfter',
		weight: 50,
		treatment: 'permanent',
		status: 400,
		hint: 'Retry-After seconds',
	},
	{ kind: 'unauthorized401', weight: 150, treatment: 'permanent', status: 401 },
	{
		kind: 'unauthorized401RetryAfter',
		weight: 50,
		treatment: 'permanent',
		status: 401,
		hint: 'Retry-After seconds',
	},
	{ kind: 'notFound404', weight: 150, treatment: 'permanent', status: 404 },
	{
		kind: 'notFound404RetryAfter',
		weight: 50,
		treatment: 'permanent',
		status: 404,
		hint: 'Retry-After HTTP-date',
	},
	{ kind: 'timeout408', weight: 200, treatment: 'retry', status: 408 },
	{
		kind: 'timeout408RetryAfterSeconds',
		weight: 100,
		treatment: 'retry',
		status: 408,
		hint: 'Retry-After seconds',
	},
	{ kind: 'rateLimited429', weight: 150, treatment: 'retry', status: 429 },
	{
		kind: 'rateLimited429RetryAfterSeconds',
		weight: 3,
		treatment: 'retry',
		status: 429,
		hint: 'Retry-After seconds',
	},
	{
		kind: 'rateLimited429RetryAfterDecimal',
		weight: 30,
		treatment: 'retry',
		status: 429,
		hint: 'Retry-After decimal seconds',
	},
	{
		kind: 'rateLimited429RetryAfterDate',
		weight: 3,
		treatment: 'retry',
		status: 429,
		hint: 'Retry-After HTTP-date',
	},
	{
		kind: 'rateLimited429XRetryAfter',
		weight: 30,
		treatment: 'retry',
		status: 429,
		hint: 'X-Ratelimit-Retry-After',
	},
	{
		kind: 'rateLimited429ResetSeconds',
		weight: 3,
		treatment: 'retry',
		status: 429,
		hint: 'X-RateLimit-Reset seconds',
	},
	{
		kind: 'rateLimited429ResetEpochSeconds',
		weight: 3,
		treatment: 'retry',
		status: 429,
		hint: 'X-RateLimit-Reset epoch seconds',
	},
	{
		kind: 'rateLimited429ResetEpochMs',
		weight: 20,
		treatment: 'retry',
		status: 429,
		hint: 'X-RateLimit-Reset epoch ms',
	},
	{
		kind: 'rateLimited429RateLimitResetEpochMs',
		weight: 15,
		treatment: 'retry',
		status: 429,
		hint: 'X-Rate-Limit-Reset epoch ms',
	},
	{ kind: 'error500', weight: 300, treatment: 'retry', status: 500 },
	{
		kind: 'error500RetryAfterDate',
		weight: 100,
		treatment: 'retry',
		status: 500,
		hint: 'Retry-After HTTP-date',
	},
	{ kind: 'badGateway502', weight: 350, treatment: 'retry', status: 502 },
	{ kind: 'unavailable503', weight: 340, treatment: 'retry', status: 503 },
	{
		kind: 'unavailable503RetryAfterDecimal',
		weight: 10,
		treatment: 'retry',
		status: 503,
		hint: 'Retry-After decimal seconds',
	},
	{ kind: 'gatewayTimeout504', weight: 300, treatment: 'retry', status: 504 },
	{ kind: 'overloaded529', weight: 300, treatment: 'retry', status: 529 },
	// Rare: each one holds a worker for the node's whole timeout.
	{ kind: 'slow', weight: 20, treatment: 'retry' },
	{ kind: 'drop', weight: 410, treatment: 'retry' },
];

const TOTAL_WEIGHT = FAULT_MIX.reduce((sum, spec) => sum + spec.weight, 0);
if (TOTAL_WEIGHT !== 10_000) throw new Error(`FAULT_MIX weights sum to ${TOTAL_WEIGHT}, not 10,000`);

export const SPEC_BY_KIND = new Map(FAULT_MIX.map((spec) => [spec.kind, spec]));

/** A 32-bit mix of the seed, the item and the attempt (splitmix32-style finaliser). */
export function hash32(...values: number[]): number {
	let h = 0x9e3779b9;
	for (const value of values) {
		h = Math.imul(h ^ (value >>> 0), 0x85ebca6b);
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35);
		h ^= h >>> 16;
	}
	return h >>> 0;
}

/** The answer to attempt `attempt` (1-based) of item `item`, from the seed only. */
export function decide(seed: number, item: number, attempt: number): FaultKind {
	let pick = hash32(seed, item, attempt) % TOTAL_WEIGHT;
	for (const spec of FAULT_MIX) {
		if (pick < spec.weight) return spec.kind;
		pick -= spec.weight;
	}
	throw new Error('unreachable');
}

/** A second, independent draw for the size of a hint (0 ≤ x < 1). */
function fraction(seed: number, item: number, attempt: number): number {
	return hash32(seed ^ 0x5bd1e995, item, attempt) / 2 ** 32;
}

export interface FaultLogEntry {
	index: number;
	item: number;
	/** 1-based: the how-many-th request of this item the server saw. */
	attempt: number;
	kind: FaultKind;
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	receivedAt: number;
	/** When the answer was written, the connection dropped, or (slow) the client gave up; undefined while pending. */
	answeredAt?: number;
	/** Whether a complete HTTP answer reached the client's socket (false for drops and answers to a client that gave up). */
	delivered?: boolean;
	status?: number;
	/** The hint form sent, if any. */
	hint?: string;
	/** The earliest moment (epoch ms) the hint allows the next attempt of this item. */
	notBefore?: number;
}

export interface FaultServerOptions {
	seed: number;
	/** Fixed answers instead of the seeded script (for requests that name no item or for other tests). */
	decideFn?: (item: number, attempt: number) => FaultKind;
	ttlMs?: number;
	maxRequests?: number;
}

export interface FaultServer {
	url: string;
	port: number;
	log: FaultLogEntry[];
	/** Log entries grouped by item, in arrival order. */
	byItem: () => Map<number, FaultLogEntry[]>;
	/** Requests that named no item (they are answered 400). */
	unnamed: () => number;
	close: () => Promise<void>;
}

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
	const choose = options.decideFn ?? ((item: number, attempt: number) => decide(options.seed, item, attempt));
	const log: FaultLogEntry[] = [];
	const attempts = new Map<number, number>();
	let unnamed = 0;

	const respond = ({ req, res, body, receivedAt }: Exchange) => {
		const url = req.url ?? '';
		const fromQuery = new URL(url, 'http://x').searchParams.get('item');
		const named = fromQuery ?? (req.headers['x-item'] as string | undefined);
		const item = named !== undefined && /^\d+$/.test(named) ? Number(named) : undefined;
		if (item === undefined) {
			unnamed++;
			res.writeHead(400, { 'content-type': 'text/plain' }).end('no item named');
			return;
		}
		const attempt = (attempts.get(item) ?? 0) + 1;
		attempts.set(item, attempt);
		const kind = choose(item, attempt);
		const entry: FaultLogEntry = {
			index: log.length,
			item,
			attempt,
			kind,
			method: req.method ?? '',
			url,
			headers: req.headers,
			body: body.toString('utf8'),
			receivedAt,
		};
		log.push(entry);
		answer(entry, req, res, fraction(options.seed, item, attempt));
	};

	function finish(entry: FaultLogEntry, res: http.ServerResponse, status: number, headers: Record<string, string>, body: string) {
		entry.answeredAt = Date.now();
		entry.status = status;
		if (res.destroyed || res.socket?.destroyed) {
			entry.delivered = false;
			return;
		}
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body, () => {
			entry.delivered = true;
		});
		entry.delivered = true;
	}

	function answer(entry: FaultLogEntry, req: http.IncomingMessage, res: http.ServerResponse, x: number) {
		const now = entry.receivedAt;
		const spec = SPEC_BY_KIND.get(entry.kind)!;
		const body = JSON.stringify({
			item: entry.item,
			attempt: entry.attempt,
			kind: entry.kind,
		});
		// The server states its clock; the node reads HTTP dates and epoch resets against it.
		const date = new Date(now);
		const headers: Record<string, string> = { date: date.toUTCString() };
		const wholeSecondAhead = Math.floor(now / 1000) * 1000 + 1000;
		const delta = (ms: number) => {
			entry.notBefore = now + ms;
		};
		const at = (epochMs: number) => {
			entry.notBefore = epochMs;
		};
		entry.hint = spec.hint;
		switch (entry.kind) {
			case 'redirect301':
			case 'redirect302':
			case 'redirect307':
				headers.location = `/redirected?item=${entry.item}`;
				break;
			case 'bad400RetryAfter':
			case 'unauthorized401RetryAfter':
				headers['retry-after'] = '1';
				delta(1000);
				break;
			case 'notFound404RetryAfter':
				headers['retry-after'] = new Date(wholeSecondAhead).toUTCString();
				at(wholeSecondAhead);
				break;
			case 'timeout408RetryAfterSeconds':
			case 'rateLimited429RetryAfterSeconds':
				headers['retry-after'] = '1';
				delta(1000);
				break;
			case 'rateLimited429RetryAfterDecimal':
			case 'unavailable503RetryAfterDecimal': {
				const ms = 30 + Math.floor(x * 120);
				headers['retry-after'] = (ms / 1000).toFixed(3);
				delta(ms);
				break;
			}
			case 'rateLimited429RetryAfterDate':
			case 'error500RetryAfterDate':
				headers['retry-after'] = new Date(wholeSecondAhead).toUTCString();
				at(wholeSecondAhead);
				break;
			case 'rateLimited429XRetryAfter': {
				const ms = 30 + Math.floor(x * 120);
				headers['x-ratelimit-retry-after'] = (ms / 1000).toFixed(3);
				delta(ms);
				break;
			}
			case 'rateLimited429ResetSeconds':
				headers['x-ratelimit-limit'] = '100000';
				headers['x-ratelimit-remaining'] = '0';
				headers['x-ratelimit-reset'] = '1';
				delta(1000);
				break;
			case 'rateLimited429ResetEpochSeconds':
				headers['x-ratelimit-remaining'] = '0';
				headers['x-ratelimit-reset'] = String(wholeSecondAhead / 1000);
				at(wholeSecondAhead);
				break;
			case 'rateLimited429ResetEpochMs': {
				const target = now + 30 + Math.floor(x * 120);
				headers['x-ratelimit-remaining'] = '0';
				headers['x-ratelimit-reset'] = String(target);
				at(target);
				break;
			}
			case 'rateLimited429RateLimitResetEpochMs': {
				// No Remaining: a 429 that names a reset is a hint on its own.
				const target = now + 30 + Math.floor(x * 120);
				headers['x-rate-limit-reset'] = String(target);
				at(target);
				break;
			}
			default:
				break;
		}
		if (entry.kind === 'drop') {
			entry.answeredAt = Date.now();
			entry.delivered = false;
			req.socket.destroy();
			return;
		}
		if (entry.kind === 'slow') {
			// Never answered: only the client's timeout can end the attempt, however loaded the machine.
			// The server's close destroys the socket if the client never gives up.
			entry.delivered = false;
			res.on('close', () => {
				entry.answeredAt ??= Date.now();
			});
			return;
		}
		finish(entry, res, spec.status!, headers, entry.kind === 'ok204' ? '' : body);
	}

	const server = await startHttpServer({
		name: 'fault server',
		respond,
		ttlMs: options.ttlMs ?? 180_000,
		maxRequests: options.maxRequests ?? 60_000,
		configure: (created) => {
			created.keepAliveTimeout = 30_000;
		},
	});

	return {
		url: server.url,
		port: server.port,
		log,
		byItem: () => {
			const grouped = new Map<number, FaultLogEntry[]>();
			for (const entry of log) {
				const list = grouped.get(entry.item) ?? [];
				list.push(entry);
				grouped.set(entry.item, list);
			}
			return grouped;
		},
		unnamed: () => unnamed,
		close: server.close,
	};
}

/** What the node must make of an item, given the seeded answers and its retry limit. */
export interface ExpectedOutcome {
	status: 'sent' | 'failed';
	reason?: 'redirect' | 'client-error' | 'retries-exhausted';
	attempts: number;
	/** The status of the last answer that reached the node (undefined when the last attempt got none). */
	statusCode?: number;
	kinds: FaultKind[];
}

export function expectedOutcome(seed: number, item: number, maxRetries: number): ExpectedOutcome {
	const kinds: FaultKind[] = [];
	for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
		const kind = decide(seed, item, attempt);
		kinds.push(kind);
		const spec = SPEC_BY_KIND.get(kind)!;
		if (spec.treatment === 'delivered')
			return {
				status: 'sent',
				attempts: attempt,
				statusCode: spec.status,
				kinds,
			};
		if (spec.treatment === 'redirect')
			return {
				status: 'failed',
				reason: 'redirect',
				attempts: attempt,
				statusCode: spec.status,
				kinds,
			};
		if (spec.treatment === 'permanent')
			return {
				status: 'failed',
				reason: 'client-error',
				attempts: attempt,
				statusCode: spec.status,
				kinds,
			};
	}
	// Retries used up: the last answer's status, if one reached the node; otherwise the last one that did.
	const answered = [...kinds].reverse().map((kind) => SPEC_BY_KIND.get(kind)!.status);
	return {
		status: 'failed',
		reason: 'retries-exhausted',
		attempts: maxRetries + 1,
		statusCode: answered.find((s) => s !== undefined),
		kinds,
	};
}
