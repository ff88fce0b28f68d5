import { createHash, createHmac } from 'crypto';
import { toS } from '../ruby/to-s';
import type { FilterFunction } from './filter-this';

// Braze's hashing and signing filters (advanced_filters.md): hex digests, or Base64 where named.

const digest = (algorithm: string): FilterFunction => (input) =>
	createHash(algorithm).update(toS(input), 'utf8').digest('hex');

const hmac = (algorithm: string, encoding: 'hex' | 'base64'): FilterFunction => (input, key) =>
	createHmac(algorithm, toS(key)).update(toS(input), 'utf8').digest(encoding);

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
};
