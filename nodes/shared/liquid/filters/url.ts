import { DialectError } from '../errors/dialect-error';
import { toS } from '../ruby/to-s';
import { isNil, type FilterFunction } from './filter';

function percentEncode(text: string, keep: RegExp): string {
	let out = '';
	for (const char of text) {
		if (keep.test(char)) out += char;
		else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
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

// url_escape leaves URL syntax alone (Ruby's URI.escape set); url_param_escape encodes everything
// outside the unreserved set, so `&`, `=`, `?` and spaces (%20) are safe inside a query parameter.
const URL_SAFE = /^[-_.!~*'()a-zA-Z\d;/?:@&=+$,[\]]$/;
const PARAM_SAFE = /^[-_.~a-zA-Z\d]$/;

export const urlFilters: Record<string, FilterFunction> = {
	url_escape: (input) => percentEncode(toS(input), URL_SAFE),
	url_param_escape: (input) => percentEncode(toS(input), PARAM_SAFE),
	url_encode: (input) => (isNil(input) ? input : cgiEscape(toS(input))),
	url_decode: (input) => (isNil(input) ? input : percentDecode(toS(input).replace(/\+/g, ' '))),
};
