/**
 * Braze's webhook response table: what one attempt's outcome means for delivery and for retrying.
 * Pure: no n8n, no I/O.
 */

export type StatusVerdict = 'delivered' | 'redirect' | 'retry' | 'permanent';

/** 2XX delivered; 30X neither delivered nor retried; 408, 429 and 5XX retried; other codes permanent. */
export function classifyStatus(statusCode: number): StatusVerdict {
	if (statusCode >= 200 && statusCode < 300) return 'delivered';
	if (statusCode >= 300 && statusCode < 400) return 'redirect';
	if (statusCode === 408 || statusCode === 429) return 'retry';
	if (statusCode >= 500 && statusCode < 600) return 'retry';
	return 'permanent';
}

/**
 * What a thrown request error means. `timeout` and `connection` are retried (Braze retries a host
 * it cannot reach); `cancelled` means the execution is being stopped; `other` is a request that
 * cannot succeed by repeating it (invalid URL, rejected certificate, blocked domain, too many redirects).
 */
export type ErrorKind = 'timeout' | 'connection' | 'cancelled' | 'other';

export interface ClassifiedError {
	kind: ErrorKind;
	/** The most specific error code found, e.g. ECONNRESET; never a message, which may echo the URL. */
	code?: string;
}

const TIMEOUT_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

const CONNECTION_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'ENETRESET',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EPROTO',
	'UND_ERR_SOCKET',
	'UND_ERR_CLOSED',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/**
 * Walks the error and its `cause` chain. The n8n helpers throw the axios error itself
 * (`httpRequest`) or a NodeApiError whose `httpCode` holds the axios code and whose `cause` is the
 * axios error (`httpRequestWithAuthentication`); both shapes are covered.
 */
export function classifyRequestError(error: unknown): ClassifiedError {
	const codes: string[] = [];
	let cancelled = false;
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (typeof current === 'object' && current !== null && !seen.has(current) && seen.size < 10) {
		seen.add(current);
		const level = current as { code?: unknown; httpCode?: unknown; name?: unknown; cause?: unknown };
		for (const candidate of [level.code, level.httpCode]) {
			if (typeof candidate === 'string' && /^[A-Z][A-Z0-9_]+$/.test(candidate)) codes.push(candidate);
		}
		if (level.name === 'AbortError' || level.name === 'CanceledError') cancelled = true;
		current = level.cause;
	}
	if (cancelled || codes.some((code) => CANCEL_CODES.has(code))) {
		return { kind: 'cancelled', code: codes.find((code) => CANCEL_CODES.has(code)) };
	}
	const timeout = codes.find((code) => TIMEOUT_CODES.has(code));
	if (timeout) return { kind: 'timeout', code: timeout };
	const connection = codes.find((code) => CONNECTION_CODES.has(code));
	if (connection) return { kind: 'connection', code: connection };
	return { kind: 'other', code: codes[0] };
}
