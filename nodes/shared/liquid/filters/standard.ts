import { DialectError } from '../errors/dialect-error';
import { Drop, toValue } from '../engine';
import {
	applyOperation,
	ceilDecimal,
	decimalToNumber,
	floorDecimal,
	isRubyFloat,
	roundDecimal,
	RubyFloat,
	toFloat,
	toRubyNumber,
	type RubyNumber,
} from '../ruby/number';
import { inspect, isPlainObject, joinArray, toS } from '../ruby/to-s';
import { charge, keywordArgument, type FilterFunction, type FilterThis } from './filter-this';

// Shopify Liquid 5.4's standard filters with Ruby's semantics (liquidjs differs in many corners).

const chars = (text: string): string[] => Array.from(text);

function isNil(value: unknown): boolean {
	return value === null || value === undefined;
}

/** Liquid's Utils.to_integer: Integer(value.to_s), else "invalid integer". */
export function toInteger(value: unknown): number {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	const text = toS(value).trim();
	if (/^[+-]?\d+(?:_\d+)*$/.test(text)) return Number(text.replace(/_/g, ''));
	const radix = /^([+-]?)0(x|b|o)([0-9a-f_]+)$/i.exec(text);
	if (radix) {
		const base = { x: 16, b: 2, o: 8 }[radix[2].toLowerCase() as 'x' | 'b' | 'o'];
		const parsed = parseInt(radix[3].replace(/_/g, ''), base);
		if (!Number.isNaN(parsed)) return radix[1] === '-' ? -parsed : parsed;
	}
	throw new DialectError('render', 'invalid integer');
}

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

/** Ruby's String#split(pattern) without a limit. */
export function rubySplit(text: string, pattern: string): string[] {
	let parts: string[];
	if (pattern === ' ') parts = text.split(/[ \t\n\v\f\r]+/).filter((part, i) => i > 0 || part !== '');
	else if (pattern === '') parts = chars(text);
	else parts = text.split(pattern);
	while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
	return parts;
}

/** Ruby's awk-style String#split(" ", limit). */
function splitWords(text: string, limit: number): string[] {
	const words: string[] = [];
	let rest = text.replace(/^[ \t\n\v\f\r]+/, '');
	while (rest && words.length < limit - 1) {
		const match = /[ \t\n\v\f\r]+/.exec(rest);
		if (!match) break;
		words.push(rest.slice(0, match.index));
		rest = rest.slice(match.index + match[0].length);
	}
	if (rest) words.push(rest);
	return words;
}

function uniqueKey(value: unknown): string {
	if (value instanceof RubyFloat) return `f:${value.value}`;
	if (typeof value === 'number') return Number.isInteger(value) ? `i:${value}` : `f:${value}`;
	if (typeof value === 'string') return `s:${value}`;
	return `o:${inspect(value)}`;
}

function numberResult(n: RubyNumber): number | RubyFloat {
	return n.kind === 'dec' ? toFloat(decimalToNumber(n.value)) : n.kind === 'special' ? toFloat(n.value) : n.value;
}

function replaceAll(text: string, search: string, replacement: string): string {
	if (search === '') return replacement + chars(text).join(replacement) + (text ? replacement : '');
	return text.split(search).join(replacement);
}

const HTML_ESCAPE: Record<string, string> = { '&': '&amp;', '>': '&gt;', '<': '&lt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPE[c]);
}

/** Ruby's CGI.escape: everything but [a-zA-Z0-9_.~-] percent-encoded, space as "+". */
export function cgiEscape(text: string): string {
	return encodeURIComponent(text)
		.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

function percentDecode(text: string): string {
	const bytes: number[] = [];
	let out = '';
	const flush = () => {
		if (bytes.length === 0) return;
		const buffer = Buffer.from(bytes);
		const decoded = buffer.toString('utf8');
		if (!Buffer.from(decoded, 'utf8').equals(buffer)) throw new DialectError('render', 'invalid byte sequence in UTF-8');
		out += decoded;
		bytes.length = 0;
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
			bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			flush();
			out += c;
		}
	}
	flush();
	return out;
}

