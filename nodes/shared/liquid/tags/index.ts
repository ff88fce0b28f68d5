import type { Liquid } from '../engine';
import { AbortMessageTag } from './abort-message';
import { CaptureTag } from './capture';
import { DecrementTag, IncrementTag } from './counters';
import { ForTag, TablerowTag } from './loops';
import { CatalogItemsTag, ConnectedContentTag } from './network-tags';
import { RandomTag } from './random';
import { UNSUPPORTED_TAGS } from '../errors/unsupported-features';
import { UnsupportedTag } from './unsupported';

type TagClass = Liquid['tags'][string];

// liquidjs tags that Ruby Liquid 5 (and Braze) do not have.
export const REMOVED_TAGS: readonly string[] = ['block'];

/** Tags registered over liquidjs's own: Ruby's loops and capture, Braze's tags, the refused ones. */
export const DIALECT_TAGS: Readonly<Record<string, TagClass>> = {
	for: ForTag,
	tablerow: TablerowTag,
	capture: CaptureTag,
	increment: IncrementTag,
	decrement: DecrementTag,
	abort_message: AbortMessageTag,
	random: RandomTag,
	connected_content: ConnectedContentTag,
	catalog_items: CatalogItemsTag,
	...Object.fromEntries(Object.keys(UNSUPPORTED_TAGS).map((name) => [name, UnsupportedTag])),
};
