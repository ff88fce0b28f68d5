/**
 * Every result a delivery can end in, built in one place: what a sent, deferred or failed item
 * carries (status, reason, message) is read here, not across the session's steps.
 */
import { jsonParse } from 'n8n-workflow';

import { normalizeHeaders } from './rate-limit-headers';
import type { CooldownStoreStatus } from './shared-store/shared-cooldown';
import type { FullResponse, TransportName } from './transport/types';

export type { FullResponse };

/**
 * `transport` is set when Reuse Connections is on: which way the last attempt went; `cooldownStore`
 * when a shared cooldown store is configured: whether this send could use it.
 */
export type DeliveryResult = { transport?: TransportName; cooldownStore?: CooldownStoreStatus } & (
	| {
			status: 'sent';
			statusCode: number;
			headers: Record<string, string>;
			body: unknown;
			attempts: number;
			durationMs: number;
	  }
	| {
			status: 'deferred';
			reason: 'host-cooldown' | 'wait-budget' | 'rate-limit';
			retryAt: string;
			attempts: number;
			lastStatusCode?: number;
			message: string;
	  }
	| {
			status: 'failed';
			reason: 'redirect' | 'client-error' | 'retries-exhausted' | 'request-error' | 'stopped';
			statusCode?: number;
			headers?: Record<string, string>;
			body?: unknown;
			attempts: number;
			durationMs: number;
			message: string;
	  }
);


/** Where one send stands when it ends: what every result of it reports. */
export interface SendProgress {
	host: string;
	attempts: number;
	lastResponse?: FullResponse;
	/** How the last attempt went, for messages: `HTTP 503`, `timed out (ETIMEDOUT)`, ... */
	lastFailure: string;
}

/** Response headers that can carry session secrets; never copied into results. */
const WITHHELD_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2', 'authorization', 'proxy-authorization', 'cookie']);

/** The `transport` and `cooldownStore` of a result, to spread into an item's delivery object; empty when not set. */
export function sessionFields(result: DeliveryResult): { transport?: TransportName; cooldownStore?: CooldownStoreStatus } {
	return {
		...(result.transport ? { transport: result.transport } : {}),
		...(result.cooldownStore ? { cooldownStore: result.cooldownStore } : {}),
	};
}

export function invalidUrl(): DeliveryResult {
	return {
		status: 'failed',
		reason: 'request-error',
		attempts: 0,
		durationMs: 0,
		message: 'The URL is not a valid absolute http(s) URL',
	};
}

export function notSent(attempts: number, durationMs: number): DeliveryResult {
	return {
		status: 'failed',
		reason: 'stopped',
		attempts,
		durationMs,
		message: 'Not sent: the node stopped at an earlier failure',
	};
}

export function deferredForCooldown(progress: SendProgress, retryAt: number): DeliveryResult {
	return {
		status: 'deferred',
		reason: 'host-cooldown',
		retryAt: iso(retryAt),
		attempts: progress.attempts,
		...lastStatusCodeOf(progress),
		message: `Requests to ${progress.host} are paused until ${iso(retryAt)}: most recent requests to it failed`,
	};
}

export function deferredForRateLimit(progress: SendProgress, sendAt: number): DeliveryResult {
	return {
		status: 'deferred',
		reason: 'rate-limit',
		retryAt: iso(sendAt),
		attempts: progress.attempts,
		...lastStatusCodeOf(progress),
		message: `${progress.host} is rate limiting; the next request may go at ${iso(sendAt)}, beyond this execution's wait budget`,
	};
}

export function deferredForWaitBudget(progress: SendProgress, retryAt: number): DeliveryResult {
	return {
		status: 'deferred',
		reason: 'wait-budget',
		retryAt: iso(retryAt),
		attempts: progress.attempts,
		...lastStatusCodeOf(progress),
		message: `Attempt ${progress.attempts} to ${progress.host} ${describeFailure(progress.lastFailure)}; the next attempt is due at ${iso(retryAt)}, beyond this execution's wait budget`,
	};
}

export function requestNotMade(progress: SendProgress, durationMs: number, code: string | undefined): DeliveryResult {
	return {
		status: 'failed',
		reason: 'request-error',
		attempts: progress.attempts,
		durationMs,
		message: `The request to ${progress.host} could not be made (${code ?? 'unknown error'}); not retried`,
	};
}

export function sent(response: FullResponse, attempts: number, durationMs: number): DeliveryResult {
	return {
		status: 'sent',
		statusCode: response.statusCode,
		headers: publicHeaders(response.headers),
		body: parseBody(response),
		attempts,
		durationMs,
	};
}

/** A redirect or a client error: the host's answer is final and not retried. */
export function refused(
	progress: SendProgress,
	response: FullResponse,
	verdict: 'redirect' | 'permanent',
	durationMs: number,
): DeliveryResult {
	return {
		status: 'failed',
		reason: verdict === 'redirect' ? 'redirect' : 'client-error',
		statusCode: response.statusCode,
		headers: publicHeaders(response.headers),
		body: parseBody(response),
		attempts: progress.attempts,
		durationMs,
		message:
			verdict === 'redirect'
				? `${progress.host} answered HTTP ${response.statusCode} (a redirect), which is not followed and not retried`
				: `${progress.host} answered HTTP ${response.statusCode}, a client error that is not retried`,
	};
}

export function retriesExhausted(progress: SendProgress, durationMs: number): DeliveryResult {
	const { lastResponse, attempts } = progress;
	return {
		status: 'failed',
		reason: 'retries-exhausted',
		...(lastResponse
			? {
					statusCode: lastResponse.statusCode,
					headers: publicHeaders(lastResponse.headers),
					body: parseBody(lastResponse),
				}
			: {}),
		attempts,
		durationMs,
		message: `Gave up on ${progress.host} after ${attempts} attempts; the last one ${describeFailure(progress.lastFailure)}`,
	};
}

function describeFailure(lastFailure: string): string {
	return lastFailure.startsWith('HTTP') ? `answered ${lastFailure}` : lastFailure;
}

function lastStatusCodeOf(progress: SendProgress): { lastStatusCode?: number } {
	const lastStatusCode = progress.lastResponse?.statusCode;
	return lastStatusCode !== undefined ? { lastStatusCode } : {};
}

function publicHeaders(headers: Record<string, unknown>): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		const key = name.toLowerCase();
		if (WITHHELD_RESPONSE_HEADERS.has(key) || value === undefined || value === null) continue;
		result[key] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return result;
}

function parseBody(response: FullResponse): unknown {
	const { body } = response;
	if (typeof body !== 'string' || body.length === 0) return body;
	const contentType = normalizeHeaders(response.headers)['content-type'] ?? '';
	if (!/[/+]json\b/i.test(contentType)) return body;
	return jsonParse(body, { fallbackValue: body });
}

function iso(epochMs: number): string {
	return new Date(epochMs).toISOString();
}
