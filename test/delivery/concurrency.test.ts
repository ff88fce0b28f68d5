import { sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../../nodes/shared/delivery/concurrency';

describe('mapWithConcurrency', () => {
	it('keeps input order and never exceeds the limit', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapWithConcurrency([30, 5, 20, 1, 10, 2], 3, async (ms, index) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await sleep(ms);
			inFlight--;
			return `${index}:${ms}`;
		});
		expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
		expect(peak).toBe(3);
	});

	it('handles empty input and silly limits', async () => {
		expect(await mapWithConcurrency([], 5, async () => 1)).toEqual([]);
		expect(await mapWithConcurrency([1, 2], 0, async (x) => x * 2)).toEqual([2, 4]);
		expect(await mapWithConcurrency([1, 2], Number.NaN, async (x) => x * 2)).toEqual([2, 4]);
	});

	it('after a failure starts nothing new and rejects with the first error once in-flight work settles', async () => {
		const started: number[] = [];
		let settled = 0;
		const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (i) => {
			started.push(i);
			if (i === 1) throw new Error('boom 1');
			await sleep(20);
			settled++;
			return i;
		});
		await expect(run).rejects.toThrow('boom 1');
		expect(started).toEqual([0, 1]);
		expect(settled).toBe(1);
	});

	it('a synchronous throw is a rejection too', async () => {
		await expect(
			mapWithConcurrency([1], 1, (() => {
				throw new Error('sync');
			}) as unknown as (x: number) => Promise<number>),
		).rejects.toThrow('sync');
	});
});
