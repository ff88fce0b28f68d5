/** The pure parts behind the endpoint operations: packing, Braze's request pools, ordered concurrency. */
import { observeResponse, initialPacerState, reserveSlot, DEFAULT_PACER_SETTINGS } from '../../nodes/shared/delivery/pacer';
import { packEntries } from '../../nodes/BrazeToBraze/endpoints/packing';
import { ENDPOINTS, type EndpointEntry } from '../../nodes/BrazeToBraze/endpoints/spec';
import { RequestBudgets } from '../../nodes/BrazeToBraze/request-budgets';
import { runInUserOrder } from '../../nodes/BrazeToBraze/user-order';

const recipient = (itemIndex: number, user: string, canvas = 'c'): EndpointEntry => ({
	itemIndex,
	request: { canvas_id: canvas },
	listKey: 'recipients',
	entry: { external_user_id: user },
	users: [`external_id:${user}`],
});

describe('packEntries', () => {
	it('packs 50 per request, by request-level fields, never one user twice in a request', () => {
		const entries = [
			...Array.from({ length: 120 }, (_, i) => recipient(i, `u${i}`)),
			recipient(120, 'u0'),
			recipient(121, 'x', 'other'),
		];
		const batches = packEntries(entries, 50, ENDPOINTS.triggerCanvas.body);
		expect(batches.map((batch) => batch.itemIndexes.length)).toEqual([50, 50, 21, 1]);
		expect(batches[2].itemIndexes).toEqual([...Array.from({ length: 20 }, (_, i) => 100 + i), 120]);
		expect(batches[3].body).toEqual({ canvas_id: 'other', recipients: [{ external_user_id: 'x' }] });
		// A user twice: the second entry opens a new request, which later entries join.
		const twice = packEntries([recipient(0, 'a'), recipient(1, 'a'), recipient(2, 'b')], 50, ENDPOINTS.triggerCanvas.body);
		expect(twice.map((batch) => batch.itemIndexes)).toEqual([[0], [1, 2]]);
	});

	it('puts entries of different arrays in one request only where the endpoint takes them together, the cap over all arrays', () => {
		const identify = (itemIndex: number, listKey: string): EndpointEntry => ({ itemIndex, request: {}, listKey, entry: { external_id: `u${itemIndex}` }, users: [`external_id:u${itemIndex}`] });
		const entries = Array.from({ length: 5 }, (_, i) => identify(i, i % 2 === 0 ? 'aliases_to_identify' : 'emails_to_identify'));
		const shared = packEntries(entries, 3, ENDPOINTS.identifyUsers.body, true);
		expect(shared.map((batch) => batch.body)).toEqual([
			{ aliases_to_identify: [{ external_id: 'u0' }, { external_id: 'u2' }], emails_to_identify: [{ external_id: 'u1' }] },
			{ emails_to_identify: [{ external_id: 'u3' }], aliases_to_identify: [{ external_id: 'u4' }] },
		]);
		expect(packEntries(entries, 3, ENDPOINTS.identifyUsers.body).map((batch) => batch.itemIndexes)).toEqual([[0, 2, 4], [1, 3]]);
	});

	it('gives an entry without an array element (a broadcast) a request of its own', () => {
		const broadcast: EndpointEntry = { itemIndex: 0, request: { campaign_id: 'k', broadcast: true }, users: [] };
		const batches = packEntries([broadcast, { ...broadcast, itemIndex: 1 }], 50, ENDPOINTS.triggerCampaign.body);
		expect(batches.map((batch) => batch.body)).toEqual([
			{ campaign_id: 'k', broadcast: true },
			{ campaign_id: 'k', broadcast: true },
		]);
	});
});

describe('RequestBudgets', () => {
	it('lets a pool\'s requests through until it is full, then waits for the oldest to leave the window', () => {
		const budgets = new RequestBudgets();
		const pool = { key: 'p', requests: 3, windowMs: 60_000 };
		const audience = { key: 'a', requests: 2, windowMs: 60_000 };
		expect([0, 0, 0, 0].map((_, i) => budgets.reserve([pool], 1000 + i))).toEqual([1000, 1001, 1002, 61_000]);
		const other = new RequestBudgets();
		// The tighter pool (10 per minute per audience in Braze; 2 here) decides.
		expect([0, 0, 0].map(() => other.reserve([pool, audience], 0))).toEqual([0, 0, 60_000]);
	});
});

