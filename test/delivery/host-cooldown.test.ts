import {
	admit,
	cooldownFor,
	countsAsHostFailure,
	DEFAULT_COOLDOWN_SETTINGS,
	initialHostState,
	mergeHostStates,
	parseHostState,
	peekAdmission,
	pruneHosts,
	recordOutcome,
	releaseProbe,
	windowTotals,
	type CooldownSettings,
	type HostCooldownState,
} from '../../nodes/shared/delivery/host-cooldown';

const settings: CooldownSettings = {
	...DEFAULT_COOLDOWN_SETTINGS,
	windowMs: 60_000,
	bucketCount: 12,
	minRequests: 10,
	cooldownMs: 60_000,
	maxCooldownMs: 300_000,
	probeRequests: 2,
	probeLeaseMs: 100_000,
};

const T0 = 1_800_000_000_000;

function feed(state: HostCooldownState, outcomes: boolean[], at: number): HostCooldownState {
	return outcomes.reduce((s, failure) => recordOutcome(s, at, settings, failure, false), state);
}

function tripped(at = T0): HostCooldownState {
	const state = feed(initialHostState(at), Array(10).fill(true), at);
	expect(state.phase).toBe('open');
	return state;
}

describe('what counts as a host failure', () => {
	it.each([408, 429, 502, 503, 504, 529])('%i counts', (statusCode) => {
		expect(countsAsHostFailure({ statusCode }, settings)).toBe(true);
	});
	it.each([200, 301, 400, 401, 404, 500, 501, 505])('%i does not', (statusCode) => {
		expect(countsAsHostFailure({ statusCode }, settings)).toBe(false);
	});
	it('timeouts and connection failures count unless switched off; the list is configurable', () => {
		expect(countsAsHostFailure({ transportFailure: 'timeout' }, settings)).toBe(true);
		expect(countsAsHostFailure({ transportFailure: 'connection' }, settings)).toBe(true);
		expect(countsAsHostFailure({ transportFailure: 'connection' }, { ...settings, countConnectionFailures: false })).toBe(false);
		expect(countsAsHostFailure({ statusCode: 500 }, { ...settings, failureStatusCodes: [500] })).toBe(true);
	});
});

describe('tripping', () => {
	it('does not trip below the minimum number of requests, however many fail', () => {
		const state = feed(initialHostState(T0), Array(9).fill(true), T0);
		expect(state.phase).toBe('closed');
		expect(windowTotals(state.window, T0, settings)).toEqual({ requests: 9, failures: 9 });
	});

	it('trips when failures are strictly more than half of at least minRequests', () => {
		const half = feed(initialHostState(T0), [false, false, false, false, false, true, true, true, true, true], T0);
		expect(half.phase).toBe('closed');
		const majority = recordOutcome(half, T0, settings, true, false);
		expect(majority).toMatchObject({ phase: 'open', since: T0, openUntil: T0 + 60_000, trips: 1, window: [] });
	});

	it('successes alone never trip', () => {
		expect(feed(initialHostState(T0), Array(50).fill(false), T0).phase).toBe('closed');
	});

	it('the window slides in whole buckets: failures older than the window stop counting', () => {
		const early = feed(initialHostState(T0), Array(9).fill(true), T0);
		// the bucket [T0, T0 + 5 s) still overlaps the window 64.999 s later, and no longer at 65 s
		expect(recordOutcome(early, T0 + 64_999, settings, true, false).phase).toBe('open');
		const state = recordOutcome(early, T0 + 65_000, settings, true, false);
		expect(state.phase).toBe('closed');
		expect(windowTotals(state.window, T0 + 65_000, settings)).toEqual({ requests: 1, failures: 1 });
		expect(state.window).toHaveLength(1);
	});

	it('buckets outcomes (windowMs / bucketCount)', () => {
		let state = initialHostState(T0);
		for (let i = 0; i < 8; i++) state = recordOutcome(state, T0 + i * 1000, settings, false, false);
		// 5 s buckets: T0 is a multiple of 5000, so 8 seconds fill 2 buckets
		expect(state.window.map(([, requests]) => requests)).toEqual([5, 3]);
	});
});

