import {
	DEFAULT_PACER_SETTINGS,
	initialPacerState,
	observeResponse,
	reserveSlot,
	type PacerState,
} from '../../nodes/shared/delivery/pacer';

const T0 = 1_800_000_000_000;
const settings = DEFAULT_PACER_SETTINGS;

function reserveMany(state: PacerState, count: number, at: number): { times: number[]; state: PacerState } {
	const times: number[] = [];
	let current = state;
	for (let i = 0; i < count; i++) {
		const slot = reserveSlot(current, at, settings);
		times.push(slot.sendAt - at);
		current = slot.state;
	}
	return { times, state: current };
}

describe('pacer', () => {
	it('does not pace a host that sent no hints', () => {
		expect(reserveMany(initialPacerState(T0), 5, T0).times).toEqual([0, 0, 0, 0, 0]);
	});

	it('does not pace while plenty remains', () => {
		const state = observeResponse(initialPacerState(T0), T0, { limit: 100, remaining: 80, resetAfterMs: 3000 });
		expect(reserveMany(state, 5, T0).times).toEqual([0, 0, 0, 0, 0]);
	});

	it('when the window is used up, later requests wait until the reset; the next window counts its grants too', () => {
		const state = observeResponse(initialPacerState(T0), T0, { limit: 3, remaining: 0, resetAfterMs: 2000 });
		const { times, state: after } = reserveMany(state, 4, T0);
		// Three fit in the window that opens at 2000 (its length learnt from the reset: 2000 ms); the
		// fourth, granted before any answer (concurrent sends), waits for the window after.
		expect(times).toEqual([2000, 2000, 2000, 4000]);
		expect(after.notBefore).toBe(T0 + 4000);
	});

	it('without a known window length, a window opened without an answer is not counted', () => {
		const state = { ...initialPacerState(T0), limit: 3, remaining: 0, resetAt: T0 + 2000 };
		expect(reserveMany(state, 4, T0).times).toEqual([2000, 2000, 2000, 2000]);
	});

	it('counts its own grants: remaining 2 means the third request waits for the reset', () => {
		const state = observeResponse(initialPacerState(T0), T0, { remaining: 2, resetAfterMs: 1000 });
		const { times } = reserveMany(state, 3, T0);
		expect(times[2]).toBe(1000);
		expect(times[0]).toBe(0);
	});

	it('spreads requests evenly over the time left when remaining runs low', () => {
		const state = observeResponse(initialPacerState(T0), T0, { limit: 100, remaining: 4, resetAfterMs: 4000 });
		expect(reserveMany(state, 5, T0).times).toEqual([0, 1000, 2000, 3000, 4000]);
	});

	it('after the reset time passes, pacing stops until the host says more', () => {
		const state = observeResponse(initialPacerState(T0), T0, { remaining: 0, resetAfterMs: 1000 });
		expect(reserveMany(state, 3, T0 + 1000).times).toEqual([0, 0, 0]);
	});

	it('a 429 Retry-After holds back the whole host', () => {
		const state = observeResponse(initialPacerState(T0), T0, { retryAfterMs: 1500 }, 1500);
		expect(reserveMany(state, 2, T0 + 500).times).toEqual([1000, 1000]);
	});

	it('never imposes more than maxWaitMs', () => {
		const state = observeResponse(initialPacerState(T0), T0, { remaining: 0, resetAfterMs: 86_400_000 });
		expect(reserveSlot(state, T0, { ...settings, maxWaitMs: 5000 }).sendAt).toBe(T0 + 5000);
	});
});
