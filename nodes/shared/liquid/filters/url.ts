import { toS } from '../ruby/to-s';
import type { FilterFunction } from './filter-this';

function percentEncode(text: string, keep: RegExp): string {
	let out = '';
	for (const char of text) {
		if (keep.test(char)) out += char;
		else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
}

// url_escape leaves URL syntax alone (Ruby's URI.escape set); url_param_escape encodes everything
// outside the unreserved set, so `&`, `=`, `?` and spaces (%20) are safe inside a query parameter.
const URL_SAFE = /^[-_.!~*'()a-zA-Z\d;/?:@&=+$,[\]]$/;
const PARAM_SAFE = /^[-_.~a-zA-Z\d]$/;

export const urlFilters: Record<string, FilterFunction> = {
	url_escape: (input) => percentEncode(toS(input), URL_SAFE),
	url_param_escape: (input) => percentEncode(toS(input), PARAM_SAFE),
};
