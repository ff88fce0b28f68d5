/**
 * Rate-limit pacing: after each response, `X-RateLimit-Remaining`/`-Reset` (or the `X-Rate-Limit-*`
 * spelling) pace the next requests to that host so they arrive before the host has to answer 429.
 * When the window is used up, later requests wait for the reset; when it runs low, they are spread
 * evenly over the time left. A 429/503 with a Retry-After holds back every request to the host, not
 * only the one that got it. A pure state machine: the states it is kept in live in process-state.ts.
 */
import type { RateLimitHints } from './rate-limit-headers';

export interface PacerState {
	limit?: number;
	/** The host's last word on remaining requests, minus the requests granted since. */
	remaining?: number;
	/** When the host's window resets (epoch ms). */
	resetAt?: number;
	/**
	 * The longest time-to-reset the host ever gave: the window's length, as far as we know. Requests
	 * granted in a window opened before any answer told its reset (concurrent sends) count against it.
	 */
	windowMs?: number;
	/** No request to the host before this time (epoch ms). */
	notBefore: number;
	/** While spreading: the earliest time of the next grant. */
	nextSlotAt: number;
	touchedAt: number;
}

export interface PacerSettings {
	/** Spreading starts when remaining falls to this fraction of the limit... */
	spreadBelowRatio: number;
	/** ...or to this many requests when the host does not send a limit. */
	spreadBelowCount: number;
	/** Longest wait the pacer imposes; an absurd reset is treated as this. */
	maxWaitMs: number;
}

export const DEFAULT_PACER_SETTINGS: PacerSettings = {
	spreadBelowRatio: 0.1,
	spreadBelowCount: 10,
	maxWaitMs: 300_000,
};

export function initialPacerState(now: number): PacerState {
	return { notBefore: 0, nextSlotAt: 0, touchedAt: now };
}

/** The time the next request may go out, and the state with that request counted. */
export function reserveSlot(
	state: PacerState,
	now: number,
	settings: PacerSettings,
): { sendAt: number; state: PacerState } {
	let next: PacerState = { ...state, touchedAt: now };
	if (next.resetAt !== undefined && now >= next.resetAt) {
		next = { ...next, remaining: next.limit, resetAt: undefined, nextSlotAt: 0 };
	}
	let sendAt = Math.max(now, next.notBefore);
	const { remaining, resetAt } = next;
	if (remaining !== undefined && resetAt !== undefined) {
		if (remaining <= 0) {
			// This request opens the next window: it and every later one wait for the reset.
			sendAt = Math.max(sendAt, resetAt);
			next = {
				...next,
				notBefore: Math.max(next.notBefore, resetAt),
				remaining: next.limit === undefined ? undefined : Math.max(0, next.limit - 1),
				resetAt: next.windowMs !== undefined && next.limit !== undefined ? resetAt + next.windowMs : undefined,
				nextSlotAt: 0,
			};
		} else {
			if (remaining <= spreadThreshold(next.limit, settings)) {
				sendAt = Math.max(sendAt, next.nextSlotAt);
				const gap = Math.max(0, resetAt - sendAt) / remaining;
				next = { ...next, nextSlotAt: sendAt + gap };
			}
			next = { ...next, remaining: remaining - 1 };
		}
	}
	sendAt = Math.min(sendAt, now + Math.max(0, settings.maxWaitMs));
	return { sendAt: Math.ceil(sendAt), state: next };
}

/**
 * Folds one response's hints in. `retryHintMs` is the capped Retry-After-style hint of a 429 or 503,
 * which holds back the whole host.
 */
export function observeResponse(
	state: PacerState,
	now: number,
	hints: RateLimitHints,
	hostWideHoldMs?: number,
): PacerState {
	let next: PacerState = { ...state, touchedAt: now };
	if (hints.limit !== undefined) next.limit = hints.limit;
	if (hints.resetAfterMs !== undefined) next.windowMs = Math.max(next.windowMs ?? 0, hints.resetAfterMs);
	const window = windowOfAnswer(state, now, hints);
	if (window === 'current' && hints.remaining !== undefined) {
		// Requests granted after this one was sent are not in the host's count yet; the later reset is
		// the safer one (the answer's may be measured later than the window started).
		next.remaining = Math.min(state.remaining ?? hints.remaining, hints.remaining);
		if (hints.resetAfterMs !== undefined) next.resetAt = Math.max(state.resetAt ?? 0, now + hints.resetAfterMs);
	} else if (window === 'new') {
		if (hints.remaining !== undefined) next.remaining = hints.remaining;
		if (hints.resetAfterMs !== undefined) next.resetAt = now + hints.resetAfterMs;
		else if (hints.remaining !== undefined) next.resetAt = undefined;
	}
	if (hostWideHoldMs !== undefined && hostWideHoldMs > 0) {
		next = { ...next, notBefore: Math.max(next.notBefore, now + hostWideHoldMs) };
	}
	return next;
}

/**
 * Which window an answer speaks of, against the window the pacer counts in: an older one (its
 * requests were granted before the pacer moved on to the next window, as concurrent sends do: its
 * counts are stale), the current one (the lower count wins), or a new one (the host's word).
 * Reset headers come in whole seconds, hence the tolerance.
 */
function windowOfAnswer(state: PacerState, now: number, hints: RateLimitHints): 'older' | 'current' | 'new' {
	if (state.resetAt === undefined || hints.resetAfterMs === undefined || state.remaining === undefined) return 'new';
	const answerResetAt = now + hints.resetAfterMs;
	const tolerance = Math.min(1000, (state.windowMs ?? 2000) / 2);
	if (answerResetAt < state.resetAt - tolerance) return 'older';
	if (answerResetAt <= state.resetAt + tolerance) return 'current';
	return 'new';
}

function spreadThreshold(limit: number | undefined, settings: PacerSettings): number {
	if (limit === undefined) return settings.spreadBelowCount;
	return Math.max(1, Math.ceil(limit * settings.spreadBelowRatio));
}
