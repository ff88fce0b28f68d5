/**
 * The Reuse Connections transport: the global fetch, whose default dispatcher keeps connections
 * alive and pools them per origin. It consults n8n's egress filter (SSRF protection) before every
 * request and every redirect hop, follows redirects itself only when allowed, and bounds the whole
 * attempt, body included, by the timeout and the execution's cancel signal.
 */
import { sleep, type IHttpRequestOptions, type NodeEgressFilter } from 'n8n-workflow';

import type { FullResponse, WireTransport } from './types';
import { redirectHop, toFetchRequest, toFullResponse, type RedirectHop } from './fetch-wire';

/**
 * The reason the attempt's timer is stopped with: one shared Error, because abort() without a reason
 * builds a DOMException with a stack trace, a measurable cost at thousands of requests per second.
 */
const ATTEMPT_ENDED = new Error('The attempt ended before its timeout');

/** follow-redirects' (axios's) default limit, which n8n's helper keeps. */
const MAX_REDIRECTS = 21;

/** Adds a credential's headers to a request's; undefined when no credential applies. */
export type ApplyCredential = (headers: Record<string, string>) => Record<string, string>;

export interface FetchTransportOptions {
	egress: NodeEgressFilter;
	applyCredential?: ApplyCredential;
	/** Lower-case names of the headers the credential sets, withheld from a redirect to another host. */
	credentialHeaderNames?: string[];
}

/** An error shaped as classifyRequestError reads n8n's: a code, and the original error as cause. */
function codedError(message: string, code: string | undefined, cause?: unknown): Error {
	const error = new Error(message, cause === undefined ? undefined : { cause });
	return code === undefined ? error : Object.assign(error, { code });
}

export function fetchTransport(transportOptions: FetchTransportOptions): WireTransport {
	return {
		name: 'fetch',
		send: async (options) => await sendWithFetch(options, transportOptions),
	};
}

async function sendWithFetch(options: IHttpRequestOptions, transport: FetchTransportOptions): Promise<FullResponse> {
	const parts = toFetchRequest(options);
	const headers = transport.applyCredential ? transport.applyCredential(parts.headers) : parts.headers;
	// n8n types it as axios's GenericAbortSignal; attempt.ts passes the execution's AbortSignal.
	const deadline = attemptDeadline(options.abortSignal as AbortSignal | undefined, options.timeout);
	let hop: RedirectHop = { url: options.url, method: parts.method, headers, ...(parts.body ? { body: parts.body } : {}) };
	try {
		for (let redirects = 0; ; redirects++) {
			await checkEgress(transport.egress, hop.url, redirects > 0);
			const response = await fetch(hop.url, {
				method: hop.method,
				headers: hop.headers,
				...(hop.body ? { body: hop.body } : {}),
				redirect: 'manual',
				signal: deadline.signal,
			});
			// Read in full: a response left unread keeps its connection from going back to the pool.
			const bytes = Buffer.from(await response.arrayBuffer());
			const next = options.disableFollowRedirect
				? undefined
				: redirectHop(hop, response.status, response.headers.get('location'), transport.credentialHeaderNames);
			// fetch hands the connection back to its pool a turn of the event loop after the body
			// ends; without this wait the slot's next request, or the redirect's next hop, opens a
			// second connection (20 for 10).
			await sleep(0);
			if (!next) return toFullResponse(response.status, response.headers, bytes);
			if (redirects + 1 > MAX_REDIRECTS) throw codedError('Maximum number of redirects exceeded', 'ERR_FR_TOO_MANY_REDIRECTS');
			hop = next;
		}
	} catch (error) {
		if (options.abortSignal?.aborted) throw codedError('The request was cancelled', 'ABORT_ERR', error);
		if (deadline.timedOut()) throw codedError(`timeout of ${options.timeout}ms exceeded`, 'ECONNABORTED');
		// fetch says only "fetch failed"; the network code (ECONNRESET, a certificate error...) is in the cause.
		throw codedError('The request failed', undefined, error);
	} finally {
		deadline.release();
	}
}

/**
 * One signal for the whole attempt (redirects and body included): the execution's cancellation or
 * the timeout, whichever comes first. Both are released when the attempt ends, so 100,000 items
 * leave no listener on the execution's signal and no pending timer behind.
 */
function attemptDeadline(cancel: AbortSignal | undefined, timeoutMs: number | undefined) {
	const controller = new AbortController();
	const timer = new AbortController();
	let timedOut = false;
	const onCancel = () => controller.abort(cancel?.reason);
	if (cancel?.aborted) onCancel();
	else cancel?.addEventListener('abort', onCancel, { once: true });
	if (typeof timeoutMs === 'number' && timeoutMs > 0) {
		sleep(timeoutMs, timer.signal).then(
			() => {
				timedOut = true;
				// Not an AbortError: that name reads as the execution's cancellation.
				controller.abort(codedError(`timeout of ${timeoutMs}ms exceeded`, 'ECONNABORTED'));
			},
			() => {},
		);
	}
	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		release: () => {
			timer.abort(ATTEMPT_ENDED);
			cancel?.removeEventListener('abort', onCancel);
			// fetch registers every request that has a signal with a FinalizationRegistry, which keeps the
			// signal and its listener alive until a full GC (about 1 KB per request, 20 MB at 20,000
			// requests, which V8 then grows the heap by a multiple of). Aborting the signal once the
			// attempt is over unregisters them at once. The response is already read in full and its
			// connection back in the pool: fetch ignores an abort of a completed request.
			if (!controller.signal.aborted) controller.abort(ATTEMPT_ENDED);
		},
	};
}

/**
 * The instance's egress policy, as n8n's helper applies it before connecting: a refused URL is a
 * request that cannot succeed by repeating it. The resolved address is not pinned for the
 * connection (fetch takes no DNS lookup of ours), which the option's description says.
 */
async function checkEgress(egress: NodeEgressFilter, url: string, isRedirect: boolean): Promise<void> {
	try {
		if (isRedirect) egress.validateRedirectSync(url);
		const verdict = (await egress.validateUrl(url)) as { ok: boolean; error?: unknown };
		if (!verdict.ok) throw verdict.error ?? new Error('Blocked by the instance egress policy');
	} catch (error) {
		throw codedError('The request was refused by n8n\'s outbound (SSRF) protection', 'EGRESS_BLOCKED', error);
	}
}
