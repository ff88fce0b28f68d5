import { arrayFilters } from './array';
import { dataFilters } from './data';
import { encodingFilters } from './encoding';
import type { FilterFunction } from './filter';
import { htmlFilters } from './html';
import { mathFilters } from './math';
import { moneyFilters } from './money';
import { stringFilters } from './string';
import { timeFilters } from './time';
import { urlFilters } from './url';

// Shopify Liquid 5.4's standard filters with Ruby's semantics (liquidjs differs in many corners),
// and Braze's own filters.
export const DIALECT_FILTERS: Readonly<Record<string, FilterFunction>> = {
	...stringFilters,
	...arrayFilters,
	...mathFilters,
	...htmlFilters,
	...urlFilters,
	...encodingFilters,
	...dataFilters,
	...timeFilters,
	...moneyFilters,
};

/** Filters Braze's docs list as unsupported: refused with that explanation, not as unknown. */
export const BRAZE_UNSUPPORTED_FILTERS: readonly string[] = [
	'money_with_currency',
	'money_without_currency',
	'lstrip',
	'rstrip',
	'camelcase',
	'camelize',
	'handle',
	'handleize',
	'pluralize',
	'find_index',
	'format_address',
	'highlight',
];