function strictBase64(text: string, urlSafe: boolean): string {
	let input = text;
	if (urlSafe) {
		input = input.replace(/-/g, '+').replace(/_/g, '/');
		if (input.length % 4 !== 0 && !input.includes('=')) input = input.padEnd(input.length + ((4 - (input.length % 4)) % 4), '=');
	}
	if (input.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(input)) {
		throw new DialectError('render', `invalid base64 provided to ${urlSafe ? 'base64_url_safe_decode' : 'base64_decode'}`);
	}
	return Buffer.from(input, 'base64').toString('utf8');
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

function compareMax(self: FilterThis, input: unknown, limit: unknown, keepLarger: boolean): unknown {
	const bound = toRubyNumber(limit);
	const value = toRubyNumber(input);
	const a = value.kind === 'dec' ? decimalToNumber(value.value) : value.value;
	const b = bound.kind === 'dec' ? decimalToNumber(bound.value) : bound.value;
	const pick = keepLarger ? (b > a ? bound : value) : b < a ? bound : value;
	return numberResult(pick);
}

export const standardFilters: Record<string, FilterFunction> = {
	size(input) {
		input = toValue(input);
		if (typeof input === 'string') return chars(input).length;
		if (Array.isArray(input)) return input.length;
		if (isPlainObject(input)) return Object.keys(input).length;
		if (typeof input === 'number' && Number.isInteger(input) && !isRubyFloat(input)) return 8;
		return 0;
	},
	downcase: (input) => toS(input).toLowerCase(),
	upcase: (input) => toS(input).toUpperCase(),
	capitalize(input) {
		const [first = '', ...rest] = chars(toS(input));
		return first.toUpperCase() + rest.join('').toLowerCase();
	},
	escape: (input) => (isNil(input) ? input : escapeHtml(toS(input))),
	h: (input) => (isNil(input) ? input : escapeHtml(toS(input))),
	escape_once: (input) => toS(input).replace(/["><']|&(?!([a-zA-Z]+|(#\d+));)/g, (c) => HTML_ESCAPE[c]),
	url_encode: (input) => (isNil(input) ? input : cgiEscape(toS(input))),
	url_decode: (input) => (isNil(input) ? input : percentDecode(toS(input).replace(/\+/g, ' '))),
	base64_encode: (input) => Buffer.from(toS(input), 'utf8').toString('base64'),
	base64_decode: (input) => strictBase64(toS(input), false),
	base64_url_safe_encode: (input) =>
		Buffer.from(toS(input), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
	base64_url_safe_decode: (input) => strictBase64(toS(input), true),
	slice(input, offset, length) {
		const start = toInteger(offset);
		const count = isNil(length) ? 1 : toInteger(length);
		input = toValue(input);
		const list: unknown[] = Array.isArray(input) ? input : chars(toS(input));
		const from = start < 0 ? list.length + start : start;
		const result = from < 0 || from > list.length || count < 0 ? [] : list.slice(from, from + count);
		return Array.isArray(input) ? result : result.join('');
	},
	truncate(input, length = 50, truncateString = '...') {
		if (isNil(input)) return input;
		const text = chars(toS(input));
		const max = toInteger(length);
		const ellipsis = toS(truncateString);
		const keep = Math.max(max - chars(ellipsis).length, 0);
		return text.length > max ? text.slice(0, keep).join('') + ellipsis : text.join('');
	},
	truncatewords(input, words = 15, truncateString = '...') {
		if (isNil(input)) return input;
		const text = toS(input);
		let count = toInteger(words);
		if (count <= 0) count = 1;
		const list = splitWords(text, count + 1);
		if (list.length <= count) return text;
		list.pop();
		return list.join(' ') + toS(truncateString);
	},
	split(input, pattern) {
		const parts = rubySplit(toS(input), toS(pattern));
		charge(this, parts.length);
		return parts;
	},
	strip: (input) => toS(input).replace(/^[ \t\n\v\f\r\0]+|[ \t\n\v\f\r\0]+$/g, ''),
	strip_html: (input) =>
		toS(input)
			.replace(/<script[\s\S]*?<\/script>|<!--[\s\S]*?-->|<style[\s\S]*?<\/style>/g, '')
			.replace(/<[\s\S]*?>/g, ''),
	strip_newlines: (input) => toS(input).replace(/\r?\n/g, ''),
	newline_to_br: (input) => toS(input).replace(/\r?\n/g, '<br />\n'),
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
	replace(input, search, replacement = '') {
		const out = replaceAll(toS(input), toS(search), toS(replacement));
		charge(this, out.length);
		return out;
	},
	replace_first(input, search, replacement = '') {
		const text = toS(input);
		const pattern = toS(search);
		const at = text.indexOf(pattern);
		return at < 0 ? text : text.slice(0, at) + toS(replacement) + text.slice(at + pattern.length);
	},
	replace_last(input, search, replacement) {
		const text = toS(input);
		const pattern = toS(search);
		const at = text.lastIndexOf(pattern);
		return at < 0 ? text : text.slice(0, at) + toS(replacement) + text.slice(at + pattern.length);
	},
	remove(input, search) {
		return replaceAll(toS(input), toS(search), '');
	},
	remove_first(input, search) {
		return standardFilters.replace_first.call(this, input, search, '');
	},
	remove_last(input, search) {
		return standardFilters.replace_last.call(this, input, search, '');
	},
	append(input, text) {
		const out = toS(input) + toS(text);
		charge(this, out.length);
		return out;
	},
	prepend(input, text) {
		const out = toS(text) + toS(input);
		charge(this, out.length);
		return out;
	},
	first: (input) => firstOrLast(input, false),
	last: (input) => firstOrLast(input, true),
	abs(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'dec') {
			const m = n.value.mantissa;
			return toFloat(decimalToNumber({ mantissa: m < BigInt(0) ? -m : m, scale: n.value.scale }));
		}
		return n.kind === 'special' ? toFloat(Math.abs(n.value)) : Math.abs(n.value);
	},
	plus: (input, operand) => applyOperation(input, operand, '+'),
	minus: (input, operand) => applyOperation(input, operand, '-'),
	times: (input, operand) => applyOperation(input, operand, '*'),
	divided_by: (input, operand) => applyOperation(input, operand, '/'),
	modulo: (input, operand) => applyOperation(input, operand, '%'),
	round(input, digits = 0) {
		const n = toRubyNumber(input);
		const places = toRubyNumber(digits);
		const count = places.kind === 'dec' ? Math.trunc(decimalToNumber(places.value)) : places.kind === 'int' ? places.value : 0;
		const integerResult = digits === 0;
		if (n.kind === 'int') {
			if (count >= 0) return n.value;
			const factor = 10 ** -count;
			const rounded = Math.sign(n.value) * Math.floor(Math.abs(n.value) / factor + 0.5) * factor;
			return rounded;
		}
		if (n.kind === 'special') {
			if (integerResult) throw new DialectError('render', `${n.value}`);
			return toFloat(n.value);
		}
		const value = decimalToNumber(roundDecimal(n.value, count));
		return integerResult ? value : toFloat(value);
	},
	ceil(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'special') throw new DialectError('render', String(n.value));
		return n.kind === 'dec' ? ceilDecimal(n.value) : n.value;
	},
	floor(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'special') throw new DialectError('render', String(n.value));
		return n.kind === 'dec' ? floorDecimal(n.value) : n.value;
	},
	at_least(input, n) {
		return compareMax(this, input, n, true);
	},
	at_most(input, n) {
		return compareMax(this, input, n, false);
	},
	default(input, defaultValue = '', ...rest) {
		const allowFalse = keywordArgument(rest, 'allow_false');
		const value = toValue(input);
		const missing = allowFalse.found && allowFalse.value !== false && !isNil(allowFalse.value)
			? isNil(value)
			: isNil(value) || value === false;
		return missing || isEmpty(value) ? defaultValue : input;
	},
};

export function isEmpty(value: unknown): boolean {
	if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
	if (isPlainObject(value)) return Object.keys(value).length === 0;
	return false;
}

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
