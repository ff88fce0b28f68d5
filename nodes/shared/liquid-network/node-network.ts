/**
 * connected_content's fetches for one node run: through the delivery core (n8n's request helpers,
 * the host cooldown and pacing, no redirects), within the node's Allowed Hosts and ports, with
 * Braze's timeout and 1 MB cap, named credentials applied, answers cached (response-cache.ts), and
 * every call logged per item for the dry run with its auth redacted.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { DeliveryResult, DeliverySession } from '../delivery';
import type { ConnectedContentAnswer, ConnectedContentRequest, LiquidNetwork } from '../liquid';
import { checkPort, credentialHeaders, parseCallUrl, type NamedCredential } from './named-credentials';
import type { ConnectedContentSettings } from './parameters';
import { sharedResponseCache, type ResponseCache } from './response-cache';

export const MAX_ANSWER_BYTES = 1024 * 1024;
/** A `:retry` call's retries (Braze: up to 5), the first of them in the item's second render. */
export const RETRIES = 5;
const LOGGED_BODY_CHARS = 2_000;

export interface CallLog {
	method: string;
	url: string;
	auth?: string;
	statusCode?: number;
	fromCache?: boolean;
	answer?: unknown;
	failure?: string;
}

export interface NodeNetworkOptions {
	settings: ConnectedContentSettings;
	/** Whether a URL's host may be called (the node's Allowed Hosts); throws a clear error when not. */
	checkHost: (url: URL) => void;
	credentials: () => Promise<Map<string, NamedCredential> | undefined>;
	catalogItems: (catalog: string, ids: string[]) => Promise<unknown[]>;
	dryRun: boolean;
	cache?: ResponseCache;
	random?: () => number;
}

export class NodeNetwork {
	private readonly logs = new Map<number, CallLog[]>();
	private readonly cache: ResponseCache;
	private readonly cacheScope: string;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly session: DeliverySession,
		private readonly options: NodeNetworkOptions,
	) {
		this.cache = options.cache ?? sharedResponseCache();
		// Braze keys its cache per workspace; here per workflow and named-credential set, so one
		// workflow's authenticated answers never serve another's.
		const credential = ctx.getNode().credentials?.brazeConnectedContentApi?.id ?? '';
		this.cacheScope = `${ctx.getWorkflow().id ?? ctx.getExecutionId()}\u0000${credential}\u0000`;
	}

	forItem(itemIndex: number): LiquidNetwork {
		return {
			connectedContent: async (request, { retrying }) => await this.connectedContent(itemIndex, request, retrying),
			catalogItems: async (catalog, ids) => await this.options.catalogItems(catalog, ids),
		};
	}

	/** The calls an item's Liquid made, for its dry-run output. */
	callsOf(itemIndex: number): CallLog[] | undefined {
		return this.logs.get(itemIndex);
	}

	private async connectedContent(itemIndex: number, request: ConnectedContentRequest, retrying: boolean): Promise<ConnectedContentAnswer> {
		const url = this.checkUrl(request.url);
		const log: CallLog = { method: request.method, url: request.url, ...(request.auth ? { auth: `${request.auth.name} (redacted)` } : {}) };
		if (this.options.dryRun) {
			const calls = this.logs.get(itemIndex) ?? [];
			if (calls.length < 20) calls.push(log);
			this.logs.set(itemIndex, calls);
		}
		if (this.options.dryRun && request.method === 'POST' && !this.options.settings.dryRunPost) {
			log.failure = 'not called: POST calls are made in a dry run only with Perform POST Calls in Dry Run';
			return { kind: 'failed', retriable: false, host: url.host, lastAnswer: log.failure };
		}
		const headers = { ...request.headers, ...(request.auth ? credentialHeaders(await this.options.credentials(), request.auth, url) : {}) };
		const { answer, cached } = await this.cache.answer(this.cacheScope + request.cacheKey, request.cacheSeconds, async () => {
			if (retrying) await sleep(Math.ceil((this.options.random ?? Math.random)() * 2_000), this.ctx.getExecutionCancelSignal());
			const result = await this.session.send({
				url: request.url,
				method: request.method,
				headers,
				...(request.body !== undefined ? { body: request.body } : {}),
				maxRetries: retrying ? RETRIES - 1 : 0,
			});
			return toAnswer(result, url.host);
		});
		if (cached) log.fromCache = true;
		if (answer.kind === 'failed') log.failure = answer.lastAnswer;
		else {
			log.statusCode = answer.statusCode;
			log.answer = displayed(answer);
		}
		return answer;
	}

	private checkUrl(text: string): URL {
		const url = parseCallUrl(text);
		checkPort(url, this.options.settings.allowedPorts);
		this.options.checkHost(url);
		return url;
	}
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

function headerOf(headers: Record<string, string> | undefined, name: string): string {
	return headers?.[name] ?? '';
}

/** What the delivery core's result means for connected_content (Braze's reference table). */
export function toAnswer(result: DeliveryResult, host: string): ConnectedContentAnswer {
	if (result.status === 'deferred') return { kind: 'failed', retriable: true, host, lastAnswer: result.message };
	if (result.status === 'sent' || (result.status === 'failed' && result.reason === 'client-error')) {
		const statusCode = result.statusCode as number;
		const body = bodyText(result.body);
		const declared = Number(headerOf(result.headers, 'content-length'));
		if (declared > MAX_ANSWER_BYTES || Buffer.byteLength(body, 'utf8') > MAX_ANSWER_BYTES) {
			return { kind: 'failed', retriable: false, host, lastAnswer: `HTTP ${statusCode} with a body over the 1 MB limit (not inserted)` };
		}
		return { kind: 'response', statusCode, body, contentType: headerOf(result.headers, 'content-type') };
	}
	if (result.reason === 'redirect') {
		return { kind: 'failed', retriable: false, host, lastAnswer: `HTTP ${result.statusCode} (a redirect, which connected_content does not follow)` };
	}
	if (result.reason === 'retries-exhausted') {
		const last = result.statusCode !== undefined ? `HTTP ${result.statusCode}` : result.message.replace(/^.*the last one /, '');
		return { kind: 'failed', retriable: true, host, lastAnswer: last };
	}
	return { kind: 'failed', retriable: false, host, lastAnswer: result.message };
}

function displayed(answer: Extract<ConnectedContentAnswer, { kind: 'response' }>): unknown {
	try {
		if (/^\s*[[{]/.test(answer.body) && answer.body.length <= 64 * 1024) return JSON.parse(answer.body) as unknown;
	} catch {
		// shown as text
	}
	return answer.body.length > LOGGED_BODY_CHARS ? `${answer.body.slice(0, LOGGED_BODY_CHARS)}… (${answer.body.length} characters)` : answer.body;
}
