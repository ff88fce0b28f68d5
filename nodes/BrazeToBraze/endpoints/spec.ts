/**
 * The Braze REST endpoints beyond /users/track: where each lives, how many entries a request may
 * carry, the API key permission it needs, Braze's documented request budgets, and how a request body
 * is made from entries that agree on their request-level fields. Pure: no n8n, no I/O.
 */

export type EndpointOperation =
	| 'triggerCanvas'
	| 'triggerCampaign'
	| 'identifyUsers'
	| 'newUserAlias'
	| 'mergeUsers'
	| 'deleteUsers'
	| 'setSubscriptionStatus';

export const ENDPOINT_OPERATIONS: readonly EndpointOperation[] = [
	'triggerCanvas',
	'triggerCampaign',
	'identifyUsers',
	'newUserAlias',
	'mergeUsers',
	'deleteUsers',
	'setSubscriptionStatus',
];

export function isEndpointOperation(operation: string): operation is EndpointOperation {
	return (ENDPOINT_OPERATIONS as readonly string[]).includes(operation);
}

type Json = Record<string, unknown>;

/** Braze's documented budget of one request pool: at most `requests` per `windowMs`. */
export interface RequestBudget {
	/** Requests sharing the pool share the key (the user-management endpoints share one). */
	key: string;
	requests: number;
	windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export const TARGETED_MESSAGING_BUDGET: RequestBudget = { key: 'messaging-targeted', requests: 250_000, windowMs: HOUR };
export const BROADCAST_BUDGET: RequestBudget = { key: 'messaging-broadcast', requests: 250, windowMs: MINUTE };
/** Braze adds 10 per minute for each unique audience (same Canvas or campaign, same audience). */
export const PER_AUDIENCE_REQUESTS_PER_MINUTE = 10;
const USER_MANAGEMENT_BUDGET: RequestBudget = { key: 'user-management', requests: 20_000, windowMs: MINUTE };
const SUBSCRIPTION_BUDGET: RequestBudget = { key: 'subscription-status', requests: 5_000, windowMs: MINUTE };

export interface EndpointSpec {
	path: string;
	/** Shown in messages: "Trigger Canvas (/canvas/trigger/send)". */
	label: string;
	/** The Braze API key permission the endpoint needs. */
	permission: string;
	/** Entries one request may carry, all its arrays together. */
	maxEntries: number;
	/** Whether entries of different arrays share a request (Identify's aliases, emails and phones). */
	listsShareRequest?: boolean;
	budget: RequestBudget;
	/** The request body for entries that share `request` (their request-level fields), per array; none for a broadcast. */
	body(request: Json, lists: Record<string, unknown[]>): Json;
}

const listBody = (request: Json, lists: Record<string, unknown[]>): Json => ({ ...request, ...lists });

export const ENDPOINTS: Record<EndpointOperation, EndpointSpec> = {
	triggerCanvas: {
		path: '/canvas/trigger/send',
		label: 'Trigger Canvas (/canvas/trigger/send)',
		permission: 'canvas.trigger.send',
		maxEntries: 50,
		budget: TARGETED_MESSAGING_BUDGET,
		body: listBody,
	},
	triggerCampaign: {
		path: '/campaigns/trigger/send',
		label: 'Trigger Campaign (/campaigns/trigger/send)',
		permission: 'campaigns.trigger.send',
		maxEntries: 50,
		budget: TARGETED_MESSAGING_BUDGET,
		body: listBody,
	},
	identifyUsers: {
		path: '/users/identify',
		label: 'Identify Users (/users/identify)',
		permission: 'users.identify',
		// Braze documents 50 aliases per request and no cap for emails or phones: 50 in all is safe.
		maxEntries: 50,
		listsShareRequest: true,
		budget: USER_MANAGEMENT_BUDGET,
		body: listBody,
	},
	newUserAlias: {
		path: '/users/alias/new',
		label: 'New User Alias (/users/alias/new)',
		permission: 'users.alias.new',
		maxEntries: 50,
		budget: USER_MANAGEMENT_BUDGET,
		body: listBody,
	},
	mergeUsers: {
		path: '/users/merge',
		label: 'Merge Users (/users/merge)',
		permission: 'users.merge',
		maxEntries: 50,
		budget: USER_MANAGEMENT_BUDGET,
		body: listBody,
	},
	deleteUsers: {
		path: '/users/delete',
		label: 'Delete Users (/users/delete)',
		permission: 'users.delete',
		maxEntries: 50,
		budget: USER_MANAGEMENT_BUDGET,
		body: listBody,
	},
	setSubscriptionStatus: {
		path: '/v2/subscription/status/set',
		label: 'Set Subscription Status (/v2/subscription/status/set)',
		permission: 'subscription.status.set',
		maxEntries: 50,
		budget: SUBSCRIPTION_BUDGET,
		// v2 nests the identifiers inside one subscription group per request.
		body: (request, lists) => ({ subscription_groups: [{ ...request, ...lists }] }),
	},
};

/** What one item asks of an endpoint. */
export interface EndpointEntry {
	itemIndex: number;
	/** Request-level fields: entries share a request only when these agree. */
	request: Json;
	/** The array the entry joins (recipients, user_aliases, external_ids, ...); none for a broadcast. */
	listKey?: string;
	/** The array element; absent for a request of its own (a broadcast or audience send). */
	entry?: unknown;
	/** Who the entry concerns ("external_id:abc"): one user's calls keep their item order. */
	users: string[];
	/** Extra budgets this entry's request counts against (a broadcast's unique audience). */
	budgets?: RequestBudget[];
}

/** The key that says which user an identifier names, for ordering. */
export function userKey(type: string, value: unknown): string {
	if (type === 'user_alias' && typeof value === 'object' && value !== null) {
		const alias = value as Json;
		return `user_alias:${String(alias.alias_name)}\u0000${String(alias.alias_label)}`;
	}
	return `${type}:${String(value)}`;
}
