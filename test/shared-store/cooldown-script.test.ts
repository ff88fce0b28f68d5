/**
 * The cooldown script in a real Redis, through both HTTP formats: it must decide exactly as the
 * in-process state machine (host-cooldown.ts) for one stream of admits and outcomes, and its
 * counts must be atomic when many callers record at once.
 */
import {
	admit,
	DEFAULT_COOLDOWN_SETTINGS,
	initialHostState,
	recordOutcome,
	releaseProbe,
	type CooldownSettings,
	type HostCooldownState,
} from '../../nodes/shared/delivery/host-cooldown';
import type { RedisHttpFormat } from '../../nodes/shared/delivery/shared-store/redis-http';
import { SharedCooldown } from '../../nodes/shared/delivery/shared-store/shared-cooldown';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';
import { clientFor } from './store-client';

const SETTINGS: CooldownSettings = {
	...DEFAULT_COOLDOWN_SETTINGS,
	windowMs: 10_000,
	bucketCount: 5,
	minRequests: 4,
	cooldownMs: 3_000,
	maxCooldownMs: 12_000,
	probeRequests: 2,
	probeLeaseMs: 5_000,
};

let store: RedisHttpStore;
beforeAll(async () => {
	store = await startRedisHttpStore({ upstash: true, ttlMs: 120_000 });
}, 30_000);
afterAll(async () => {
	await store?.close();
});

/** A seeded stream of steps: admit, then record a failure or success (or release) for what was admitted. */
function* steps(seed: number, count: number): Generator<{ advanceMs: number; failure: boolean; release: boolean }> {
	let state = seed;
	const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	for (let i = 0; i < count; i++) {
		yield { advanceMs: Math.floor(next() * 1_500), failure: next() < 0.6, release: next() < 0.05 };
	}
}

describe.each<RedisHttpFormat>(['webdis', 'upstash'])('cooldown script over %s', (format) => {
	it('decides as the in-process cooldown for 300 steps', async () => {
		const shared = new SharedCooldown(clientFor(store, format), `wf-diff-${format}`, SETTINGS, () => 0);
		let local: HostCooldownState = initialHostState(1_700_000_000_000);
		let now = 1_700_000_000_000;
		const decisions: string[] = [];
		for (const step of steps(7, 300)) {
			now += step.advanceMs;
			const fromLocal = admit(local, now, SETTINGS);
			local = fromLocal.state;
			const fromStore = await shared.admit('host.test', now);
			expect(fromStore.ok).toBe(true);
			if (!fromStore.ok) return;
			const expected = fromLocal.admission;
			const got = fromStore.value;
			expect(got.kind).toBe(expected.kind);
			if (expected.kind === 'defer' && got.kind === 'defer') expect(got.retryAt).toBe(expected.retryAt);
			if (expected.kind === 'send' && got.kind === 'send') expect(got.probe).toBe(expected.probe);
			decisions.push(expected.kind === 'send' ? (expected.probe ? 'probe' : 'send') : 'defer');
			if (expected.kind !== 'send') continue;
			now += 1;
			if (step.release && expected.probe) {
				local = releaseProbe(local);
				await shared.releaseProbe('host.test', now);
				continue;
			}
			local = recordOutcome(local, now, SETTINGS, step.failure, expected.probe);
			const recorded = await shared.record('host.test', now, step.failure, expected.probe);
			expect(recorded.ok && recorded.value.phase).toBe(local.phase);
		}
		// The stream must have gone through every phase, or it proves little.
		expect(decisions).toEqual(expect.arrayContaining(['send', 'defer', 'probe']));
	});

	it('trips once when 40 callers fail at once, and every caller then defers', async () => {
		const settings = { ...SETTINGS, minRequests: 10, cooldownMs: 60_000, maxCooldownMs: 60_000 };
		const now = Date.now();
		const callers = Array.from(
			{ length: 40 },
			() => new SharedCooldown(clientFor(store, format), `wf-burst-${format}`, settings, () => now),
		);
		const records = await Promise.all(callers.map((caller) => caller.record('burst.test', now, true, false)));
		const opens = records.filter((r) => r.ok && r.value.phase === 'open');
		// The 10th failure trips; the 30 after it find the host open and leave the trip as it is.
		expect(new Set(opens.map((r) => r.ok && r.value.openUntil)).size).toBe(1);
		expect(opens.every((r) => r.ok && r.value.trips === 1)).toBe(true);
		const admissions = await Promise.all(callers.map((caller) => caller.admit('burst.test', now + 1)));
		expect(admissions.every((a) => a.ok && a.value.kind === 'defer')).toBe(true);
	});
});

it('says why when the token or the password is wrong, and never echoes it', async () => {
	for (const format of ['webdis', 'upstash'] as const) {
		const wrong = `wrong-secret-${format}`;
		const shared = new SharedCooldown(clientFor(store, format, wrong), 'wf-auth', SETTINGS, () => 0);
		const answer = await shared.admit('host.test', Date.now());
		expect(answer).toEqual({ ok: false, reason: expect.stringMatching(/refused the credential \(HTTP 40[13]\)/) });
		expect(JSON.stringify(answer)).not.toContain(wrong);
	}
});
