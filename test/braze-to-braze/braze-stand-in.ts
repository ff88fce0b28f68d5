/**
 * A loopback stand-in for Braze's `POST /users/track`, built on the harness's scripted server. It
 * behaves as Braze documents: Bearer key check (401), JSON content type (415), object limits (400
 * Max Input Length Exceeded), per-object validation reported as `errors[{type, input_array, index}]`
 * in a 201 `message: success` (or a 400 when nothing valid is left), rate-limit headers on every
 * non-429 answer, and scriptable 429 (with X-Ratelimit-Retry-After) and 5XX answers.
 */
import {
	startLoopbackServer,
	type RecordedRequest,
	type ScriptedResponse,
} from '../harness/loopback-server';
import { LoopbackStandIn } from './loopback-stand-in';
import { RateLimitWindow, UNMETERED_RATE_HEADERS, type RateHeaders, type RateLimit } from './rate-limit-window';

export type StandInLimit = 'total' | 'perArray';

export interface StandInOptions {
	apiKey: string;
	/** `total`: 75 objects per request (current); `perArray`: 75 per array (legacy). */
	limit?: StandInLimit;
	/** X-RateLimit-Limit, the window's starting budget and its length in seconds. */
	rateLimit?: RateLimit;
	/** Delay before every answer, in milliseconds. */
	delayMs?: number;
}

/** A request Braze accepted (201), with the body it queued. */
export interface AcceptedRequest {
	request: RecordedRequest;
	body: Record<string, unknown[]>;
}

const ARRAYS = ['attributes', 'events', 'purchases'] as const;
export const VALID_DATA_MESSAGE = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

export class BrazeStandIn extends LoopbackStandIn {
	readonly accepted: AcceptedRequest[] = [];

	/** Answers to give before normal processing, one per request, in order (429, 5XX, ...). */
	readonly queued: ScriptedResponse[] = [];

	private readonly rateWindow?: RateLimitWindow;

	constructor(private readonly options: StandInOptions) {
		super();
		if (options.rateLimit) this.rateWindow = new RateLimitWindow(options.rateLimit, 'firstRequest');
	}

	static async start(options: StandInOptions): Promise<BrazeStandIn> {
		const standIn = new BrazeStandIn(options);
		standIn.server = await startLoopbackServer((request) => standIn.answer(request), { ttlMs: 60_000 });
		return standIn;
	}

	/** The next requests get these answers (whatever they carry), then normal processing resumes. */
	queue(...responses: ScriptedResponse[]): void {
		this.queued.push(...responses);
	}

	private rateHeaders(): RateHeaders {
		return this.rateWindow?.take().headers ?? { ...UNMETERED_RATE_HEADERS };
	}

	private withDelay(response: ScriptedResponse): ScriptedResponse {
		return this.options.delayMs ? { delayMs: this.options.delayMs, ...response } : response;
	}

	answer(request: RecordedRequest): ScriptedResponse {
		const queued = this.queued.shift();
		if (queued) return this.withDelay(queued);
		return this.withDelay(this.process(request));
	}

	private process(request: RecordedRequest): ScriptedResponse {
		const json = (status: number, body: unknown): ScriptedResponse => ({
			status,
			headers: this.rateHeaders(),
			body,
		});
		if (request.method !== 'POST' || request.url.split('?')[0] !== '/users/track') {
			return json(404, { message: 'Invalid URL' });
		}
		const authorization = String(request.headers.authorization ?? '');
		if (authorization !== `Bearer ${this.options.apiKey}`) {
			const given = authorization.replace(/^Bearer\s+/i, '');
			return json(401, { message: `Invalid API key: ${given}` });
		}
		if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
			return json(415, { message: 'Unsupported Media Type' });
		}
		const body = request.json;
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			return json(400, { message: 'Received unparseable JSON' });
		}
		const arrays = body as Record<string, unknown>;
		const counts = ARRAYS.map((name) => (Array.isArray(arrays[name]) ? (arrays[name] as unknown[]).length : 0));
		const total = counts.reduce((a, b) => a + b, 0);
		const tooMany = (this.options.limit ?? 'total') === 'total' ? total > 75 : counts.some((count) => count > 75);
		if (tooMany) return json(400, { message: 'Max Input Length Exceeded' });
		if (total === 0) return json(400, { message: VALID_DATA_MESSAGE });

		const errors: Array<{ type: string; input_array: string; index: number }> = [];
		const processed: Record<string, unknown[]> = {};
		for (const name of ARRAYS) {
			const list = Array.isArray(arrays[name]) ? (arrays[name] as unknown[]) : [];
			list.forEach((object, index) => {
				const problem = validate(name, object);
				if (problem) errors.push({ type: problem, input_array: name, index });
				else (processed[name] ??= []).push(object);
			});
		}
		const valid = Object.values(processed).reduce((sum, list) => sum + list.length, 0);
		if (valid === 0) return json(400, { message: VALID_DATA_MESSAGE, errors });
		this.accepted.push({ request, body: processed });
		const answer: Record<string, unknown> = { message: 'success' };
		if (processed.attributes) answer.attributes_processed = processed.attributes.length;
		if (processed.events) answer.events_processed = processed.events.length;
		if (processed.purchases) answer.purchases_processed = processed.purchases.length;
		if (errors.length > 0) answer.errors = errors;
		return json(201, answer);
	}
}

function validate(array: string, value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return `The ${array} object is not an object`;
	const object = value as Record<string, unknown>;
	const primaries = ['external_id', 'user_alias', 'braze_id'].filter((key) => object[key] !== undefined);
	if (primaries.length > 1) return `Only one of external_id, user_alias or braze_id may be provided`;
	if (primaries.length === 0 && object.email === undefined && object.phone === undefined) {
		return 'Missing external_id, user_alias, braze_id, email or phone';
	}
	if (object.external_id !== undefined && (typeof object.external_id !== 'string' || object.external_id === '')) {
		return "The value provided for the 'external_id' field is not valid.";
	}
	if (object.email !== undefined && (typeof object.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(object.email))) {
		return "The value provided for the 'email' field is not a valid email.";
	}
	if (array === 'events') {
		if (typeof object.name !== 'string' || object.name === '') return "Event is missing the 'name' field.";
		if (typeof object.time !== 'string' || Number.isNaN(Date.parse(object.time))) return "Event is missing a valid 'time' field.";
	}
	if (array === 'purchases') {
		for (const field of ['product_id', 'currency', 'price', 'time']) {
			if (object[field] === undefined) return `Purchase is missing the '${field}' field.`;
		}
	}
	return undefined;
}
