/**
 * Braze `POST /users/track`: the shapes of its body and answers, and checks that need no n8n.
 * Source: braze.com/docs/api/endpoints/user_data/post_user_track and its objects pages.
 */

export type BrazeJson = string | number | boolean | null | BrazeJson[] | { [key: string]: BrazeJson };
export type BrazeObject = { [key: string]: BrazeJson };

/** The three arrays of a `/users/track` body, in the order Braze processes them. */
export const USERS_TRACK_ARRAYS = ['attributes', 'events', 'purchases'] as const;
export type UsersTrackArray = (typeof USERS_TRACK_ARRAYS)[number];

export type UsersTrackBody = Partial<Record<UsersTrackArray, BrazeObject[]>>;

/** Braze's current limit: 75 objects in total across the three arrays of one request. */
export const USERS_TRACK_MAX_OBJECTS = 75;

/** One entry of Braze's `errors` array: `index` points into `input_array` of the request. */
export interface BrazeObjectError {
	type: string;
	input_array?: string;
	index?: number;
	[key: string]: unknown;
}

export interface UsersTrackResponse {
	message?: string;
	errors?: BrazeObjectError[];
	attributes_processed?: number;
	events_processed?: number;
	purchases_processed?: number;
	[key: string]: unknown;
}

export const PRIMARY_IDENTIFIERS = ['external_id', 'user_alias', 'braze_id'] as const;
export const SECONDARY_IDENTIFIERS = ['email', 'phone'] as const;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads Braze's answer body (JSON object or JSON text); anything else gives `undefined`. */
export function parseUsersTrackResponse(body: unknown): UsersTrackResponse | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (!isPlainObject(parsed)) return undefined;
	const response = { ...parsed } as UsersTrackResponse;
	if (response.errors !== undefined) {
		response.errors = Array.isArray(response.errors)
			? response.errors.map((error) =>
					isPlainObject(error) ? (error as BrazeObjectError) : { type: String(error) },
				)
			: [{ type: String(response.errors) }];
	}
	return response;
}

/**
 * Checks a `/users/track` body written by hand: a JSON object whose only keys are the three arrays,
 * each an array of objects. Returns the problem in plain words, or undefined when the body is usable.
 */
export function checkUsersTrackBody(value: unknown): string | undefined {
	if (!isPlainObject(value)) return 'The body must be a JSON object with "attributes", "events" or "purchases" arrays';
	const keys = Object.keys(value);
	const unknown = keys.filter((key) => !(USERS_TRACK_ARRAYS as readonly string[]).includes(key));
	if (unknown.length > 0) {
		return `The body may only have "attributes", "events" and "purchases" (found ${unknown
			.map((key) => `"${key}"`)
			.join(', ')})`;
	}
	for (const name of USERS_TRACK_ARRAYS) {
		const array = value[name];
		if (array === undefined) continue;
		if (!Array.isArray(array)) return `"${name}" must be an array of objects`;
		const bad = array.findIndex((entry) => !isPlainObject(entry));
		if (bad !== -1) return `"${name}"[${bad}] must be an object`;
	}
	return undefined;
}

/** Which identifier an object uses, for messages; checks one primary or a secondary identifier. */
export function checkIdentifier(object: Record<string, unknown>): string | undefined {
	const primaries = PRIMARY_IDENTIFIERS.filter((key) => object[key] !== undefined && object[key] !== '');
	if (primaries.length > 1) {
		return `An object may have only one of external_id, user_alias and braze_id (found ${primaries.join(' and ')})`;
	}
	if (primaries.length === 1) return undefined;
	if (SECONDARY_IDENTIFIERS.some((key) => object[key] !== undefined && object[key] !== '')) return undefined;
	return 'Each object needs an identifier: external_id, user_alias, braze_id, email or phone';
}
