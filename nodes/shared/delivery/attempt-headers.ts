/**
 * Headers computed afresh for every attempt of a send (a signature over a fresh timestamp), kept
 * apart from the request the template rendered.
 */
import type { DeliveryRequest } from './attempt';

export interface PerAttemptHeaders {
	/** Called just before each attempt with the body as rendered (sent as its UTF-8 bytes) and the time. */
	headersForAttempt?: (body: DeliveryRequest['body'], nowMs: number) => Record<string, string>;
	/** Retries for this send instead of the session's (Liquid's connected_content: 0 unless `:retry`). */
	maxRetries?: number;
}

export type SendRequest = DeliveryRequest & PerAttemptHeaders;

/** The request one attempt sends: the rendered headers, then this attempt's own, which win in any case. */
export function requestForAttempt(request: SendRequest, nowMs: number): DeliveryRequest {
	if (!request.headersForAttempt) return request;
	const own = request.headersForAttempt(request.body, nowMs);
	const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
	const rendered = Object.entries(request.headers).filter(([name]) => !ownNames.has(name.toLowerCase()));
	return { ...request, headers: { ...Object.fromEntries(rendered), ...own } };
}
