/**
 * Per-host circuit breaker ("unhealthy host detection" in Braze's words) as a pure state machine over
 * plain JSON, so the state can live in workflow static data and be shared between executions.
 *
 * closed ── failures are the majority of ≥ minRequests in the window ──▶ open
 * open ── cooldown over, next request ──▶ probing (≤ probeRequests in flight, others deferred)
 * probing ── probeRequests successes ──▶ closed (window cleared, cooldown back to base)
 * probing ── a probe fails ──▶ open again with the cooldown doubled, up to maxCooldownMs
 */

export type CooldownPhase = 'closed' | 'open' | 'probing';

/** One bucket of the sliding window: [bucket start (epoch ms), requests, failures]. */
export type WindowBucket = [number, number, number];

export interface HostCooldownState {
	phase: CooldownPhase;
	/** When the phase last changed; the later transition wins when two copies are merged. */
	since: number;
	/** When anything was last recorded or admitted. */
	touchedAt: number;
	window: WindowBucket[];
	/** While open: requests are deferred until this time. */
	openUntil: number;
	/** Trips since the host was last healthy; each one doubles the cooldown. */
	trips: number;
	/** While probing. */
	probesInFlight: number;
	probeSuccesses: number;
	/** Probes admitted but never reported (a cancelled or crashed execution) stop counting after this. */
	probeLeaseUntil: number;
}

export interface CooldownSettings {
	windowMs: number;
	/** The window is kept as this many buckets, so it slides in steps of windowMs / bucketCount. */
	bucketCount: number;
	/** No trip below this many requests in the window, however many fail. */
	minRequests: number;
	/** Trips when failures / requests is strictly above this. */
	failureRatio: number;
	cooldownMs: number;
	maxCooldownMs: number;
	probeRequests: number;
	/** Statuses that show the host is overloaded or unreachable (Braze: 408, 429, 502, 503, 504, 529). */
	failureStatusCodes: number[];
	/** Whether timeouts and connection failures count as failures (Braze counts them as 599). */
	countConnectionFailures: boolean;
	/** How long an admitted probe may take to report before its slot is handed out again. */
	probeLeaseMs: number;
	/** Hosts kept per workflow; the least recently used healthy ones go first. */
	maxHosts: number;
}

export const DEFAULT_COOLDOWN_SETTINGS: CooldownSettings = {
	windowMs: 60_000,
	bucketCount: 12,
	minRequests: 20,
	failureRatio: 0.5,
	cooldownMs: 60_000,
	maxCooldownMs: 300_000,
	probeRequests: 2,
	failureStatusCodes: [408, 429, 502, 503, 504, 529],
	countConnectionFailures: true,
	probeLeaseMs: 100_000,
	maxHosts: 200,
};

export type AttemptSignal = { statusCode: number } | { transportFailure: 'timeout' | 'connection' };

export function countsAsHostFailure(signal: AttemptSignal, settings: CooldownSettings): boolean {
	if ('statusCode' in signal) return settings.failureStatusCodes.includes(signal.statusCode);
	return settings.countConnectionFailures;
}

export function initialHostState(now: number): HostCooldownState {
	return {
		phase: 'closed',
		since: now,
		touchedAt: now,
		window: [],
		openUntil: 0,
		trips: 0,
		probesInFlight: 0,
		probeSuccesses: 0,
		probeLeaseUntil: 0,
	};
}

export type Admission = { kind: 'send'; probe: boolean } | { kind: 'defer'; retryAt: number };

/** Whether a request would be deferred now, without taking a probe slot. */
export function peekAdmission(
	state: HostCooldownState | undefined,
	now: number,
	settings: CooldownSettings,
): { retryAt: number } | undefined {
	if (!state) return undefined;
	const { admission } = admit(state, now, settings);
	return admission.kind === 'defer' ? { retryAt: admission.retryAt } : undefined;
}

