import { backoffCeilingMs, fullJitterDelayMs, retryDelayMs } from '../../nodes/shared/delivery/backoff';

const settings = { initialDelayMs: 1000, maxDelayMs: 10_000 };

describe('full-jitter exponential backoff', () => {
	it('ceiling doubles per retry and stops at maxDelayMs', () => {
		expect([0, 1, 2, 3, 4, 5, 60].map((i) => backoffCeilingMs(i, settings))).toEqual([
			1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
		]);
	});

	it('draws uniformly from [0, ceiling] with the injected random source', () => {
		expect(fullJitterDelayMs(2, settings, () => 0)).toBe(0);
		expect(fullJitterDelayMs(2, settings, () => 0.5)).toBe(2000);
		expect(fullJitterDelayMs(2, settings, () => 0.999999)).toBe(3999);
		expect(fullJitterDelayMs(2, settings, () => 1)).toBe(4000);
	});

	it('stays within bounds for any random value, including broken ones', () => {
		for (const r of [-1, 0, 0.3, 0.9999, 1, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
			for (let retry = 0; retry < 8; retry++) {
				const delay = fullJitterDelayMs(retry, settings, () => r);
				expect(delay).toBeGreaterThanOrEqual(0);
				expect(delay).toBeLessThanOrEqual(backoffCeilingMs(retry, settings));
			}
		}
	});

	it('a hint only lengthens the wait, plus up to 10% spread', () => {
		expect(retryDelayMs(0, settings, () => 0, 5000)).toBe(5000);
		expect(retryDelayMs(0, settings, () => 1, 5000)).toBe(5500);
		// the backoff is longer than the hint: the backoff stands
		expect(retryDelayMs(3, settings, () => 1, 100)).toBe(8000);
		expect(retryDelayMs(3, settings, () => 0.5)).toBe(4000);
	});

	it('is deterministic for a seeded sequence', () => {
		const seeded = () => {
			const values = [0.1, 0.7, 0.25, 0.9];
			let i = 0;
			return () => values[i++ % values.length];
		};
		const schedule = (random: () => number) => [0, 1, 2, 3].map((retry) => fullJitterDelayMs(retry, settings, random));
		expect(schedule(seeded())).toEqual([100, 1400, 1000, 7200]);
		expect(schedule(seeded())).toEqual(schedule(seeded()));
	});
});
