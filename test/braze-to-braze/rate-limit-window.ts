/**
 * The X-RateLimit-* headers the Braze stand-ins send: a budget of `limit` requests per window, and
 * the seconds left in the window as X-RateLimit-Reset (the /users/track page's unit).
 */
export interface RateLimit {
	limit: number;
	windowSeconds: number;
}

export type RateHeaders = Record<'X-RateLimit-Limit' | 'X-RateLimit-Remaining' | 'X-RateLimit-Reset', string>;

/** What a stand-in without a rate limit sends: a budget that never runs low. */
export const UNMETERED_RATE_HEADERS: RateHeaders = {
	'X-RateLimit-Limit': '1000000',
	'X-RateLimit-Remaining': '999999',
	'X-RateLimit-Reset': '3',
};

export class RateLimitWindow {
	private remaining: number;

	private windowEndsAt = 0;

	/**
	 * `startsAt`: `firstRequest` opens a window at the first request after the last one ended;
	 * `clock` uses fixed windows on the clock, as Braze counts per minute and per hour.
	 */
	constructor(
		private readonly rateLimit: RateLimit,
		private readonly startsAt: 'firstRequest' | 'clock',
	) {
		this.remaining = rateLimit.limit;
	}

	/** Counts one request: its headers, and whether the window's budget was already used up before it. */
	take(): { headers: RateHeaders; exhausted: boolean } {
		const { limit, windowSeconds } = this.rateLimit;
		const now = Date.now();
		if (now >= this.windowEndsAt) {
			const windowMs = windowSeconds * 1000;
			this.windowEndsAt = this.startsAt === 'clock' ? (Math.floor(now / windowMs) + 1) * windowMs : now + windowMs;
			this.remaining = limit;
		}
		const exhausted = this.remaining <= 0;
		this.remaining = Math.max(0, this.remaining - 1);
		const headers = {
			'X-RateLimit-Limit': String(limit),
			'X-RateLimit-Remaining': String(this.remaining),
			'X-RateLimit-Reset': String(Math.max(1, Math.ceil((this.windowEndsAt - now) / 1000))),
		};
		return { headers, exhausted };
	}
}
