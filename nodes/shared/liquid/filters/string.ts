import { toS } from '../ruby/to-s';
import { charge, chars, isNil, toInteger, type FilterFunction } from './filter';

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

function replaceAll(text: string, search: string, replacement: string): string {
	if (search === '') return replacement + chars(text).join(replacement) + (text ? replacement : '');
	return text.split(search).join(replacement);
}

export const stringFilters: Record<string, FilterFunction> = {
	downcase: (input) => toS(input).toLowerCase(),
	upcase: (input) => toS(input).toUpperCase(),
	capitalize(input) {
		const [first = '', ...rest] = chars(toS(input));
		return first.toUpperCase() + rest.join('').toLowerCase();
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
	strip_newlines: (input) => toS(input).replace(/\r?\n/g, ''),
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
		return stringFilters.replace_first.call(this, input, search, '');
	},
	remove_last(input, search) {
		return stringFilters.replace_last.call(this, input, search, '');
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
};
