import {
	normalizeHeaders,
	parseHttpDate,
	parseRateLimitHeaders,
	parseReset,
	parseRetryAfter,
	retryHintMs,
} from '../../nodes/shared/delivery/rate-limit-headers';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0); // Sun, 22 Nov 2026 12:00:00 GMT

describe('HTTP-date (RFC 9110 §5.6.7)', () => {
	const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
	it.each([
		['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
		['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
		['asctime', 'Sun Nov  6 08:49:37 1994'],
		['lower case', 'sun, 06 nov 1994 08:49:37 gmt'],
	])('%s', (_form, value) => {
		expect(parseHttpDate(value, NOW)).toBe(expected);
	});

	it('places an RFC 850 two-digit year no more than 50 years ahead', () => {
		expect(parseHttpDate('Monday, 01-Jan-30 00:00:00 GMT', NOW)).toBe(Date.UTC(2030, 0, 1));
		expect(parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', NOW)).toBe(Date.UTC(2070, 0, 1));
		expect(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', NOW)).toBe(Date.UTC(1999, 0, 1));
	});

	it.each(['', 'tomorrow', 'Sun, 31 Feb 2026 00:00:00 GMT', 'Sun, 06 Nov 1994 25:00:00 GMT', '2026-11-22T12:00:00Z', 'Sun, 06 Nov 1994 08:49:37 PST'])(
		'rejects %p',
		(value) => {
			expect(parseHttpDate(value, NOW)).toBeUndefined();
		},
	);
});

describe('Retry-After', () => {
	it('delay-seconds, decimals rounded up to the ms, negatives as 0', () => {
		expect(parseRetryAfter('120', NOW)).toBe(120_000);
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter('1.5', NOW)).toBe(1500);
		expect(parseRetryAfter('0.0004', NOW)).toBe(1);
		expect(parseRetryAfter('-5', NOW)).toBe(0);
		expect(parseRetryAfter('7, 7', NOW)).toBe(7000);
	});

	it('an HTTP-date relative to the reference time; past dates mean now', () => {
		expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
		expect(parseRetryAfter('Sunday, 22-Nov-26 12:01:00 GMT', NOW)).toBe(60_000);
		expect(parseRetryAfter('Sun Nov 22 12:00:05 2026', NOW)).toBe(5000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
	});

	it.each(['soon', '1e3', '5s', '', 'NaN', '--1'])('ignores malformed %p', (value) => {
		expect(parseRetryAfter(value, NOW)).toBeUndefined();
	});
});

describe('rate-limit reset', () => {
	it('epoch seconds, epoch milliseconds, seconds remaining', () => {
		expect(parseReset(String(NOW / 1000 + 40), NOW)).toBe(40_000);
		expect(parseReset(String(NOW + 2500), NOW)).toBe(2500);
		expect(parseReset('3', NOW)).toBe(3000);
		expect(parseReset('0.25', NOW)).toBe(250);
	});

	it('past epochs and negative remainders mean now', () => {
		expect(parseReset(String(NOW / 1000 - 40), NOW)).toBe(0);
		expect(parseReset(String(NOW - 1), NOW)).toBe(0);
		expect(parseReset('-3', NOW)).toBe(0);
	});

	it('dates', () => {
		expect(parseReset('Sun, 22 Nov 2026 12:00:10 GMT', NOW)).toBe(10_000);
		expect(parseReset('2026-11-22T12:00:20Z', NOW)).toBe(20_000);
	});

	it('ignores values between epoch seconds and epoch milliseconds, and garbage', () => {
		expect(parseReset('50000000000', NOW)).toBeUndefined();
		expect(parseReset('soon', NOW)).toBeUndefined();
		expect(parseReset('', NOW)).toBeUndefined();
	});
});

describe('parseRateLimitHeaders', () => {
	it('matches names case-insensitively and takes the first of repeated values', () => {
		expect(normalizeHeaders({ 'Retry-After': ['3', '9'], 'X-Other': 5, Skip: undefined })).toEqual({
			'retry-after': '3',
			'x-other': '5',
		});
		expect(parseRateLimitHeaders({ 'RETRY-AFTER': '3' }, NOW)).toEqual({ retryAfterMs: 3000 });
	});

	it('reads Braze REST spelling X-RateLimit-*', () => {
		expect(
			parseRateLimitHeaders(
				{ 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 12) },
				NOW,
			),
		).toEqual({ limit: 250_000, remaining: 0, resetAfterMs: 12_000 });
	});

	it('reads the webhook docs spelling X-Rate-Limit-*', () => {
		expect(
			parseRateLimitHeaders({ 'X-Rate-Limit-Limit': '10', 'X-Rate-Limit-Remaining': '4', 'X-Rate-Limit-Reset': '7' }, NOW),
		).toEqual({ limit: 10, remaining: 4, resetAfterMs: 7000 });
	});

	it('prefers X-RateLimit-* when both spellings are present', () => {
		expect(
			parseRateLimitHeaders({ 'x-ratelimit-remaining': '1', 'x-rate-limit-remaining': '99' }, NOW),
		).toEqual({ remaining: 1 });
	});

	it('X-Ratelimit-Retry-After (Braze) and Retry-After: the later one wins', () => {
		expect(parseRateLimitHeaders({ 'x-ratelimit-retry-after': '8' }, NOW)).toEqual({ retryAfterMs: 8000 });
		expect(parseRateLimitHeaders({ 'retry-after': '2', 'x-ratelimit-retry-after': '8' }, NOW)).toEqual({
			retryAfterMs: 8000,
		});
		expect(parseRateLimitHeaders({ 'retry-after': '20', 'x-ratelimit-retry-after': '8' }, NOW)).toEqual({
			retryAfterMs: 20_000,
		});
	});

	it('dates are taken relative to the response Date header, not the local clock', () => {
		const localClockAhead = NOW + 3_600_000;
		expect(
			parseRateLimitHeaders(
				{ date: 'Sun, 22 Nov 2026 12:00:00 GMT', 'retry-after': 'Sun, 22 Nov 2026 12:00:45 GMT' },
				localClockAhead,
			),
		).toEqual({ retryAfterMs: 45_000 });
		expect(
			parseRateLimitHeaders(
				{ date: 'Sun, 22 Nov 2026 12:00:00 GMT', 'x-ratelimit-reset': String(NOW / 1000 + 5) },
				localClockAhead,
			),
		).toEqual({ resetAfterMs: 5000 });
		// without a Date header the local clock is the reference
		expect(parseRateLimitHeaders({ 'retry-after': 'Sun, 22 Nov 2026 12:00:45 GMT' }, NOW)).toEqual({
			retryAfterMs: 45_000,
		});
	});

	it('ignores malformed values, a malformed Date header included', () => {
		expect(
			parseRateLimitHeaders(
				{
					'retry-after': 'later',
					'x-ratelimit-limit': 'many',
					'x-ratelimit-remaining': '-1',
					'x-ratelimit-reset': 'soon',
					date: 'yesterday',
				},
				NOW,
			),
		).toEqual({});
		expect(parseRateLimitHeaders(undefined, NOW)).toEqual({});
	});
});

describe('retryHintMs', () => {
	it('Retry-After takes precedence over the reset', () => {
		expect(retryHintMs({ retryAfterMs: 2000, remaining: 0, resetAfterMs: 9000 }, 429, 60_000)).toBe(2000);
	});

	it('the reset applies when remaining is 0, or on a 429', () => {
		expect(retryHintMs({ remaining: 0, resetAfterMs: 9000 }, 503, 60_000)).toBe(9000);
		expect(retryHintMs({ resetAfterMs: 9000 }, 429, 60_000)).toBe(9000);
		expect(retryHintMs({ remaining: 3, resetAfterMs: 9000 }, 503, 60_000)).toBeUndefined();
		expect(retryHintMs({ resetAfterMs: 9000 }, 503, 60_000)).toBeUndefined();
		expect(retryHintMs({}, 429, 60_000)).toBeUndefined();
	});

	it('caps absurd hints', () => {
		expect(retryHintMs({ retryAfterMs: 1_000_000_000 }, 429, 60_000)).toBe(60_000);
		expect(retryHintMs({ remaining: 0, resetAfterMs: 86_400_000 }, 429, 300_000)).toBe(300_000);
		expect(retryHintMs({ retryAfterMs: 5 }, 429, -1)).toBe(0);
	});
});
