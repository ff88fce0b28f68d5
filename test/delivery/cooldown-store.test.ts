import {
	CooldownStore,
	readPersistedHosts,
	STATIC_DATA_NAMESPACE,
	staticDataWasLoaded,
} from '../../nodes/shared/delivery/cooldown-store';
import {
	DEFAULT_COOLDOWN_SETTINGS,
	initialHostState,
	type CooldownSettings,
} from '../../nodes/shared/delivery/host-cooldown';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';

const settings: CooldownSettings = { ...DEFAULT_COOLDOWN_SETTINGS, minRequests: 4, cooldownMs: 1000, maxCooldownMs: 8000 };
const T0 = 1_800_000_000_000;

function trip(store: CooldownStore, host: string, at: number): void {
	for (let i = 0; i < 4; i++) store.record(host, at, true, false);
}

beforeEach(() => resetProcessState());

describe('CooldownStore', () => {
	it('uses exactly one namespaced key in static data, versioned', () => {
		expect(STATIC_DATA_NAMESPACE).toBe('n8n-nodes-braze-webhooks');
		const staticData: Record<string, unknown> = { somebodyElse: { x: 1 } };
		const store = new CooldownStore(staticData, 'wf-1', settings);
		trip(store, 'a.example', T0);
		expect(store.save(T0)).toBe(true);
		expect(Object.keys(staticData)).toEqual(['somebodyElse', STATIC_DATA_NAMESPACE]);
		const entry = staticData[STATIC_DATA_NAMESPACE] as { version: number; hosts: Record<string, { phase: string }> };
		expect(entry.version).toBe(1);
		expect(Object.keys(entry.hosts)).toEqual(['a.example']);
		expect(entry.hosts['a.example'].phase).toBe('open');
		expect(staticData.somebodyElse).toEqual({ x: 1 });
	});

	it('writes only when something changed', () => {
		const staticData: Record<string, unknown> = {};
		const store = new CooldownStore(staticData, 'wf-1', settings);
		expect(store.save(T0)).toBe(false);
		expect(staticData).toEqual({});
		trip(store, 'a.example', T0);
		expect(store.save(T0)).toBe(true);
		const written = staticData[STATIC_DATA_NAMESPACE];
		expect(store.save(T0 + 1)).toBe(false);
		expect(staticData[STATIC_DATA_NAMESPACE]).toBe(written);
		// a later execution that only reads (and is deferred) writes nothing either
		const next = new CooldownStore(JSON.parse(JSON.stringify(staticData)) as Record<string, unknown>, 'wf-1', settings);
		expect(next.peek('a.example', T0 + 10)).toEqual({ retryAt: T0 + 1000 });
		expect(next.save(T0 + 10)).toBe(false);
	});

	it('survives a restart through static data alone', () => {
		const staticData: Record<string, unknown> = {};
		const first = new CooldownStore(staticData, 'wf-1', settings);
		trip(first, 'a.example', T0);
		first.save(T0);
		resetProcessState();
		const afterRestart = new CooldownStore(JSON.parse(JSON.stringify(staticData)) as Record<string, unknown>, 'wf-1', settings);
		expect(afterRestart.peek('a.example', T0 + 500)).toEqual({ retryAt: T0 + 1000 });
	});

	it('shares live state between executions of one workflow in this process, not across workflows', () => {
		const a = new CooldownStore({}, 'wf-1', settings);
		const b = new CooldownStore({}, 'wf-1', settings);
		const other = new CooldownStore({}, 'wf-2', settings);
		trip(a, 'a.example', T0);
		expect(b.peek('a.example', T0 + 1)).toEqual({ retryAt: T0 + 1000 });
		expect(other.peek('a.example', T0 + 1)).toBeUndefined();
		// no workflow id (an unsaved workflow): nothing shared
		const unsaved = new CooldownStore({}, undefined, settings);
		trip(unsaved, 'b.example', T0);
		expect(new CooldownStore({}, undefined, settings).peek('b.example', T0 + 1)).toBeUndefined();
	});

	it('merges static data with the live copy on load: the newer or more severe state wins per host', () => {
		const live = new CooldownStore({}, 'wf-1', settings);
		live.record('healthy-live.example', T0 + 100, true, false);
		live.record('both.example', T0 + 100, false, false);
		// static data from another process: trips both.example later than the live copy last changed
		const persistedData: Record<string, unknown> = {};
		const persisted = new CooldownStore(persistedData, 'other-process', settings);
		persisted.record('healthy-live.example', T0 + 50, true, false);
		trip(persisted, 'both.example', T0 + 200);
		trip(persisted, 'only-static.example', T0 + 200);
		persisted.save(T0 + 200);
		const staticData = JSON.parse(JSON.stringify(persistedData)) as Record<string, unknown>;

		const merged = new CooldownStore(staticData, 'wf-1', settings);
		expect(merged.state('both.example')?.phase).toBe('open');
		expect(merged.state('only-static.example')?.phase).toBe('open');
		// two healthy copies: the more recently touched (live, T0 + 100) wins
		expect(merged.state('healthy-live.example')?.touchedAt).toBe(T0 + 100);
		// and the live copy now shows the merge to every other execution in the process
		expect(new CooldownStore({}, 'wf-1', settings).state('both.example')?.phase).toBe('open');
	});

	it.each([
		['a string', 'garbage'],
		['a foreign object', { counter: 3 }],
		['a future version', { version: 2, hosts: {} }],
		['hosts as an array', { version: 1, hosts: [] }],
	])('resets %s under the key instead of crashing', (_label, value) => {
		const staticData: Record<string, unknown> = { [STATIC_DATA_NAMESPACE]: value };
		const store = new CooldownStore(staticData, 'wf-1', settings);
		expect(store.admit('a.example', T0)).toEqual({ kind: 'send', probe: false });
		expect(store.save(T0)).toBe(true);
		expect(staticData[STATIC_DATA_NAMESPACE]).toEqual({ version: 1, hosts: {} });
	});

	it('drops only the corrupt host entries and keeps the good ones', () => {
		const good = { ...initialHostState(T0), phase: 'open', openUntil: T0 + 1000, trips: 1 };
		const hosts = readPersistedHosts({
			[STATIC_DATA_NAMESPACE]: { version: 1, hosts: { good: good, bad: { phase: 'open' }, worse: 7 } },
		});
		expect(Object.keys(hosts)).toEqual(['good']);
	});

	it('prunes idle hosts on save', () => {
		const staticData: Record<string, unknown> = {};
		const store = new CooldownStore(staticData, 'wf-1', settings);
		store.record('idle.example', T0, false, false);
		store.save(T0);
		expect(Object.keys(readPersistedHosts(staticData))).toEqual(['idle.example']);
		expect(store.save(T0 + settings.windowMs)).toBe(true);
		expect(readPersistedHosts(staticData)).toEqual({});
		expect(store.state('idle.example')).toBeUndefined();
	});
});

