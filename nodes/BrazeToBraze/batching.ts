/**
 * Packs the `/users/track` objects of many items into as few requests as Braze allows, and maps
 * Braze's per-object errors back to the items they came from. Pure: no n8n, no I/O.
 */
import {
	USERS_TRACK_ARRAYS,
	USERS_TRACK_MAX_OBJECTS,
	type BrazeObject,
	type BrazeObjectError,
	type UsersTrackArray,
	type UsersTrackBody,
} from '../shared/braze/users-track';

/** The objects one input item contributes. They always travel together, in one request. */
export interface ItemObjects {
	itemIndex: number;
	objects: UsersTrackBody;
}

/**
 * `total`: at most `max` objects in a request, all arrays together (Braze's current rule, 75).
 * `perArray`: at most `max` objects in each of the three arrays (the legacy rule: 75 each, 225 in all).
 */
export type LimitMode = 'total' | 'perArray';

export interface BatchLimits {
	mode: LimitMode;
	max: number;
}

export const DEFAULT_LIMITS: BatchLimits = { mode: 'total', max: USERS_TRACK_MAX_OBJECTS };

/** Where an object of a request came from: the item, and its position in that item's own array. */
export interface ObjectOrigin {
	itemIndex: number;
	objectIndex: number;
}

export interface Batch {
	/** 1-based, in sending order. */
	number: number;
	/** The items whose objects are in this request, in input order. */
	itemIndexes: number[];
	body: UsersTrackBody;
	/** `origins.events[i]` tells which item `body.events[i]` came from. */
	origins: Record<UsersTrackArray, ObjectOrigin[]>;
	objectCount: number;
}

export interface PackResult {
	batches: Batch[];
	/** Items with more objects than one request may carry: they cannot be sent. */
	oversized: number[];
	/** Items without any object. */
	empty: number[];
}

export function countObjects(objects: UsersTrackBody): number {
	return USERS_TRACK_ARRAYS.reduce((sum, name) => sum + (objects[name]?.length ?? 0), 0);
}

function counts(objects: UsersTrackBody): Record<UsersTrackArray, number> {
	return {
		attributes: objects.attributes?.length ?? 0,
		events: objects.events?.length ?? 0,
		purchases: objects.purchases?.length ?? 0,
	};
}

function fits(current: Record<UsersTrackArray, number>, adding: Record<UsersTrackArray, number>, limits: BatchLimits): boolean {
	if (limits.mode === 'total') {
		const total = USERS_TRACK_ARRAYS.reduce((sum, name) => sum + current[name] + adding[name], 0);
		return total <= limits.max;
	}
	return USERS_TRACK_ARRAYS.every((name) => current[name] + adding[name] <= limits.max);
}

const ZERO: Record<UsersTrackArray, number> = { attributes: 0, events: 0, purchases: 0 };

/** Whether an item's objects can travel in one request at all. */
export function fitsInOneRequest(objects: UsersTrackBody, limits: BatchLimits): boolean {
	return fits(ZERO, counts(objects), limits);
}

/**
 * Greedy, in input order: an item joins the open request when all its objects fit, otherwise the
 * request is closed and the item opens the next one. An item's objects are never split, and the
 * objects keep their input order within each array.
 */
export function packBatches(items: readonly ItemObjects[], limits: BatchLimits = DEFAULT_LIMITS): PackResult {
	if (!Number.isInteger(limits.max) || limits.max < 1) throw new RangeError(`Invalid object limit ${limits.max}`);
	const result: PackResult = { batches: [], oversized: [], empty: [] };
	let open: Batch | undefined;
	let used = { ...ZERO };

	for (const item of items) {
		const adding = counts(item.objects);
		if (countObjects(item.objects) === 0) {
			result.empty.push(item.itemIndex);
			continue;
		}
		if (!fits(ZERO, adding, limits)) {
			result.oversized.push(item.itemIndex);
			continue;
		}
		if (!open || !fits(used, adding, limits)) {
			open = {
				number: result.batches.length + 1,
				itemIndexes: [],
				body: {},
				origins: { attributes: [], events: [], purchases: [] },
				objectCount: 0,
			};
			result.batches.push(open);
			used = { ...ZERO };
		}
		open.itemIndexes.push(item.itemIndex);
		for (const name of USERS_TRACK_ARRAYS) {
			const objects: BrazeObject[] = item.objects[name] ?? [];
			if (objects.length === 0) continue;
			const target = (open.body[name] ??= []);
			objects.forEach((object, objectIndex) => {
				target.push(object);
				open!.origins[name].push({ itemIndex: item.itemIndex, objectIndex });
			});
			used[name] += objects.length;
			open.objectCount += objects.length;
		}
	}
	return result;
}

/** A Braze error as the item sees it: Braze's fields, plus the object's position in the item's own array. */
export interface ItemObjectError extends BrazeObjectError {
	object_index?: number;
}

export interface MappedErrors {
	byItem: Map<number, ItemObjectError[]>;
	/** Errors without a usable `input_array` and `index`: they cannot be pinned to an item. */
	unmatched: BrazeObjectError[];
}

/** Maps Braze's `errors[]` (`{type, input_array, index}`) to the items of the batch they came from. */
export function mapObjectErrors(batch: Batch, errors: readonly BrazeObjectError[] | undefined): MappedErrors {
	const mapped: MappedErrors = { byItem: new Map(), unmatched: [] };
	for (const error of errors ?? []) {
		const arrayName = error.input_array as UsersTrackArray | undefined;
		const index = typeof error.index === 'number' ? error.index : Number(error.index);
		const origin =
			arrayName && (USERS_TRACK_ARRAYS as readonly string[]).includes(arrayName) && Number.isInteger(index)
				? batch.origins[arrayName][index]
				: undefined;
		if (!origin) {
			mapped.unmatched.push(error);
			continue;
		}
		const list = mapped.byItem.get(origin.itemIndex) ?? [];
		list.push({ ...error, object_index: origin.objectIndex });
		mapped.byItem.set(origin.itemIndex, list);
	}
	return mapped;
}

/** The users a batch's objects name ("external_id:abc"), so one user's batches keep their order. */
export function usersOfBatch(batch: Batch): string[] {
	const users = new Set<string>();
	for (const name of USERS_TRACK_ARRAYS) {
		for (const object of batch.body[name] ?? []) {
			const record = object as Record<string, unknown>;
			for (const key of ['external_id', 'braze_id', 'email', 'phone'] as const) {
				if (record[key] !== undefined) users.add(`${key}:${String(record[key])}`);
			}
			const alias = record.user_alias as Record<string, unknown> | undefined;
			if (alias && typeof alias === 'object') users.add(`user_alias:${String(alias.alias_name)}\u0000${String(alias.alias_label)}`);
		}
	}
	return [...users];
}
