/** The memory of earlier tries' outcomes stays bounded: runs, items, and idle age. */
import { EarlierTryStore } from '../../nodes/shared/n8n/earlier-tries';

const sent = { delivery: { status: 'sent' as const } };

describe('EarlierTryStore', () => {
	it('recalls an outcome within the run it was remembered in, and forgets it on release', () => {
		const store = new EarlierTryStore();
		expect(store.open('a')).toBe(true);
		expect(store.open('a')).toBe(false);
		store.remember('a', 2, sent);
		expect(store.recall('a', 2)).toEqual(sent);
		expect(store.recall('a', 1)).toBeUndefined();
		expect(store.recall('b', 2)).toBeUndefined();
		store.release('a');
		expect(store.recall('a', 2)).toBeUndefined();
		expect(store.size()).toEqual({ runs: 0, items: 0 });
	});

	it('remembers nothing for a run it did not open', () => {
		const store = new EarlierTryStore();
		store.remember('never-opened', 0, sent);
		expect(store.size()).toEqual({ runs: 0, items: 0 });
	});

	it('drops the least recently used run past the run limit', () => {
		const store = new EarlierTryStore({ maxRuns: 2, maxItems: 100, idleMs: 60_000 });
		for (const run of ['a', 'b']) {
			store.open(run);
			store.remember(run, 0, sent);
		}
		store.open('a');
		store.open('c');
		expect(store.recall('a', 0)).toEqual(sent);
		expect(store.recall('b', 0)).toBeUndefined();
		expect(store.size()).toEqual({ runs: 2, items: 1 });
	});

	it('drops other runs past the item limit; the run in use alone keeps what it has and no more', () => {
		const store = new EarlierTryStore({ maxRuns: 10, maxItems: 3, idleMs: 60_000 });
		store.open('old');
		store.remember('old', 0, sent);
		store.remember('old', 1, sent);
		store.open('new');
		store.remember('new', 0, sent);
		store.remember('new', 1, sent);
		expect(store.recall('old', 0)).toBeUndefined();
		expect(store.size()).toEqual({ runs: 1, items: 2 });
		store.remember('new', 2, sent);
		store.remember('new', 3, sent);
		expect(store.size()).toEqual({ runs: 1, items: 3 });
		expect(store.recall('new', 0)).toEqual(sent);
		expect(store.recall('new', 3)).toBeUndefined();
	});

	it('forgets runs idle for longer than the idle limit', () => {
		let now = 0;
		const store = new EarlierTryStore({ maxRuns: 10, maxItems: 100, idleMs: 1000 }, () => now);
		store.open('idle');
		store.remember('idle', 0, sent);
		now = 500;
		store.open('busy');
		store.remember('busy', 0, sent);
		now = 1200;
		store.open('busy');
		expect(store.recall('idle', 0)).toBeUndefined();
		expect(store.recall('busy', 0)).toEqual(sent);
	});
});
