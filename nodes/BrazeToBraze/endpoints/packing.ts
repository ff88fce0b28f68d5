/**
 * Packs endpoint entries into requests: entries share a request when their request-level fields and
 * their array agree (or, where the endpoint takes several arrays in one request, whatever their array),
 * up to the endpoint's cap for all arrays together, and never with a second entry for the same user
 * (Braze does not say which of two would win). Entries without an array element get a request each. Pure.
 */
import type { EndpointEntry, RequestBudget } from './spec';

export interface EndpointBatch {
	/** 1-based, in the order the batches were opened. */
	number: number;
	itemIndexes: number[];
	body: Record<string, unknown>;
	users: string[];
	budgets: RequestBudget[];
}

interface OpenBatch {
	request: Record<string, unknown>;
	lists: Record<string, unknown[]>;
	entryCount: number;
	itemIndexes: number[];
	users: Set<string>;
	budgets: RequestBudget[];
}

export function packEntries(
	entries: readonly EndpointEntry[],
	maxEntries: number,
	body: (request: Record<string, unknown>, lists: Record<string, unknown[]>) => Record<string, unknown>,
	listsShareRequest = false,
): EndpointBatch[] {
	if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`Invalid entry limit ${maxEntries}`);
	const opened: OpenBatch[] = [];
	const openByKey = new Map<string, OpenBatch>();
	for (const entry of entries) {
		const key = `${listsShareRequest ? '' : (entry.listKey ?? '')}\u0000${stableJson(entry.request)}`;
		let open = entry.entry === undefined ? undefined : openByKey.get(key);
		const full = open && (open.entryCount >= maxEntries || entry.users.some((user) => open!.users.has(user)));
		if (!open || full) {
			open = { request: entry.request, lists: {}, entryCount: 0, itemIndexes: [], users: new Set(), budgets: entry.budgets ?? [] };
			opened.push(open);
			if (entry.entry !== undefined) openByKey.set(key, open);
		}
		if (entry.entry !== undefined && entry.listKey !== undefined) {
			(open.lists[entry.listKey] ??= []).push(entry.entry);
			open.entryCount++;
		}
		open.itemIndexes.push(entry.itemIndex);
		for (const user of entry.users) open.users.add(user);
	}
	return opened.map((open, index) => ({
		number: index + 1,
		itemIndexes: open.itemIndexes,
		body: body(open.request, open.lists),
		users: [...open.users],
		budgets: open.budgets,
	}));
}

/** JSON with sorted keys, so two equal request-level objects give the same key. */
export function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const object = value as Record<string, unknown>;
		return `{${Object.keys(object)
			.filter((key) => object[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson(object[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
