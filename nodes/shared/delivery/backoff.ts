/**
 * Retry delays: exponential backoff with "full jitter" (AWS, "Exponential Backoff And Jitter"):
 * each delay is drawn uniformly from [0, min(maxDelay, initialDelay * 2^retryIndex)].
 *
 * Why full jitter: in AWS's simulation it does the least total work of the jittered schemes with
 * near-best completion time, and the case it was measured for is ours: many items of one execution
 * (and of concurrent executions) failing against the same host at the same moment. Equal jitter
 * loses on both counts; decorrelated jitter is close but carries per-item state and its growth is
 * not bounded by the attempt number, which makes the wait budget harder to reason about.
 * Full jitter can draw a very short delay; a server hint (Retry-After, rate-limit reset) then
 * still sets the floor, so a throttled host is never retried early.
 *
 * Pure; randomness is injected so tests are deterministic.
 */

export interface BackoffSettings {
	initialDelayMs: number;
	maxDelayMs: number;
}

/** Spread added on top of a server hint, as a fraction of it, so items released together do not return in lockstep. */
export const HINT_SPREAD_RATIO = 0.1;

/** The upper bound of the jittered delay before retry number `retryIndex` (0 for the first retry). */
export function backoffCeilingMs(retryIndex: number, settings: BackoffSettings): number {
	const exponent = Math.min(Math.max(0, retryIndex), 52);
	return Math.max(0, Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** exponent));
}

export function fullJitterDelayMs(retryIndex: number, settings: BackoffSettings, random: () => number): number {
	return Math.floor(backoffCeilingMs(retryIndex, settings) * clampUnit(random()));
}

/**
 * The wait before a retry: the jittered backoff, lengthened (never shortened) to the server's hint
 * plus a small spread. The hint is expected to be capped already.
 */
export function retryDelayMs(
	retryIndex: number,
	settings: BackoffSettings,
	random: () => number,
	hintMs?: number,
): number {
	const backoff = fullJitterDelayMs(retryIndex, settings, random);
	if (hintMs === undefined) return backoff;
	const hinted = Math.ceil(hintMs + hintMs * HINT_SPREAD_RATIO * clampUnit(random()));
	return Math.max(backoff, hinted);
}

function clampUnit(value: number): number {
	if (!Number.isFinite(value) || value < 0) return 0;
	return value >= 1 ? 1 : value;
}
