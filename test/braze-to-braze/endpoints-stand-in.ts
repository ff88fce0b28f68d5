/**
 * A loopback stand-in for Braze's messaging and user-management endpoints (and a plain /users/track),
 * enforcing what Braze documents: the Bearer key and its permissions (401 unknown key, 403 missing
 * permission), each endpoint's body schema and its 50-entry cap (400 with Braze-style messages),
 * rate-limit headers on every answer and a 429 once the window is used up. It records, per user, the
 * order in which requests naming them arrived, and how many requests were in flight at once.
 */
import { startLoopbackServer, type RecordedRequest, type ScriptedResponse } from '../harness/loopback-server';
import { LoopbackStandIn } from './loopback-stand-in';
import { RateLimitWindow, type RateLimit } from './rate-limit-window';

type Json = Record<string, unknown>;

export interface EndpointsStandInOptions {
	/** API key → its permissions (Braze's names: canvas.trigger.send, users.delete, ...). */
	keys: Record<string, string[]>;
	rateLimit?: RateLimit;
	/** Delay before each answer: a number, or a function of the request (for jitter). */
	delayMs?: number | ((request: RecordedRequest) => number);
	/** A request whose body this returns a message for is refused with 400 and that message. */
	refuse?: (path: string, body: Json) => string | undefined;
}

export const PERMISSION_OF: Record<string, string> = {
	'/users/track': 'users.track',
	'/canvas/trigger/send': 'canvas.trigger.send',
	'/campaigns/trigger/send': 'campaigns.trigger.send',
	'/users/identify': 'users.identify',
	'/users/alias/new': 'users.alias.new',
	'/users/merge': 'users.merge',
	'/users/delete': 'users.delete',
	'/v2/subscription/status/set': 'subscription.status.set',
};

export interface AcceptedCall {
	index: number;
	path: string;
	body: Json;
	dispatchId?: string;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isAlias = (value: unknown) => isObject(value) && isText(value.alias_name) && isText(value.alias_label);

class Refusal extends Error {}
function need(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Refusal(message);
}

function list(body: Json, key: string): unknown[] {
	const value = body[key];
	need(Array.isArray(value) && value.length > 0, `'${key}' must be a non-empty array`);
	need(value.length <= 50, `'${key}' has ${value.length} entries, more than the limit of 50`);
	return value;
}

function onlyKeys(object: Json, allowed: string[], where: string): void {
	const extra = Object.keys(object).filter((key) => !allowed.includes(key));
	need(extra.length === 0, `${where}: unknown field(s) ${extra.join(', ')}`);
}

const IDENTIFY_LISTS = ['aliases_to_identify', 'emails_to_identify', 'phone_numbers_to_identify'];
const PRIORITIZATION = ['identified', 'unidentified', 'most_recently_updated', 'least_recently_updated'];

/** The profile an identifier object names: a user alias, or an email or phone with its required prioritization. */
function checkProfile(value: Json, profile: 'user_alias' | 'email' | 'phone', where: string): string {
	if (profile === 'user_alias') {
		need(isAlias(value.user_alias), `${where}.user_alias needs alias_name and alias_label`);
		onlyKeys(value.user_alias as Json, ['alias_name', 'alias_label'], `${where}.user_alias`);
		const alias = value.user_alias as Json;
		return `user_alias:${String(alias.alias_name)}\u0000${String(alias.alias_label)}`;
	}
	const text = value[profile];
	need(isText(text), `${where}.${profile} is not valid`);
	need(profile === 'phone' ? /^\+[1-9]\d{6,14}$/.test(text) : /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text), `${where}.${profile} '${text}' is not valid`);
	const order = value.prioritization;
	need(Array.isArray(order) && order.length > 0, `${where}: prioritization is required with ${profile}`);
	need(order.every((rule) => PRIORITIZATION.includes(rule as string)) && new Set(order).size === order.length, `${where}.prioritization is not valid`);
	return `${profile}:${text}`;
}

/** One side of a merge: exactly one of external_id, user_alias, email or phone (the last two with prioritization). */
function mergeIdentifier(value: Json, where: string): string {
	const kinds = (['external_id', 'user_alias', 'email', 'phone'] as const).filter((key) => value[key] !== undefined);
	need(kinds.length === 1, `${where} needs exactly one of external_id, user_alias, email or phone`);
	const [kind] = kinds;
	onlyKeys(value, [kind, ...(kind === 'email' || kind === 'phone' ? ['prioritization'] : [])], where);
	if (kind !== 'external_id') return checkProfile(value, kind, where);
	need(isText(value.external_id), `${where}.external_id is not valid`);
	return `external_id:${String(value.external_id)}`;
}