describe('static data that may not have been loaded (n8n queue-mode workers)', () => {
	const worker = { mode: 'webhook', workflowActive: false };

	it.each([
		['empty, production mode, inactive workflow (a queue-mode worker)', {}, worker, false],
		['empty, trigger mode, inactive workflow', {}, { mode: 'trigger', workflowActive: false }, false],
		['empty, active workflow (regular mode)', {}, { mode: 'webhook', workflowActive: true }, true],
		['empty, `n8n execute`', {}, { mode: 'cli', workflowActive: false }, true],
		['empty, manual run (never saved)', {}, { mode: 'manual', workflowActive: false }, true],
		['holding any entry (another node\'s counter)', { runs: 7 }, worker, true],
	])('%s', (_name, staticData, origin, loaded) => {
		expect(staticDataWasLoaded(staticData, origin)).toBe(loaded);
	});

	it('a store over static data that was not loaded writes nothing, yet keeps the cooldown in the process', () => {
		const staticData: Record<string, unknown> = {};
		const store = new CooldownStore(staticData, 'wf-q', settings, undefined, worker);
		expect(store.persists).toBe(false);
		trip(store, 'a.example', T0);
		expect(store.save(T0)).toBe(false);
		expect(staticData).toEqual({});
		const next = new CooldownStore({}, 'wf-q', settings, undefined, worker);
		expect(next.peek('a.example', T0 + 1)).toEqual({ retryAt: T0 + 1000 });
	});

	it('decides once, before its own writes: static data it filled itself is no evidence', () => {
		const staticData: Record<string, unknown> = {};
		const store = new CooldownStore(staticData, 'wf-q', settings, undefined, worker);
		staticData.someoneElse = 1;
		trip(store, 'a.example', T0);
		expect(store.save(T0)).toBe(false);
	});
});
