import { createHash, createHmac } from 'crypto';
import { DialectError } from '../errors/dialect-error';
import { toS } from '../ruby/to-s';
import type { FilterFunction } from './filter';

// Braze's hashing and signing filters (advanced_filters.md): hex digests, or Base64 where named.

const digest = (algorithm: string): FilterFunction => (input) =>
	createHash(algorithm).update(toS(input), 'utf8').digest('hex');

const hmac = (algorithm: string, encoding: 'hex' | 'base64'): FilterFunction => (input, key) =>
	createHmac(algorithm, toS(key)).update(toS(input), 'utf8').digest(encoding);

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

export const encodingFilters: Record<string, FilterFunction> = {
	md5: digest('md5'),
	sha1: digest('sha1'),
	sha2: digest('sha256'),
	hmac_sha1: hmac('sha1', 'hex'),
	hmac_sha1_hex: hmac('sha1', 'hex'),
	hmac_sha1_base64: hmac('sha1', 'base64'),
	hmac_sha256: hmac('sha256', 'hex'),
	hmac_sha256_hex: hmac('sha256', 'hex'),
	hmac_sha256_base64: hmac('sha256', 'base64'),
	hmac_sha512: hmac('sha512', 'hex'),
	base64_encode: (input) => Buffer.from(toS(input), 'utf8').toString('base64'),
	base64_decode: (input) => strictBase64(toS(input), false),
	base64_url_safe_encode: (input) =>
		Buffer.from(toS(input), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
	base64_url_safe_decode: (input) => strictBase64(toS(input), true),
};