export function admit(
	state: HostCooldownState,
	now: number,
	settings: CooldownSettings,
): { state: HostCooldownState; admission: Admission } {
	let current = state;
	if (current.phase === 'open') {
		if (now < current.openUntil) {
			return { state: current, admission: { kind: 'defer', retryAt: current.openUntil } };
		}
		current = { ...current, phase: 'probing', since: now, probesInFlight: 0, probeSuccesses: 0, probeLeaseUntil: 0 };
	}
	if (current.phase === 'probing') {
		if (current.probesInFlight > 0 && now >= current.probeLeaseUntil) {
			current = { ...current, probesInFlight: 0 };
		}
		const stillNeeded = Math.max(1, settings.probeRequests - current.probeSuccesses);
		if (current.probesInFlight >= stillNeeded) {
			// The probes' verdict is pending; come back after one more cooldown, as Braze re-checks a
			// halted host each cooldown, unless the leases lapse sooner.
			const retryAt = Math.min(now + cooldownFor(Math.max(1, current.trips), settings), current.probeLeaseUntil);
			return { state: current, admission: { kind: 'defer', retryAt: Math.max(retryAt, now + 1) } };
		}
		return {
			state: {
				...current,
				touchedAt: now,
				probesInFlight: current.probesInFlight + 1,
				probeLeaseUntil: now + settings.probeLeaseMs,
			},
			admission: { kind: 'send', probe: true },
		};
	}
	return { state: current, admission: { kind: 'send', probe: false } };
}

/** Records one attempt's outcome. `probe` says whether admit() handed this request a probe slot. */
export function recordOutcome(
	state: HostCooldownState,
	now: number,
	settings: CooldownSettings,
	failure: boolean,
	probe: boolean,
): HostCooldownState {
	if (probe && state.phase === 'probing') {
		if (failure) return trip(state, now, settings);
		const probeSuccesses = state.probeSuccesses + 1;
		if (probeSuccesses >= settings.probeRequests) {
			return { ...initialHostState(now) };
		}
		return {
			...state,
			touchedAt: now,
			probeSuccesses,
			probesInFlight: Math.max(0, state.probesInFlight - 1),
		};
	}
	// Answers to requests admitted before a trip say nothing new once the host is already open.
	if (state.phase !== 'closed') return state;

	const window = addToWindow(state.window, now, settings, failure);
	const next: HostCooldownState = { ...state, touchedAt: now, window };
	if (!failure) return next;
	const { requests, failures } = windowTotals(window, now, settings);
	if (requests >= settings.minRequests && failures / requests > settings.failureRatio) {
		return trip(next, now, settings);
	}
	return next;
}

/** A probe that ended without saying anything about the host's health gives its slot back. */
export function releaseProbe(state: HostCooldownState): HostCooldownState {
	if (state.phase !== 'probing' || state.probesInFlight === 0) return state;
	return { ...state, probesInFlight: state.probesInFlight - 1 };
}

export function windowTotals(
	window: WindowBucket[],
	now: number,
	settings: CooldownSettings,
): { requests: number; failures: number } {
	let requests = 0;
	let failures = 0;
	for (const [start, bucketRequests, bucketFailures] of window) {
		if (isInWindow(start, now, settings)) {
			requests += bucketRequests;
			failures += bucketFailures;
		}
	}
	return { requests, failures };
}

/** Cooldown after the n-th trip in a row: base, doubled per failed probe, capped. */
export function cooldownFor(trips: number, settings: CooldownSettings): number {
	const doublings = Math.min(Math.max(0, trips - 1), 40);
	return Math.min(Math.max(settings.cooldownMs, settings.maxCooldownMs), settings.cooldownMs * 2 ** doublings);
}

function trip(state: HostCooldownState, now: number, settings: CooldownSettings): HostCooldownState {
	const trips = state.trips + 1;
	return {
		phase: 'open',
		since: now,
		touchedAt: now,
		window: [],
		openUntil: now + cooldownFor(trips, settings),
		trips,
		probesInFlight: 0,
		probeSuccesses: 0,
		probeLeaseUntil: 0,
	};
}

function bucketSize(settings: CooldownSettings): number {
	return Math.max(1, Math.floor(settings.windowMs / Math.max(1, settings.bucketCount)));
}

function isInWindow(bucketStart: number, now: number, settings: CooldownSettings): boolean {
	return bucketStart + bucketSize(settings) > now - settings.windowMs && bucketStart <= now;
}

