/**
 * The n8n-facing part of delivery: sends one request with Braze's retry rules, consulting the host
 * cooldown and the rate-limit pacer before every attempt. Every wait is `sleep` on the execution's
 * cancel signal, so cancelling the execution stops it.
 */
import {
	jsonParse,
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { retryDelayMs } from './backoff';
import { classifyRequestError, classifyStatus, type ErrorKind } from './classify';
import { CooldownStore } from './cooldown-store';
import { countsAsHostFailure } from './host-cooldown';
import { DEFAULT_PACER_SETTINGS, observeResponse, reserveSlot, type PacerSettings } from './pacer';
import { hostStateStore, type HostStateStore } from './process-state';
import { normalizeHeaders, parseRateLimitHeaders, retryHintMs, type RateLimitHints } from './rate-limit-headers';
import { RequestSlots } from './request-slots';
import type { DeliverySettings } from './settings';

export { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from './settings';
export { mapWithConcurrency } from './concurrency';

export interface DeliveryRequest {
	url: string;
	method: IHttpRequestMethods;
	headers: Record<string, string>;
	body?: string | object;
	json?: boolean;
	/** When set, the request goes through httpRequestWithAuthentication with this credential type. */
	credentialType?: string;
}

export type DeliveryResult =
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
	  };

export interface DeliverySessionOptions {
	random?: () => number;
	now?: () => number;
	/** Requests on the wire at once; items sleeping through a backoff do not count. Default: no limit. */
	maxConcurrentRequests?: number;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

type AttemptOutcome =
	| { kind: 'response'; response: FullResponse }
	| { kind: 'error'; error: { kind: Exclude<ErrorKind, 'cancelled'>; code?: string } };

/** Response headers that can carry session secrets; never copied into results. */
const WITHHELD_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2', 'authorization', 'proxy-authorization', 'cookie']);

export const MANUAL_MODE_HINT =
	'Host cooldown state from manual executions is not saved with the workflow: n8n saves workflow static data only for production executions. It lasts in this n8n process until a restart.';

export class DeliverySession {
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly startedAt: number;
	private readonly workflowId: string | undefined;
	private readonly hostState: HostStateStore = hostStateStore();
	private readonly store: CooldownStore | undefined;
	private readonly pacerSettings: PacerSettings;
	private readonly slots: RequestSlots | undefined;
	private stopped = false;
	private finished = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: DeliverySettings,
		options: DeliverySessionOptions = {},
	) {
		this.now = options.now ?? (() => Date.now());
		this.random = options.random ?? Math.random;
		this.startedAt = this.now();
		this.slots = options.maxConcurrentRequests ? new RequestSlots(options.maxConcurrentRequests) : undefined;
		this.workflowId = ctx.getWorkflow().id;
		this.pacerSettings = { ...DEFAULT_PACER_SETTINGS, maxWaitMs: settings.maxHintMs };
		this.store = settings.cooldown.enabled
			? new CooldownStore(ctx.getWorkflowStaticData('global'), this.workflowId, settings.cooldown, this.hostState)
			: undefined;
	}

	async send(request: DeliveryRequest): Promise<DeliveryResult> {
		const sendStartedAt = this.now();
		const host = hostOf(request.url);
		if (host === undefined) {
			return {
				status: 'failed',
				reason: 'request-error',
				attempts: 0,
				durationMs: 0,
				message: 'The URL is not a valid absolute http(s) URL',
			};
		}
		let attempts = 0;
		let lastStatusCode: number | undefined;
		let lastResponse: FullResponse | undefined;
		let lastFailure = '';

		for (;;) {
			if (this.stopped) return this.notSent(attempts, sendStartedAt);
			const blocked = this.store?.peek(host, this.now());
			if (blocked) return this.deferForCooldown(host, blocked.retryAt, attempts, lastStatusCode);

			const beforePacing = this.now();
			const slot = reserveSlot(this.hostState.pacer(this.workflowId, host, beforePacing), beforePacing, this.pacerSettings);
			if (slot.sendAt > beforePacing && slot.sendAt - this.startedAt > this.settings.waitBudgetMs) {
				return {
					status: 'deferred',
					reason: 'rate-limit',
					retryAt: iso(slot.sendAt),
					attempts,
					...(lastStatusCode !== undefined ? { lastStatusCode } : {}),
					message: `${host} is rate limiting; the next request may go at ${iso(slot.sendAt)}, beyond this execution's wait budget`,
				};
			}
			this.hostState.setPacer(this.workflowId, host, slot.state);
			if (slot.sendAt > beforePacing) await this.wait(slot.sendAt - beforePacing);

			// The cooldown is consulted once a slot is free: the requests ahead may have tripped it.
			if (this.slots) await this.slots.acquire();
			if (this.stopped) {
				this.slots?.release();
				return this.notSent(attempts, sendStartedAt);
			}
			const admission = this.store?.admit(host, this.now()) ?? { kind: 'send', probe: false };
			if (admission.kind === 'defer') {
				this.slots?.release();
				return this.deferForCooldown(host, admission.retryAt, attempts, lastStatusCode);
			}
			attempts++;
			let outcome: AttemptOutcome;
			try {
				outcome = await this.attempt(request);
			} finally {
				this.slots?.release();
			}
			const answeredAt = this.now();
			let hintMs: number | undefined;

			if (outcome.kind === 'error') {
				const { kind } = outcome.error;
				if (kind === 'other') {
					if (admission.probe) this.store?.releaseProbe(host);
					return {
						status: 'failed',
						reason: 'request-error',
						attempts,
						durationMs: answeredAt - sendStartedAt,
						message: `The request to ${host} could not be made (${outcome.error.code ?? 'unknown error'}); not retried`,
					};
				}
				const failure = countsAsHostFailure({ transportFailure: kind }, this.settings.cooldown);
				this.store?.record(host, answeredAt, failure, admission.probe);
				lastFailure = `${kind === 'timeout' ? 'timed out' : 'connection failed'} (${outcome.error.code ?? 'no code'})`;
			} else {
				const { response } = outcome;
				lastResponse = response;
				lastStatusCode = response.statusCode;
				const hints = capHints(parseRateLimitHeaders(response.headers, answeredAt), this.settings.maxHintMs);
				hintMs = retryHintMs(hints, response.statusCode, this.settings.maxHintMs);
				const holdsHost = response.statusCode === 429 || response.statusCode === 503;
				const pacer = this.hostState.pacer(this.workflowId, host, answeredAt);
				this.hostState.setPacer(
					this.workflowId,
					host,
					observeResponse(pacer, answeredAt, hints, holdsHost ? hintMs : undefined),
				);
				const failure = countsAsHostFailure({ statusCode: response.statusCode }, this.settings.cooldown);
				this.store?.record(host, answeredAt, failure, admission.probe);

				const verdict = classifyStatus(response.statusCode);
				if (verdict === 'delivered') {
					return {
						status: 'sent',
						statusCode: response.statusCode,
						headers: publicHeaders(response.headers),
						body: parseBody(response),
						attempts,
						durationMs: answeredAt - sendStartedAt,
					};
				}
				if (verdict === 'redirect' || verdict === 'permanent') {
					return {
						status: 'failed',
						reason: verdict === 'redirect' ? 'redirect' : 'client-error',
						statusCode: response.statusCode,
						headers: publicHeaders(response.headers),
						body: parseBody(response),
						attempts,
						durationMs: answeredAt - sendStartedAt,
						message:
							verdict === 'redirect'
								? `${host} answered HTTP ${response.statusCode} (a redirect), which is not followed and not retried`
								: `${host} answered HTTP ${response.statusCode}, a client error that is not retried`,
					};
				}
				lastFailure = `HTTP ${response.statusCode}`;
			}

			if (attempts > this.settings.maxRetries) {
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
					durationMs: answeredAt - sendStartedAt,
					message: `Gave up on ${host} after ${attempts} attempts; the last one ${lastFailure.startsWith('HTTP') ? `answered ${lastFailure}` : lastFailure}`,
				};
			}

			const delay = retryDelayMs(attempts - 1, this.settings, this.random, hintMs);
			const retryAt = answeredAt + delay;
			if (retryAt - this.startedAt > this.settings.waitBudgetMs) {
				return {
					status: 'deferred',
					reason: 'wait-budget',
					retryAt: iso(retryAt),
					attempts,
					...(lastStatusCode !== undefined ? { lastStatusCode } : {}),
					message: `Attempt ${attempts} to ${host} ${lastFailure.startsWith('HTTP') ? `answered ${lastFailure}` : lastFailure}; the next attempt is due at ${iso(retryAt)}, beyond this execution's wait budget`,
				};
			}
			await this.wait(delay);
		}
	}

	/**
	 * Sends nothing more: attempts not yet on the wire end as failed 'stopped' results. For a node
	 * that stops the workflow at its first permanent failure.
	 */
	stop(): void {
		this.stopped = true;
	}

	private notSent(attempts: number, sendStartedAt: number): DeliveryResult {
		return {
			status: 'failed',
			reason: 'stopped',
			attempts,
			durationMs: this.now() - sendStartedAt,
			message: 'Not sent: the node stopped at an earlier failure',
		};
	}

	/**
	 * Writes the cooldown state back (static data and the process-wide copy) and, in a manual run,
	 * tells the user it will not be kept. Call once, after the last send, also when sends failed.
	 */
	finish(): void {
		if (this.finished) return;
		this.finished = true;
		if (!this.store) return;
		this.store.save(this.now());
		if (this.ctx.getMode() === 'manual') {
			this.ctx.addExecutionHints({ message: MANUAL_MODE_HINT, type: 'info', location: 'outputPane' });
		}
	}

	private deferForCooldown(
		host: string,
		retryAt: number,
		attempts: number,
		lastStatusCode: number | undefined,
	): DeliveryResult {
		return {
			status: 'deferred',
			reason: 'host-cooldown',
			retryAt: iso(retryAt),
			attempts,
			...(lastStatusCode !== undefined ? { lastStatusCode } : {}),
			message: `Requests to ${host} are paused until ${iso(retryAt)}: most recent requests to it failed`,
		};
	}

	private async wait(ms: number): Promise<void> {
		if (ms <= 0) return;
		await sleep(ms, this.ctx.getExecutionCancelSignal());
	}

	private async attempt(request: DeliveryRequest): Promise<AttemptOutcome> {
		const cancelSignal = this.ctx.getExecutionCancelSignal();
		// A fresh options object per attempt: authentication writes its headers into it.
		const options: IHttpRequestOptions = {
			url: request.url,
			method: request.method,
			headers: { ...request.headers },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: !this.settings.followRedirects,
			timeout: this.settings.timeoutMs,
			...(request.body !== undefined ? { body: bodyAsSent(request.body, request.headers) } : {}),
			...(request.json !== undefined ? { json: request.json } : {}),
			...(cancelSignal ? { abortSignal: cancelSignal } : {}),
		};
		try {
			const response = (
				request.credentialType
					? await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, request.credentialType, options)
					: await this.ctx.helpers.httpRequest(options)
			) as FullResponse;
			return { kind: 'response', response };
		} catch (error) {
			if (error instanceof NodeOperationError) {
				// n8n's own refusal (missing credentials and the like) applies to every item alike.
				throw new NodeOperationError(this.ctx.getNode(), error);
			}
			const classified = classifyRequestError(error);
			if (cancelSignal?.aborted || classified.kind === 'cancelled') {
				throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled while a request was in flight');
			}
			return { kind: 'error', error: { kind: classified.kind, code: classified.code } };
		}
	}
}

function hostOf(url: string): string | undefined {
	const match = /^https?:\/\/([^/?#]+)/i.exec(url.trim());
	if (!match) return undefined;
	// Userinfo never becomes part of the key, so a credential in the URL cannot reach static data.
	const authority = match[1].slice(match[1].lastIndexOf('@') + 1).toLowerCase();
	return authority.length > 0 ? authority : undefined;
}

/**
 * axios trims a string body that parses as JSON when the Content-Type is application/json; a Buffer
 * goes out byte for byte, so the host receives exactly what the template rendered.
 */
function bodyAsSent(body: string | object, headers: Record<string, string>): string | object {
	if (typeof body !== 'string') return body;
	const contentType = normalizeHeaders(headers)['content-type'] ?? '';
	return contentType.toLowerCase().includes('application/json') ? Buffer.from(body, 'utf8') : body;
}

function capHints(hints: RateLimitHints, maxHintMs: number): RateLimitHints {
	const cap = (value: number | undefined) => (value === undefined ? undefined : Math.min(value, Math.max(0, maxHintMs)));
	return { ...hints, retryAfterMs: cap(hints.retryAfterMs), resetAfterMs: cap(hints.resetAfterMs) };
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