/** Validates a body against the endpoint's documented schema; returns the users it names, each with its entry. */
function validate(path: string, body: Json): Array<[string, unknown]> {
	switch (path) {
		case '/users/track': {
			const objects = ['attributes', 'events', 'purchases'].flatMap((key) => (Array.isArray(body[key]) ? (body[key] as unknown[]) : []));
			need(objects.length > 0 && objects.length <= 75, 'Max Input Length Exceeded');
			return objects.map((object) => [`external_id:${String((object as Json).external_id)}`, object]);
		}
		case '/canvas/trigger/send':
		case '/campaigns/trigger/send': {
			const idKey = path === '/canvas/trigger/send' ? 'canvas_id' : 'campaign_id';
			const propertiesKeys = path === '/canvas/trigger/send' ? ['context', 'canvas_entry_properties'] : ['trigger_properties'];
			onlyKeys(body, [idKey, 'recipients', 'broadcast', 'audience', 'send_id', ...propertiesKeys], 'request');
			need(isText(body[idKey]), `'${idKey}' is required`);
			const modes = [body.recipients !== undefined, body.broadcast === true, body.audience !== undefined].filter(Boolean).length;
			need(modes === 1, "Exactly one of 'recipients', 'broadcast: true' or 'audience' must be given");
			if (body.recipients === undefined) return [];
			return list(body, 'recipients').map((value, index) => {
				need(isObject(value), `recipients[${index}] is not an object`);
				onlyKeys(value, ['external_user_id', 'user_alias', 'attributes', 'send_to_existing_only', ...propertiesKeys], `recipients[${index}]`);
				const hasId = value.external_user_id !== undefined;
				need(hasId !== (value.user_alias !== undefined), `recipients[${index}] needs exactly one of external_user_id or user_alias`);
				need(!hasId || isText(value.external_user_id), `recipients[${index}].external_user_id is not valid`);
				need(hasId || isAlias(value.user_alias), `recipients[${index}].user_alias needs alias_name and alias_label`);
				need(hasId || value.send_to_existing_only === undefined, `recipients[${index}]: send_to_existing_only can't be used with user aliases`);
				need(value.send_to_existing_only !== false || isObject(value.attributes), `recipients[${index}]: send_to_existing_only false needs attributes`);
				for (const key of propertiesKeys) {
					if (value[key] === undefined) continue;
					need(isObject(value[key]), `recipients[${index}].${key} must be an object`);
					need(JSON.stringify(value[key]).length <= 50 * 1024, `recipients[${index}].${key} is larger than 50 KB`);
				}
				const alias = value.user_alias as Json | undefined;
				return [hasId ? `external_id:${String(value.external_user_id)}` : `user_alias:${String(alias?.alias_name)}\u0000${String(alias?.alias_label)}`, value];
			});
		}
		case '/users/identify': {
			onlyKeys(body, [...IDENTIFY_LISTS, 'merge_behavior'], 'request');
			need(body.merge_behavior === undefined || body.merge_behavior === 'none' || body.merge_behavior === 'merge', "'merge_behavior' must be 'none' or 'merge'");
			const present = IDENTIFY_LISTS.filter((key) => body[key] !== undefined);
			need(present.length > 0, `One of ${IDENTIFY_LISTS.join(', ')} is required`);
			const total = present.reduce((sum, key) => sum + (Array.isArray(body[key]) ? (body[key] as unknown[]).length : 0), 0);
			need(total <= 50, `The request has ${total} users to identify, more than the limit of 50`);
			return present.flatMap((key) =>
				list(body, key).map((value, index): [string, unknown] => {
					const where = `${key}[${index}]`;
					need(isObject(value) && isText(value.external_id), `${where} needs external_id`);
					const profile = key === 'aliases_to_identify' ? 'user_alias' : key === 'emails_to_identify' ? 'email' : 'phone';
					onlyKeys(value, ['external_id', profile, ...(profile === 'user_alias' ? [] : ['prioritization'])], where);
					need(value[profile] !== undefined, `${where} needs ${profile}`);
					checkProfile(value, profile, where);
					return [`external_id:${String(value.external_id)}`, value];
				}),
			);
		}
		case '/users/alias/new':
			onlyKeys(body, ['user_aliases'], 'request');
			return list(body, 'user_aliases').map((value, index) => {
				need(isObject(value) && isText(value.alias_name) && isText(value.alias_label), `user_aliases[${index}] needs alias_name and alias_label`);
				need(value.external_id === undefined || isText(value.external_id), `user_aliases[${index}].external_id is not valid`);
				return [`user_alias:${String(value.alias_name)}\u0000${String(value.alias_label)}`, value];
			});
		case '/users/merge':
			onlyKeys(body, ['merge_updates'], 'request');
			return list(body, 'merge_updates').flatMap((value, index) => {
				need(isObject(value) && isObject(value.identifier_to_merge) && isObject(value.identifier_to_keep), `merge_updates[${index}] needs identifier_to_merge and identifier_to_keep`);
				onlyKeys(value, ['identifier_to_merge', 'identifier_to_keep'], `merge_updates[${index}]`);
				return [
					[mergeIdentifier(value.identifier_to_merge, `merge_updates[${index}].identifier_to_merge`), value],
					[mergeIdentifier(value.identifier_to_keep, `merge_updates[${index}].identifier_to_keep`), value],
				] as Array<[string, unknown]>;
			});
		case '/users/delete': {
			const types = ['external_ids', 'user_aliases', 'braze_ids', 'email_addresses', 'phone_numbers'].filter((key) => body[key] !== undefined);
			need(types.length === 1, 'Exactly one identifier type per request');
			onlyKeys(body, types, 'request');
			return list(body, types[0]).map((value) => [`${types[0]}:${JSON.stringify(value)}`, value]);
		}
		case '/v2/subscription/status/set': {
			onlyKeys(body, ['subscription_groups'], 'request');
			const groups = body.subscription_groups;
			need(Array.isArray(groups) && groups.length > 0, "'subscription_groups' must be a non-empty array");
			return groups.flatMap((group, index) => {
				need(isObject(group) && isText(group.subscription_group_id), `subscription_groups[${index}] needs subscription_group_id`);
				need(group.subscription_state === 'subscribed' || group.subscription_state === 'unsubscribed', `subscription_groups[${index}].subscription_state is not valid`);
				const kinds = ['external_ids', 'emails', 'phones'].filter((key) => group[key] !== undefined);
				need(kinds.length === 1, `subscription_groups[${index}] needs exactly one of external_ids, emails, phones`);
				return list(group, kinds[0]).map((value): [string, unknown] => [`${kinds[0]}:${String(value)}`, value]);
			});
		}
		default:
			throw new Refusal('Invalid URL');
	}
}