describe('cooldown, probe and recovery', () => {
	it('defers every request while open, with the time it may be retried', () => {
		const state = tripped();
		expect(admit(state, T0 + 59_999, settings)).toEqual({ state, admission: { kind: 'defer', retryAt: T0 + 60_000 } });
		expect(peekAdmission(state, T0 + 30_000, settings)).toEqual({ retryAt: T0 + 60_000 });
		expect(peekAdmission(undefined, T0, settings)).toBeUndefined();
	});

	it('after the cooldown admits a bounded number of probes and defers the rest', () => {
		let state = tripped();
		const first = admit(state, T0 + 60_000, settings);
		expect(first.admission).toEqual({ kind: 'send', probe: true });
		expect(first.state.phase).toBe('probing');
		const second = admit(first.state, T0 + 60_001, settings);
		expect(second.admission).toEqual({ kind: 'send', probe: true });
		state = second.state;
		const third = admit(state, T0 + 60_002, settings);
		expect(third.admission.kind).toBe('defer');
		expect(third.state.probesInFlight).toBe(2);
		// peeking does not take a probe slot
		const fresh = tripped();
		expect(peekAdmission(fresh, T0 + 60_000, settings)).toBeUndefined();
		expect(admit(fresh, T0 + 60_000, settings).state.probesInFlight).toBe(1);
	});

	it('closes once all probes succeed; the window starts afresh', () => {
		let state = tripped();
		state = admit(state, T0 + 60_000, settings).state;
		state = admit(state, T0 + 60_000, settings).state;
		state = recordOutcome(state, T0 + 60_100, settings, false, true);
		expect(state.phase).toBe('probing');
		expect(admit(state, T0 + 60_150, settings).admission.kind).toBe('defer');
		state = recordOutcome(state, T0 + 60_200, settings, false, true);
		expect(state).toEqual(initialHostState(T0 + 60_200));
		expect(admit(state, T0 + 60_300, settings).admission).toEqual({ kind: 'send', probe: false });
	});

	it('a failed probe reopens with a doubled cooldown, capped', () => {
		let state = tripped();
		let at = T0;
		const cooldowns: number[] = [];
		for (let round = 0; round < 6; round++) {
			at = state.openUntil;
			state = admit(state, at, settings).state;
			state = recordOutcome(state, at + 10, settings, true, true);
			expect(state.phase).toBe('open');
			cooldowns.push(state.openUntil - (at + 10));
		}
		expect(cooldowns).toEqual([120_000, 240_000, 300_000, 300_000, 300_000, 300_000]);
		expect(state.trips).toBe(7);
		expect([1, 2, 3, 4].map((trips) => cooldownFor(trips, settings))).toEqual([60_000, 120_000, 240_000, 300_000]);
		// and recovery brings the base cooldown back
		at = state.openUntil;
		state = admit(state, at, settings).state;
		state = admit(state, at, settings).state;
		state = recordOutcome(state, at, settings, false, true);
		state = recordOutcome(state, at, settings, false, true);
		expect(state.phase).toBe('closed');
		expect(feed(state, Array(10).fill(true), at + 1).openUntil).toBe(at + 1 + 60_000);
	});

	it('lapsed probe leases (a crashed execution) free their slots', () => {
		let state = tripped();
		state = admit(state, T0 + 60_000, settings).state;
		state = admit(state, T0 + 60_000, settings).state;
		expect(admit(state, T0 + 60_000 + 99_999, settings).admission.kind).toBe('defer');
		expect(admit(state, T0 + 60_000 + 100_000, settings).admission).toEqual({ kind: 'send', probe: true });
	});

	it('a probe that says nothing about health gives its slot back', () => {
		let state = tripped();
		state = admit(state, T0 + 60_000, settings).state;
		state = admit(state, T0 + 60_000, settings).state;
		state = releaseProbe(state);
		expect(state.probesInFlight).toBe(1);
		expect(admit(state, T0 + 60_001, settings).admission).toEqual({ kind: 'send', probe: true });
	});

	it('late answers to requests admitted before the trip do not change an open host', () => {
		const state = tripped();
		expect(recordOutcome(state, T0 + 10, settings, false, false)).toBe(state);
		expect(recordOutcome(state, T0 + 10, settings, true, true)).toBe(state);
	});
});

describe('mergeHostStates', () => {
	const closedFresh = initialHostState(T0);
	it('two healthy copies: the more recently touched one wins', () => {
		const older = feed(closedFresh, [true, true], T0 + 1000);
		const newer = feed(closedFresh, [true, true, true], T0 + 2000);
		expect(mergeHostStates(older, newer)).toBe(newer);
		expect(mergeHostStates(newer, older)).toBe(newer);
	});

	it('a trip after the other copy last changed wins; a recovery after a trip wins', () => {
		const open = tripped(T0 + 5000);
		const healthyBefore = feed(closedFresh, [false], T0 + 9000);
		expect(mergeHostStates(healthyBefore, open)).toBe(open);
		const recovered = initialHostState(T0 + 70_000);
		expect(mergeHostStates(open, recovered)).toBe(recovered);
	});

	it('equal transition times: the more severe state, then the later cooldown end', () => {
		const open = tripped(T0);
		const probing = { ...open, phase: 'probing' as const };
		expect(mergeHostStates(probing, open)).toBe(open);
		const longer = { ...open, openUntil: open.openUntil + 1 };
		expect(mergeHostStates(open, longer)).toBe(longer);
	});
});

describe('pruneHosts', () => {
	it('drops idle healthy hosts and long-expired open ones, keeps the rest', () => {
		const hosts = {
			'idle.example': feed(initialHostState(T0), [false], T0),
			'busy.example': feed(initialHostState(T0), [true], T0 + 50_000),
			'open.example': tripped(T0),
			'stale-open.example': tripped(T0 - 1_000_000),
		};
		expect(Object.keys(pruneHosts(hosts, T0 + 61_000, settings))).toEqual(['busy.example', 'open.example']);
	});

	it('caps the number of hosts, evicting healthy least recently used first', () => {
		const hosts: Record<string, HostCooldownState> = {};
		for (let i = 0; i < 5; i++) hosts[`h${i}`] = feed(initialHostState(T0), [false], T0 + i);
		hosts.open = tripped(T0);
		expect(Object.keys(pruneHosts(hosts, T0 + 10, { ...settings, maxHosts: 3 }))).toEqual(['h3', 'h4', 'open']);
	});
});

describe('parseHostState', () => {
	it('round-trips a real state through JSON', () => {
		const state = feed(tripped(), [], T0);
		expect(parseHostState(JSON.parse(JSON.stringify(state)))).toEqual(state);
	});

	it.each([
		null,
		'open',
		[],
		{},
		{ ...initialHostState(T0), phase: 'half-open' },
		{ ...initialHostState(T0), since: 'yesterday' },
		{ ...initialHostState(T0), trips: -1 },
		{ ...initialHostState(T0), openUntil: Number.NaN },
		{ ...initialHostState(T0), window: 'x' },
		{ ...initialHostState(T0), window: [[1, 2]] },
		{ ...initialHostState(T0), window: [[1, 2, 3]] },
	])('rejects %p', (raw) => {
		expect(parseHostState(raw)).toBeUndefined();
	});
});