function addToWindow(window: WindowBucket[], now: number, settings: CooldownSettings, failure: boolean): WindowBucket[] {
	const size = bucketSize(settings);
	const start = Math.floor(now / size) * size;
	const kept = window.filter(([bucketStart]) => isInWindow(bucketStart, now, settings));
	const last = kept[kept.length - 1];
	if (last && last[0] === start) {
		return [...kept.slice(0, -1), [start, last[1] + 1, last[2] + (failure ? 1 : 0)]];
	}
	return [...kept, [start, 1, failure ? 1 : 0]];
}

const SEVERITY: Record<CooldownPhase, number> = { closed: 0, probing: 1, open: 2 };

/**
 * Two copies of one host's state (process-wide vs static data): two healthy copies → the more
 * recently touched one wins (newer). Otherwise the copy with the later phase transition wins,
 * because it saw what happened after the other one's last change (a trip after a close, or a
 * successful probe after a trip); with equal transition times the more severe phase wins, then the
 * later cooldown end.
 */
export function mergeHostStates(a: HostCooldownState, b: HostCooldownState): HostCooldownState {
	if (a.phase === 'closed' && b.phase === 'closed') return a.touchedAt >= b.touchedAt ? a : b;
	if (a.since !== b.since) return a.since > b.since ? a : b;
	if (a.phase !== b.phase) return SEVERITY[a.phase] > SEVERITY[b.phase] ? a : b;
	if (a.openUntil !== b.openUntil) return a.openUntil > b.openUntil ? a : b;
	return a.touchedAt >= b.touchedAt ? a : b;
}

/**
 * Drops hosts whose state says nothing a fresh state would not: healthy hosts with an empty window,
 * and open hosts whose cooldown ended longer than maxCooldownMs ago. Then keeps at most maxHosts,
 * evicting healthy, least recently touched hosts first, each with only the buckets still in the window.
 */
export function pruneHosts(
	hosts: Record<string, HostCooldownState>,
	now: number,
	settings: CooldownSettings,
): Record<string, HostCooldownState> {
	const alive = Object.entries(hosts).filter(([, state]) => {
		if (state.phase === 'closed') return now - state.touchedAt < settings.windowMs;
		return now - Math.max(state.openUntil, state.touchedAt) < Math.max(settings.maxCooldownMs, settings.windowMs);
	});
	alive.sort(([, a], [, b]) => SEVERITY[b.phase] - SEVERITY[a.phase] || b.touchedAt - a.touchedAt);
	const kept = alive.slice(0, Math.max(0, settings.maxHosts));
	kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const pruned: Record<string, HostCooldownState> = {};
	for (const [host, state] of kept) pruned[host] = withLiveBuckets(state, now, settings);
	return pruned;
}

/** Buckets that slid out of the window count for nothing; dropping them keeps a host's state small. */
function withLiveBuckets(state: HostCooldownState, now: number, settings: CooldownSettings): HostCooldownState {
	const window = state.window.filter(([start]) => isInWindow(start, now, settings));
	return window.length === state.window.length ? state : { ...state, window };
}

const MAX_BUCKETS = 1_000;

/** Accepts only a well-formed state; anything else (corrupt, foreign, older layout) is undefined. */
export function parseHostState(raw: unknown): HostCooldownState | undefined {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
	const value = raw as Record<string, unknown>;
	if (value.phase !== 'closed' && value.phase !== 'open' && value.phase !== 'probing') return undefined;
	const numbers = ['since', 'touchedAt', 'openUntil', 'trips', 'probesInFlight', 'probeSuccesses', 'probeLeaseUntil'] as const;
	for (const key of numbers) {
		const number = value[key];
		if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return undefined;
	}
	if (!Array.isArray(value.window) || value.window.length > MAX_BUCKETS) return undefined;
	const window: WindowBucket[] = [];
	for (const bucket of value.window as unknown[]) {
		if (
			!Array.isArray(bucket) ||
			bucket.length !== 3 ||
			!bucket.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) ||
			bucket[2] > bucket[1]
		) {
			return undefined;
		}
		window.push([bucket[0], bucket[1], bucket[2]]);
	}
	return {
		phase: value.phase,
		since: value.since as number,
		touchedAt: value.touchedAt as number,
		window,
		openUntil: value.openUntil as number,
		trips: value.trips as number,
		probesInFlight: value.probesInFlight as number,
		probeSuccesses: value.probeSuccesses as number,
		probeLeaseUntil: value.probeLeaseUntil as number,
	};
}