export class BrazeEndpointsStandIn extends LoopbackStandIn {
	readonly accepted: AcceptedCall[] = [];
	/** Per user, the entries naming them (objects, recipients, ...), in the order Braze processed them. */
	readonly entriesPerUser = new Map<string, unknown[]>();
	/** Answers given with status 429 (the window was used up). */
	tooManyRequests = 0;
	inFlight = 0;
	maxInFlight = 0;
	private readonly rateWindow: RateLimitWindow;

	constructor(private readonly options: EndpointsStandInOptions) {
		super();
		this.rateWindow = new RateLimitWindow(options.rateLimit ?? { limit: 1_000_000, windowSeconds: 3 }, 'clock');
	}

	static async start(options: EndpointsStandInOptions): Promise<BrazeEndpointsStandIn> {
		const standIn = new BrazeEndpointsStandIn(options);
		standIn.server = await startLoopbackServer(async (request) => await standIn.answer(request), { ttlMs: 240_000 });
		return standIn;
	}

	private async answer(request: RecordedRequest): Promise<ScriptedResponse> {
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		const delay = typeof this.options.delayMs === 'function' ? this.options.delayMs(request) : (this.options.delayMs ?? 0);
		// The answer is decided after the delay, so the per-user order is the order of processing.
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		try {
			return this.process(request);
		} finally {
			this.inFlight--;
		}
	}

	private process(request: RecordedRequest): ScriptedResponse {
		const { headers, exhausted } = this.rateWindow.take();
		const json = (status: number, body: unknown): ScriptedResponse => ({ status, headers, body });
		const path = request.url.split('?')[0];
		if (exhausted) {
			this.tooManyRequests++;
			return json(429, { message: 'Rate limit exceeded' });
		}
		if (request.method !== 'POST' || !PERMISSION_OF[path]) return json(404, { message: 'Invalid URL' });
		const key = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
		const permissions = this.options.keys[key];
		if (!permissions) return json(401, { message: 'Invalid API key' });
		if (!permissions.includes(PERMISSION_OF[path])) {
			return json(403, { message: 'This API key does not have permission to access this endpoint' });
		}
		if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
			return json(415, { message: 'Unsupported Media Type' });
		}
		if (!isObject(request.json)) return json(400, { message: 'Received unparseable JSON' });
		const body = request.json;
		let users: Array<[string, unknown]>;
		try {
			users = validate(path, body);
		} catch (error) {
			if (error instanceof Refusal) return json(400, { message: error.message });
			throw error;
		}
		const refused = this.options.refuse?.(path, body);
		if (refused) return json(400, { message: refused });
		const call: AcceptedCall = { index: request.index, path, body };
		for (const [user, entry] of users) {
			const entries = this.entriesPerUser.get(user) ?? [];
			entries.push(entry);
			this.entriesPerUser.set(user, entries);
		}
		if (path.includes('/trigger/send')) {
			call.dispatchId = `dispatch-${request.index}`;
			this.accepted.push(call);
			return json(201, { dispatch_id: call.dispatchId, message: 'success' });
		}
		this.accepted.push(call);
		if (path === '/users/delete') return json(202, { deleted: users.length, message: 'success' });
		return json(201, { message: 'success' });
	}
}
