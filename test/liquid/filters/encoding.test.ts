import { output, FILTER_SCOPE } from '../helpers';

describe('Braze filters', () => {
	const fox = 'The quick brown fox jumps over the lazy dog';

	test.each([
		['{{ "abc" | md5 }}', '900150983cd24fb0d6963f7d28e17f72'],
		['{{ "abc" | sha1 }}', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
		['{{ "abc" | sha2 }}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		[`{{ "${fox}" | hmac_sha1_hex: "key" }}`, 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9'],
		[`{{ "${fox}" | hmac_sha1: "key" }}`, 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9'],
		[`{{ "${fox}" | hmac_sha1_base64: "key" }}`, Buffer.from('de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9', 'hex').toString('base64')],
		[`{{ "${fox}" | hmac_sha256_hex: "key" }}`, 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
		[`{{ "${fox}" | hmac_sha256: "key" }}`, 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
		[`{{ "${fox}" | hmac_sha256_base64: "key" }}`, Buffer.from('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', 'hex').toString('base64')],
		[`{{ "${fox}" | hmac_sha512: "key" }}`, 'b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a'],
		['{{ "héllo" | base64_encode }}|{{ "aMOpbGxv" | base64_decode }}', 'aMOpbGxv|héllo'],
	])('%s', (source, expected) => {
		expect(output(source, FILTER_SCOPE)).toBe(expected);
	});
});
