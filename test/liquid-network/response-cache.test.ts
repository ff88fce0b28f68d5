import type { ConnectedContentAnswer } from '../../nodes/shared/liquid';
import { ResponseCache } from '../../nodes/shared/liquid-network/response-cache';

const ok = (body: string, statusCode = 200): ConnectedContentAnswer => ({ kind: 'response', statusCode, body, contentType: 'text/plain' });

describe('connected_content answer cache', () => {
	test('an answer is served until its max age, then fetched again', async () => {
		let now = 0;
		const cache = new ResponseCache(10, 1_000_000, () => now);
		let fetches = 0;
		const fetch = async () => ok(`v${++fetches}`);
		expect((await cache.answer('k', 300, fetch)).answer).toEqual(ok('v1'));
		now = 299_000;
		expect(await cache.answer('k', 300, fetch)).toEqual({ answer: ok('v1'), cached: true });
		now = 300_000;
		expect((await cache.answer('k', 300, fetch)).answer).toEqual(ok('v2'));
	});

	test('0 seconds: never cached, never shared', async () => {
		const cache = new ResponseCache();
		let fetches = 0;
		await Promise.all([1, 2, 3].map(() => cache.answer('k', 0, async () => ok(`v${++fetches}`))));
		expect(fetches).toBe(3);
		expect(cache.size).toBe(0);
	});

	test('items needing the same key share one fetch in flight', async () => {
		const cache = new ResponseCache();
		let fetches = 0;
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const fetch = async () => {
			fetches++;
			await gate;
			return ok('shared');
		};
		const waiting = Array.from({ length: 50 }, () => cache.answer('k', 300, fetch));
		release();
		const answers = await Promise.all(waiting);
		expect(fetches).toBe(1);
		expect(answers.filter((a) => !a.cached)).toHaveLength(1);
	});

	test('only 2XX answers are kept; failures are fetched again', async () => {
		const cache = new ResponseCache();
		let fetches = 0;
		await cache.answer('a', 300, async () => (++fetches, ok('x', 404)));
		await cache.answer('a', 300, async () => (++fetches, ok('x', 404)));
		await cache.answer('b', 300, async () => (++fetches, { kind: 'failed', retriable: true, host: 'h', lastAnswer: 'HTTP 503' }));
		await cache.answer('b', 300, async () => (++fetches, { kind: 'failed', retriable: true, host: 'h', lastAnswer: 'HTTP 503' }));
		expect(fetches).toBe(4);
	});

	test('bounded in entries and bytes: the least recently used go first', async () => {
		const cache = new ResponseCache(3, 1_000_000);
		for (const key of ['a', 'b', 'c']) await cache.answer(key, 300, async () => ok(key));
		await cache.answer('a', 300, async () => ok('never'));
		await cache.answer('d', 300, async () => ok('d'));
		expect(cache.size).toBe(3);
		expect((await cache.answer('b', 300, async () => ok('b2'))).answer).toEqual(ok('b2'));
		expect((await cache.answer('a', 300, async () => ok('never'))).cached).toBe(true);

		const small = new ResponseCache(100, 100);
		await small.answer('big', 300, async () => ok('x'.repeat(200)));
		expect(small.size).toBe(0);
		await small.answer('p', 300, async () => ok('y'.repeat(30)));
		await small.answer('q', 300, async () => ok('z'.repeat(30)));
		expect(small.size).toBe(1);
	});
});
