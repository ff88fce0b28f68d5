/**
 * Reads the server's "come back later" hints from response headers. Pure: the caller passes the
 * clock. Malformed values are ignored (draft-ietf-httpapi-ratelimit-headers: MUST ignore).
 */

export type HeaderBag = Record<string, unknown>;

export interface RateLimitHints {
	/** From `Retry-After` or `X-Ratelimit-Retry-After` (the later of the two when both are sent). */
	retryAfterMs?: number;
	/** From `X-RateLimit-*`, else `X-Rate-Limit-*`. */
	limit?: number;
	remaining?: number;
	/** Time until the rate-limit window resets. */
	resetAfterMs?: number;
}

const SECOND = 1000;
/** Reset values at or above this are epoch milliseconds. */
const EPOCH_MS_FLOOR = 1e12;
/** Reset values at or above this (and below 1e10) are epoch seconds; smaller ones are seconds remaining. */
const EPOCH_SECONDS_FLOOR = 1e9;
const EPOCH_SECONDS_CEILING = 1e10;

/** Lower-cased names, first value of repeated headers, trimmed. */
export function normalizeHeaders(headers: HeaderBag | undefined): Record<string, string> {
	const normalized: Record<string, string> = {};
	if (!headers) return normalized;
	for (const [name, raw] of Object.entries(headers)) {
		const value = Array.isArray(raw) ? raw[0] : raw;
		if (typeof value === 'string' || typeof value === 'number') {
			const key = name.toLowerCase();
			if (!(key in normalized)) normalized[key] = String(value).trim();
		}
	}
	return normalized;
}

export function parseRateLimitHeaders(headers: HeaderBag | undefined, nowMs: number): RateLimitHints {
	const h = normalizeHeaders(headers);
	const serverNow = h.date !== undefined ? parseHttpDate(h.date, nowMs) : undefined;
	// Dates are compared with the server's own clock when it says what time it is, so clock skew
	// between n8n and the host does not shorten or stretch the wait.
	const reference = serverNow ?? nowMs;
	const hints: RateLimitHints = {};

	const retryAfters = [h['retry-after'], h['x-ratelimit-retry-after']]
		.map((value) => (value === undefined ? undefined : parseRetryAfter(value, reference)))
		.filter((value): value is number => value !== undefined);
	if (retryAfters.length > 0) hints.retryAfterMs = Math.max(...retryAfters);

	for (const prefix of ['x-ratelimit-', 'x-rate-limit-']) {
		const limit = parseCount(h[`${prefix}limit`]);
		const remaining = parseCount(h[`${prefix}remaining`]);
		const reset = h[`${prefix}reset`] === undefined ? undefined : parseReset(h[`${prefix}reset`], reference);
		if (limit === undefined && remaining === undefined && reset === undefined) continue;
		if (limit !== undefined) hints.limit = limit;
		if (remaining !== undefined) hints.remaining = remaining;
		if (reset !== undefined) hints.resetAfterMs = reset;
		break;
	}
	return hints;
}

/**
 * The least a retriable attempt must wait, per the hints: `Retry-After` takes precedence; otherwise
 * the reset time applies when the window is used up (remaining 0, or a 429 that names a reset).
 * Capped at `maxHintMs` so an absurd hint cannot park an item for days.
 */
export function retryHintMs(hints: RateLimitHints, statusCode: number | undefined, maxHintMs: number): number | undefined {
	let hint: number | undefined;
	if (hints.retryAfterMs !== undefined) hint = hints.retryAfterMs;
	else if (hints.resetAfterMs !== undefined && (hints.remaining === 0 || statusCode === 429)) hint = hints.resetAfterMs;
	if (hint === undefined) return undefined;
	return Math.min(hint, Math.max(0, maxHintMs));
}

