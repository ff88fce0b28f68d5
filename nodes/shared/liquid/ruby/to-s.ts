import { Drop, toValue } from '../engine';
import { formatFloat, formatNumber, RubyFloat } from './number';

/** Something with Ruby's Time#to_s (our time values). */
export interface RubyStringable {
	toRubyString(): string;
}

function isRubyStringable(value: unknown): value is RubyStringable {
	return typeof value === 'object' && value !== null && typeof (value as RubyStringable).toRubyString === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Drop);
}

/** Ruby's `to_s` of a Liquid value (Array#to_s and Hash#to_s are `inspect`). */
export function toS(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return formatNumber(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof RubyFloat) return formatFloat(value.value);
	if (value instanceof Drop) {
		const inner = toValue(value);
		return inner === value ? '' : toS(inner);
	}
	if (isRubyStringable(value)) return value.toRubyString();
	if (value instanceof Date) return String(value.toISOString());
	if (Array.isArray(value) || typeof value === 'object') return inspect(value);
	return '';
}

/** What `{{ value }}` writes: arrays are joined (recursively), nil is empty. */
export function outputToS(value: unknown): string {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return joinArray(value, '');
	return toS(value);
}

/** Ruby's Array#join: nested arrays are joined with the same separator. */
export function joinArray(array: unknown[], separator: string): string {
	let out = '';
	for (let i = 0; i < array.length; i++) {
		if (i > 0) out += separator;
		const item = array[i];
		out += Array.isArray(item) ? joinArray(item, separator) : toS(item);
	}
	return out;
}

const STRING_ESCAPES: Record<number, string> = {
	0x22: '\\"',
	0x5c: '\\\\',
	0x0a: '\\n',
	0x09: '\\t',
	0x0d: '\\r',
	0x0c: '\\f',
	0x0b: '\\v',
	0x08: '\\b',
	0x07: '\\a',
	0x1b: '\\e',
};

function inspectString(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		const known = STRING_ESCAPES[code];
		if (known) out += known;
		else if (code === 0x23 && i + 1 < text.length && '{$@'.includes(text[i + 1])) out += '\\#';
		else if (code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
		else if (code === 0x7f) out += '\\x7F';
		else out += text[i];
	}
	return `${out}"`;
}

/** Ruby 3.1's `inspect` (hashes print as `{"a"=>1}`). */
export function inspect(value: unknown, depth = 0): string {
	if (depth > 64) return '...';
	if (typeof value === 'string') return inspectString(value);
	if (value === null || value === undefined) return 'nil';
	if (Array.isArray(value)) return `[${value.map((item) => inspect(item, depth + 1)).join(', ')}]`;
	if (value instanceof Drop) return toS(value);
	if (isPlainObject(value) && !(value instanceof RubyFloat) && !isRubyStringable(value)) {
		const entries = Object.keys(value).map((key) => `${inspectString(key)}=>${inspect(value[key], depth + 1)}`);
		return `{${entries.join(', ')}}`;
	}
	return toS(value);
}

export { isPlainObject };