describe('runInUserOrder', () => {
	const tick = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

	it('runs batches of different users side by side and one user\'s batches in order', async () => {
		const tasks = [
			{ users: ['a'], ms: 5 },
			{ users: ['a'], ms: 40 },
			{ users: ['b'], ms: 1 },
			{ users: ['a', 'b'], ms: 1 },
			{ users: ['c'], ms: 1 },
		];
		const events: string[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		await runInUserOrder(tasks, 4, async (task, index) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			events.push(`start ${index}`);
			await tick(task.ms);
			events.push(`end ${index}`);
			inFlight--;
		});
		const at = (event: string) => events.indexOf(event);
		expect(at('start 1')).toBeGreaterThan(at('end 0'));
		expect(at('start 3')).toBeGreaterThan(at('end 1'));
		expect(at('start 3')).toBeGreaterThan(at('end 2'));
		// Task 2 (user b) and task 4 (user c) did not wait for user a's slow task 1.
		expect(at('end 2')).toBeLessThan(at('end 1'));
		expect(at('end 4')).toBeLessThan(at('end 1'));
		expect(maxInFlight).toBeGreaterThan(1);
	});

	it('spreads the fan-out after the first batch over its round trip, then lets slots run free', async () => {
		const pauses: number[] = [];
		const startedAt: number[] = [];
		await runInUserOrder(
			Array.from({ length: 12 }, (_, i) => ({ users: [`u${i}`] })),
			4,
			async (_task, index) => {
				startedAt[index] = Date.now();
				await tick(index === 0 ? 200 : 5);
			},
			() => true,
			async (ms) => {
				pauses.push(ms);
				await tick(ms);
			},
		);
		// Four slots, a first batch of 200 ms or more: the three batches that would leave with the
		// second one leave a quarter, a half and three quarters of that later (a timer may fire late,
		// never early; 5 ms for the clock's rounding). Later batches follow their slots, unpaused.
		expect(pauses).toHaveLength(3);
		const after = (index: number) => startedAt[index] - startedAt[1];
		expect(after(2)).toBeGreaterThanOrEqual(50 - 5);
		expect(after(3)).toBeGreaterThanOrEqual(100 - 5);
		expect(after(4)).toBeGreaterThanOrEqual(150 - 5);
		// Never more than the first batch's time in all (capped at 1 s), however slow the machine.
		expect(after(4)).toBeLessThan(startedAt[1] - startedAt[0] + 1000);
	});

	it('does not pause a launch that is already later than its place in the spread', async () => {
		const pauses: number[] = [];
		// One user: each batch waits for the one before, so the third leaves ~60 ms after the fan-out
		// began, past its place (40 ms: 2 × 80 ms / 4).
		await runInUserOrder(
			Array.from({ length: 4 }, () => ({ users: ['same'] })),
			4,
			async (_task, index) => {
				await tick(index === 0 ? 80 : 60);
			},
			() => true,
			async (ms) => {
				pauses.push(ms);
				await tick(ms);
			},
		);
		// Without the check all three would pause; one may, if the first batch's timer fired very late.
		expect(pauses.length).toBeLessThanOrEqual(1);
	});

	it('does not spread without a pause, nor when there is one slot', async () => {
		const pauses: number[] = [];
		const pause = async (ms: number) => {
			pauses.push(ms);
		};
		await runInUserOrder([{ users: [] }, { users: [] }, { users: [] }], 1, async () => {
			await tick(2);
		}, () => true, pause);
		expect(pauses).toEqual([]);
	});

	it('starts nothing more once told to stop', async () => {
		const started: number[] = [];
		await runInUserOrder(Array.from({ length: 10 }, () => ({ users: [] })), 2, async (_task, index) => {
			started.push(index);
			await tick(1);
		}, () => started.length < 3);
		expect(started.length).toBeLessThanOrEqual(4);
	});
});

describe('pacer under concurrent grants', () => {
	it('an answer about a window it already moved past does not reset its count', () => {
		const T0 = 1_000_000;
		let state = observeResponse(initialPacerState(T0), T0, { limit: 5, remaining: 4, resetAfterMs: 1000 });
		const times: number[] = [];
		for (let i = 0; i < 7; i++) {
			const slot = reserveSlot(state, T0, DEFAULT_PACER_SETTINGS);
			times.push(slot.sendAt - T0);
			state = slot.state;
		}
		expect(times).toEqual([0, 0, 0, 0, 1000, 1000, 1000]);
		// The answers of the first four arrive: they speak of the first window, already used up.
		for (let i = 3; i >= 0; i--) state = observeResponse(state, T0 + 30, { limit: 5, remaining: i, resetAfterMs: 1000 });
		const later = [0, 0, 0].map(() => {
			const slot = reserveSlot(state, T0 + 30, DEFAULT_PACER_SETTINGS);
			state = slot.state;
			return slot.sendAt - T0;
		});
		// Window 2 holds 3 already; 2 more fit, the next waits for window 3.
		expect(later).toEqual([1000, 1000, 2000]);
	});
});
