import { DialectError } from '../errors/dialect-error';
import { toValue } from '../engine';
import { formatNumber, RubyFloat } from '../ruby/number';
import { isPlainObject, toS } from '../ruby/to-s';
import { isNil, keywordArgument, type FilterFunction } from './filter';

/** JSON with integral floats kept as `1.0`, like Ruby's to_json. */
export function toJson(value: unknown): string {
	value = toValue(value);
	if (value === undefined || value === null) return 'null';
	if (value instanceof RubyFloat) return Number.isFinite(value.value) ? `${value.value}.0` : 'null';
	if (typeof value === 'number') return Number.isFinite(value) ? formatJsonNumber(value) : 'null';
	if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map((item) => toJson(item)).join(',')}]`;
	if (isPlainObject(value)) {
		return `{${Object.keys(value).map((key) => `${JSON.stringify(key)}:${toJson(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(toS(value));
}

function formatJsonNumber(value: number): string {
	return Number.isInteger(value) ? formatNumber(value) : String(value);
}

function parseJson(text: string): { ok: boolean; value?: unknown } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

/** 1234567.891 → "1,234,567.891" (Rails' number_with_delimiter). */
function withDelimiter(input: unknown, delimiter: string, separator: string): string {
	const text = toS(input);
	const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
	if (!match) return text;
	const grouped = match[2].replace(/\B(?=(\d{3})+(?!\d))/g, delimiter);
	return `${match[1]}${grouped}${match[3] ? separator + match[3].slice(1) : ''}`;
}

export const dataFilters: Record<string, FilterFunction> = {
	// A string made safe to sit between the quotes of a JSON string.
	json_escape: (input) => JSON.stringify(toS(input)).slice(1, -1),
	json_parse(input) {
		const text = toS(input);
		const parsed = parseJson(text);
		if (!parsed.ok) throw new DialectError('render', `json_parse: invalid JSON ${JSON.stringify(text.slice(0, 40))}`);
		return parsed.value;
	},
	as_json_string: (input) => toJson(input),
	property_accessor(input, key) {
		const object = toValue(input);
		if (Array.isArray(object) && typeof key === 'number') return object[key < 0 ? object.length + key : key];
		if (!isPlainObject(object)) return null;
		const name = toS(key);
		return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : null;
	},
	number_with_delimiter: (input, delimiter = ',', separator = '.') => withDelimiter(input, toS(delimiter), toS(separator)),
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
