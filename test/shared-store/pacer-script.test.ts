/**
 * The pacer script in a real Redis (through Webdis) must pace exactly as the in-process pacer
 * (pacer.ts) for one stream of reservations and rate-limit answers.
 */
import { DEFAULT_PACER_SETTINGS, initialPacerState, observeResponse, reserveSlot, type PacerState } from '../../nodes/shared/delivery/pacer';
import type { RateLimitHints } from '../../nodes/shared/delivery/rate-limit-headers';
import { SharedCooldown } from '../../nodes/shared/delivery/shared-store/shared-cooldown';
import { DEFAULT_COOLDOWN_SETTINGS } from '../../nodes/shared/delivery/host-cooldown';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';
import { clientFor } from './store-client';

let store: RedisHttpStore;
beforeAll(async () => {
	store = await startRedisHttpStore({ ttlMs: 120_000 });
}, 30_000);
afterAll(async () => {
	await store?.close();
});

it('reserves the same slots as the in-process pacer for 300 steps', async () => {
	const settings = { ...DEFAULT_PACER_SETTINGS, maxWaitMs: 20_000 };
	const shared = new SharedCooldown(clientFor(store, 'webdis'), 'wf-pacer', DEFAULT_COOLDOWN_SETTINGS, () => 0);
	let seed = 11;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	let now = 1_700_000_000_000;
	let local: PacerState = initialPacerState(now);
	const waits: number[] = [];
	for (let step = 0; step < 300; step++) {
		now += Math.floor(random() * 400);
		const deadline = now + (random() < 0.2 ? 100 : 60_000);
		const slot = reserveSlot(local, now, settings);
		const over = slot.sendAt > now && slot.sendAt > deadline;
		if (!over) local = slot.state;
		const answer = await shared.reserveSlot('pace.test', now, settings, deadline);
		// 'idle' is a slot at once of a host that paces nothing (nothing to count).
		const kind = answer.ok && answer.value.kind === 'idle' ? 'slot' : answer.ok && answer.value.kind;
		expect({ kind, sendAt: answer.ok && answer.value.sendAt }).toEqual({ kind: over ? 'over' : 'slot', sendAt: slot.sendAt });
		waits.push(slot.sendAt - now);
		if (random() < 0.5) {
			const hints: RateLimitHints = {
				limit: 20,
				remaining: Math.floor(random() * 6),
				...(random() < 0.8 ? { resetAfterMs: Math.floor(random() * 5_000) } : {}),
			};
			const holdMs = random() < 0.1 ? Math.floor(random() * 3_000) : undefined;
			local = observeResponse(local, now, hints, holdMs);
			expect(await shared.observeResponse('pace.test', now, hints, holdMs)).toEqual({ ok: true, value: true });
		}
	}
	// The stream must have made requests wait, or it proves little.
	expect(waits.filter((wait) => wait > 0).length).toBeGreaterThan(20);
});