/** Delay-seconds (decimals tolerated, negatives mean now) or an HTTP-date. */
export function parseRetryAfter(value: string, referenceMs: number): number | undefined {
	const seconds = parseDecimal(value) ?? parseDecimal(firstListMember(value));
	if (seconds !== undefined) return Math.max(0, Math.ceil(seconds * SECOND));
	const date = parseHttpDate(value, referenceMs);
	if (date !== undefined) return Math.max(0, date - referenceMs);
	return undefined;
}

/** Epoch seconds, epoch milliseconds, seconds remaining, or a date. */
export function parseReset(value: string, referenceMs: number): number | undefined {
	const numeric = parseDecimal(firstListMember(value));
	if (numeric !== undefined) {
		if (numeric >= EPOCH_MS_FLOOR) return Math.max(0, Math.ceil(numeric - referenceMs));
		if (numeric >= EPOCH_SECONDS_CEILING) return undefined;
		if (numeric >= EPOCH_SECONDS_FLOOR) return Math.max(0, Math.ceil(numeric * SECOND - referenceMs));
		return Math.max(0, Math.ceil(numeric * SECOND));
	}
	const date = parseHttpDate(value, referenceMs) ?? parseIsoDate(value);
	if (date !== undefined) return Math.max(0, date - referenceMs);
	return undefined;
}

function parseCount(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const member = firstListMember(value);
	if (!/^\d+$/.test(member)) return undefined;
	const count = Number(member);
	return Number.isSafeInteger(count) ? count : undefined;
}

function parseDecimal(value: string): number | undefined {
	if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(value)) return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/** Proxies sometimes fold a repeated header into "5, 5"; the first member is the origin's. */
function firstListMember(value: string): string {
	return value.split(',')[0].trim();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SHORT_DAYS = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAYS = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${SHORT_DAYS},\\s+(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})\\s+${TIME}\\s+GMT$`, 'i');
const RFC_850 = new RegExp(`^${LONG_DAYS},\\s+(\\d{1,2})-${MONTH}-(\\d{2})\\s+${TIME}\\s+GMT$`, 'i');
const ASCTIME = new RegExp(`^${SHORT_DAYS}\\s+${MONTH}\\s+(\\d{1,2})\\s+${TIME}\\s+(\\d{4})$`, 'i');

/**
 * RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms. Epoch ms or undefined.
 * `nowMs` only places RFC 850's two-digit year in a century.
 */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
	const text = value.trim();
	let match = IMF_FIXDATE.exec(text);
	if (match) return utc(Number(match[3]), match[2], Number(match[1]), match[4], match[5], match[6]);
	match = RFC_850.exec(text);
	if (match) {
		const year = expandTwoDigitYear(Number(match[3]), new Date(nowMs).getUTCFullYear());
		return utc(year, match[2], Number(match[1]), match[4], match[5], match[6]);
	}
	match = ASCTIME.exec(text);
	if (match) return utc(Number(match[6]), match[1], Number(match[2]), match[3], match[4], match[5]);
	return undefined;
}

/** RFC 9110: a two-digit year more than 50 years in the future means the most recent past such year. */
function expandTwoDigitYear(twoDigits: number, currentYear: number): number {
	let year = Math.floor(currentYear / 100) * 100 + twoDigits;
	if (year > currentYear + 50) year -= 100;
	return year;
}

function utc(year: number, monthName: string, day: number, hh: string, mm: string, ss: string): number | undefined {
	const month = MONTHS.indexOf(monthName.toLowerCase());
	const hours = Number(hh);
	const minutes = Number(mm);
	const seconds = Math.min(Number(ss), 59);
	if (month < 0 || hours > 23 || minutes > 59 || Number(ss) > 60) return undefined;
	const time = Date.UTC(year, month, day, hours, minutes, seconds);
	// Date.UTC rolls 31 Feb over into March; a date that does not exist is malformed.
	if (new Date(time).getUTCDate() !== day) return undefined;
	return time;
}

function parseIsoDate(value: string): number | undefined {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
	const time = Date.parse(value);
	return Number.isFinite(time) ? time : undefined;
}
