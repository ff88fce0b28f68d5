/**
 * Redis commands over HTTP, in the two formats self-hosted and hosted Redis fronts speak:
 * - Upstash REST (also served by self-hosted proxies such as serverless-redis-http): `POST /` with the
 *   command as a JSON array, answered `{"result": ...}` or, for a Redis error, `{"error": "..."}`.
 * - Webdis: `POST /` with `COMMAND/arg/arg` (each argument percent-encoded) as the body, answered
 *   `{"COMMAND": ...}`, a Redis error as `{"COMMAND": [false, "ERR ..."]}`.
 * Free of n8n: the caller hands in how a request is sent (n8n's request helper with the credential).
 */

export type RedisHttpFormat = 'upstash' | 'webdis';

export interface RedisHttpRequest {
	method: 'POST';
	body: string | unknown[];
	contentType: 'application/json' | 'text/plain';
}

export interface RedisHttpResponse {
	statusCode: number;
	body: unknown;
}

export type RedisHttpSend = (request: RedisHttpRequest) => Promise<RedisHttpResponse>;

/**
 * A command's answer, or why the store could not give one, worded without the request (which may
 * carry the URL's secrets).
 */
export type StoreReply = { ok: true; value: unknown } | { ok: false; reason: string };

const unavailable = (reason: string): StoreReply => ({ ok: false, reason });

export class RedisHttpClient {
	constructor(
		private readonly format: RedisHttpFormat,
		private readonly send: RedisHttpSend,
	) {}

	async command(args: Array<string | number>): Promise<StoreReply> {
		const parts = args.map(String);
		let response: RedisHttpResponse;
		try {
			response = await this.send(requestFor(this.format, parts));
		} catch (error) {
			return unavailable(describeRequestError(error));
		}
		return replyOf(this.format, parts[0], response);
	}
}

export function requestFor(format: RedisHttpFormat, args: string[]): RedisHttpRequest {
	if (format === 'upstash') return { method: 'POST', body: args, contentType: 'application/json' };
	return { method: 'POST', body: args.map(webdisArgument).join('/'), contentType: 'text/plain' };
}

/**
 * Webdis splits the body at `/` and decodes `%XX` and `+`, and reads a trailing `.ext` as the
 * answer's format; everything else goes as it is, which keeps the body (and the Lua script) short.
 */
function webdisArgument(arg: string): string {
	return arg.replace(/[^A-Za-z0-9=,()[\]{}'<>~*\-:;"^_!@$|`&\n]/gu, (c) => encodeURIComponent(c).replace(/[.!~*'()]/g, escapeAscii));
}

function escapeAscii(c: string): string {
	return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function replyOf(format: RedisHttpFormat, command: string, { statusCode, body }: RedisHttpResponse): StoreReply {
	const parsed = parseBody(body);
	if (statusCode === 401 || statusCode === 403) {
		return unavailable(`the store refused the credential (HTTP ${statusCode})`);
	}
	if (format === 'upstash') {
		if (isObject(parsed) && typeof parsed.error === 'string') {
			return unavailable(`Redis error: ${shorten(parsed.error)}`);
		}
		if (statusCode < 200 || statusCode > 299) return unavailable(`HTTP ${statusCode}`);
		if (!isObject(parsed) || !('result' in parsed)) {
			return unavailable('the answer is not in the Upstash REST format (no "result")');
		}
		return { ok: true, value: parsed.result };
	}
	if (statusCode < 200 || statusCode > 299) return unavailable(`HTTP ${statusCode}`);
	const key = Object.keys(isObject(parsed) ? parsed : {}).find((name) => name.toUpperCase() === command.toUpperCase());
	if (!isObject(parsed) || key === undefined) {
		return unavailable(`the answer is not in the Webdis format (no "${command}")`);
	}
	const value = parsed[key];
	if (Array.isArray(value) && value.length === 2 && value[0] === false && typeof value[1] === 'string') {
		return unavailable(`Redis error: ${shorten(value[1])}`);
	}
	// A status reply (OK, PONG) comes as [true, "OK"].
	if (Array.isArray(value) && value.length === 2 && value[0] === true && typeof value[1] === 'string') {
		return { ok: true, value: value[1] };
	}
	return { ok: true, value };
}

function parseBody(body: unknown): unknown {
	if (typeof body === 'string' || body instanceof Uint8Array) {
		const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(text: string): string {
	const line = text.split('\n')[0];
	return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** The network side of a failed request, by its error code only: never the URL or headers. */
function describeRequestError(error: unknown): string {
	const code = findCode(error);
	if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') return `timed out (${code})`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
	if (code) return `request failed (${code})`;
	return 'request failed';
}

function findCode(error: unknown, depth = 0): string | undefined {
	if (typeof error !== 'object' || error === null || depth > 3) return undefined;
	const value = error as { code?: unknown; cause?: unknown; httpCode?: unknown };
	if (typeof value.code === 'string' && /^[A-Z_]+$/.test(value.code)) return value.code;
	return findCode(value.cause, depth + 1);
}
