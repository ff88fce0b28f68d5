import { Drop, toValue } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { isRubyFloat, RubyFloat } from '../ruby/number';
import { inspect, isPlainObject, joinArray, toS } from '../ruby/to-s';
import { charge, chars, isNil, toInteger, type FilterFunction } from './filter';

/** Liquid's InputIterator: arrays flattened, a hash is one item, nil is none. */
function inputArray(input: unknown): unknown[] {
	input = toValue(input);
	if (Array.isArray(input)) return input.flat(Infinity);
	if (isNil(input)) return [];
	return [input];
}

/** `item[property]` as Ruby evaluates it for hashes, arrays and strings. */
function index(item: unknown, property: unknown): { ok: boolean; value?: unknown } {
	item = toValue(item);
	if (isPlainObject(item)) return { ok: true, value: item[toS(property)] };
	if (item instanceof Drop) return { ok: true, value: (item as unknown as Record<string, unknown>)[toS(property)] };
	if (Array.isArray(item)) {
		if (typeof property !== 'number') throw propertyError(property);
		return { ok: true, value: item[property < 0 ? item.length + property : property] };
	}
	if (typeof item === 'number' && Number.isInteger(item)) throw propertyError(property);
	if (typeof item === 'string') {
		const key = toS(property);
		return { ok: true, value: item.includes(key) ? key : null };
	}
	return { ok: false };
}

function propertyError(property: unknown): DialectError {
	return new DialectError('render', `cannot select the property '${toS(property)}'`);
}

function rubyCompare(a: unknown, b: unknown): number | undefined {
	const x = a instanceof RubyFloat ? a.value : a;
	const y = b instanceof RubyFloat ? b.value : b;
	if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
	if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
	if (Array.isArray(x) && Array.isArray(y)) {
		for (let i = 0; i < Math.min(x.length, y.length); i++) {
			const c = rubyCompare(x[i], y[i]);
			if (c === undefined || c !== 0) return c;
		}
		return x.length - y.length;
	}
	if (typeof x === 'boolean' && x === y) return 0;
	return undefined;
}

function nilSafeCompare(a: unknown, b: unknown): number {
	const result = rubyCompare(a, b);
	if (result !== undefined) return result;
	if (isNil(a)) return 1;
	if (isNil(b)) return -1;
	throw new DialectError('render', 'cannot sort values of incompatible types');
}

function asciiLower(text: string): string {
	return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function nilSafeCasecmp(a: unknown, b: unknown): number {
	if (!isNil(a) && !isNil(b)) {
		const x = asciiLower(toS(a));
		const y = asciiLower(toS(b));
		return x < y ? -1 : x > y ? 1 : 0;
	}
	return isNil(a) ? 1 : -1;
}

function sortWith(input: unknown, property: unknown, compare: (a: unknown, b: unknown) => number): unknown {
	const array = inputArray(input);
	if (array.length === 0) return [];
	if (isNil(property)) return [...array].sort(compare);
	const values = array.map((item) => index(item, property));
	if (values.some((v) => !v.ok)) return null;
	const order = array.map((item, i) => ({ item, key: values[i].value }));
	order.sort((x, y) => compare(x.key, y.key));
	return order.map((entry) => entry.item);
}

function uniqueKey(value: unknown): string {
	if (value instanceof RubyFloat) return `f:${value.value}`;
	if (typeof value === 'number') return Number.isInteger(value) ? `i:${value}` : `f:${value}`;
	if (typeof value === 'string') return `s:${value}`;
	return `o:${inspect(value)}`;
}

function firstOrLast(input: unknown, last: boolean): unknown {
	input = toValue(input);
	if (Array.isArray(input)) return last ? input[input.length - 1] : input[0];
	if (isPlainObject(input)) {
		const keys = Object.keys(input);
		if (keys.length === 0) return null;
		const key = last ? undefined : keys[0];
		return key === undefined ? null : [key, input[key]];
	}
	return null;
}

export const arrayFilters: Record<string, FilterFunction> = {
	size(input) {
		input = toValue(input);
		if (typeof input === 'string') return chars(input).length;
		if (Array.isArray(input)) return input.length;
		if (isPlainObject(input)) return Object.keys(input).length;
		if (typeof input === 'number' && Number.isInteger(input) && !isRubyFloat(input)) return 8;
		return 0;
	},
	slice(input, offset, length) {
		const start = toInteger(offset);
		const count = isNil(length) ? 1 : toInteger(length);
		input = toValue(input);
		const list: unknown[] = Array.isArray(input) ? input : chars(toS(input));
		const from = start < 0 ? list.length + start : start;
		const result = from < 0 || from > list.length || count < 0 ? [] : list.slice(from, from + count);
		return Array.isArray(input) ? result : result.join('');
	},
	join(input, glue = ' ') {
		const result = joinArray(inputArray(input), toS(glue));
		charge(this, result.length);
		return result;
	},
	sort(input, property) {
		return sortWith(input, property, nilSafeCompare);
	},
	sort_natural(input, property) {
		return sortWith(input, property, nilSafeCasecmp);
	},
	where(input, property, target) {
		const array = inputArray(input);
		if (array.length === 0) return [];
		const out: unknown[] = [];
		for (const item of array) {
			const found = index(item, property);
			if (!found.ok) return null;
			const keep = isNil(target) ? !isNil(found.value) && found.value !== false : rubyEquals(found.value, target);
			if (keep) out.push(item);
		}
		return out;
	},
	uniq(input, property) {
		const array = inputArray(input);
		const seen = new Set<string>();
		const out: unknown[] = [];
		for (const item of array) {
			let key = item;
			if (!isNil(property)) {
				const found = index(item, property);
				if (!found.ok) return null;
				key = found.value;
			}
			const id = uniqueKey(key);
			if (!seen.has(id)) {
				seen.add(id);
				out.push(item);
			}
		}
		return out;
	},
	reverse: (input) => [...inputArray(input)].reverse(),
	map(input, property) {
		const array = inputArray(input);
		charge(this, array.length);
		return array.map((item) => {
			if (property === 'to_liquid') return item;
			const found = index(item, property);
			return found.ok ? found.value : null;
		});
	},
	compact(input, property) {
		const array = inputArray(input);
		if (isNil(property)) return array.filter((item) => !isNil(item));
		const out: unknown[] = [];
		for (const item of array) {
			const found = index(item, property);
			if (!found.ok) return null;
			if (!isNil(found.value)) out.push(item);
		}
		return out;
	},
	concat(input, array) {
		array = toValue(array);
		if (!Array.isArray(array)) throw new DialectError('render', 'concat filter requires an array argument');
		const out = inputArray(input).concat(array);
		charge(this, out.length);
		return out;
	},
	first: (input) => firstOrLast(input, false),
	last: (input) => firstOrLast(input, true),
};

/** Ruby's == between Liquid values (1 == 1.0, arrays and hashes by content). */
export function rubyEquals(a: unknown, b: unknown): boolean {
	const x = a instanceof RubyFloat ? a.value : toValue(a);
	const y = b instanceof RubyFloat ? b.value : toValue(b);
	if (x === y) return true;
	if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((item, i) => rubyEquals(item, y[i]));
	if (isPlainObject(x) && isPlainObject(y)) {
		const keys = Object.keys(x);
		return keys.length === Object.keys(y).length && keys.every((key) => key in y && rubyEquals(x[key], y[key]));
	}
	return false;
}
