/**
 * The cooldown state in workflow static data may be corrupt, of an older shape, or huge (hand edits,
 * imports, older versions, a workflow that called thousands of hosts). The node must run, deliver,
 * and write back a well-formed, bounded state, leaving other keys of static data alone.
 */
import type { IDataObject } from 'n8n-workflow';

import { STATIC_DATA_NAMESPACE } from '../../nodes/shared/delivery/cooldown-store';
import {
	DEFAULT_COOLDOWN_SETTINGS,
	parseHostState,
	type HostCooldownState,
} from '../../nodes/shared/delivery/host-cooldown';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { StaticDataStore } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, runWebhook, statuses } from '../webhook/helpers';

let server: LoopbackServer;
let workflowCounter = 0;

beforeAll(async () => {
	server = await startLoopbackServer({ status: 200, body: { ok: true } });
});
afterAll(async () => server.close());
beforeEach(() => {
	resetProcessState();
});

const host = () => `127.0.0.1:${server.port}`;
const OTHER = { 'another-node': { cursor: 42, list: [1, 2, 3] } };

function openState(now: number, overrides: Partial<HostCooldownState> = {}): HostCooldownState {
	return {
		phase: 'open',
		since: now,
		touchedAt: now,
		window: [],
		openUntil: now + 60_000,
		trips: 1,
		probesInFlight: 0,
		probeSuccesses: 0,
		probeLeaseUntil: 0,
		...overrides,
	};
}

function closedState(now: number, buckets: number): HostCooldownState {
	const size = DEFAULT_COOLDOWN_SETTINGS.windowMs / DEFAULT_COOLDOWN_SETTINGS.bucketCount;
	const start = Math.floor(now / size) * size;
	return {
		phase: 'closed',
		since: now - 1000,
		touchedAt: now,
		// Oldest first, ending with the current bucket.
		window: Array.from({ length: buckets }, (_, i) => [start - (buckets - 1 - i) * size, 3, 1] as [number, number, number]),
		openUntil: 0,
		trips: 0,
		probesInFlight: 0,
		probeSuccesses: 0,
		probeLeaseUntil: 0,
	};
}

async function runWith(entry: unknown, items = 3) {
	const store = new StaticDataStore();
	store.saved = {
		global: { ...OTHER, [STATIC_DATA_NAMESPACE]: entry },
	} as IDataObject;
	const before = server.requests.length;
	const started = Date.now();
	const result = await runWebhook(
		{ url: `${server.url}/s?item={{\${user_id}}}` },
		Array.from({ length: items }, (_, i) => ({ user_id: `u${i}` })),
		{
			mode: 'trigger',
			staticData: store,
			workflowId: `ReliabilityStatic${++workflowCounter}`,
			onError: 'continueRegularOutput',
		},
	);
	const global = store.saved.global as IDataObject;
	return {
		result,
		sent: server.requests.length - before,
		ms: Date.now() - started,
		global,
		saved: global[STATIC_DATA_NAMESPACE] as {
			version: number;
			hosts: Record<string, unknown>;
		},
	};
}

/** Well formed: version 1, every host parses back to itself. */
function expectWellFormed(saved: { version: number; hosts: Record<string, unknown> }) {
	expect(Object.keys(saved).sort()).toEqual(['hosts', 'version']);
	expect(saved.version).toBe(1);
	for (const [name, state] of Object.entries(saved.hosts)) {
		expect(typeof name).toBe('string');
		expect(parseHostState(state)).toEqual(state);
	}
}

describe('static data that is corrupt or of an older shape: the node delivers and rewrites it', () => {
	const now = Date.now();
	const cases: Array<[string, () => unknown]> = [
		['a garbage string', () => 'ʕ•ᴥ•ʔ not json {'],
		['a number', () => 42],
		['null', () => null],
		['an array', () => [1, 'two', { three: 3 }]],
		['hosts as a string', () => ({ version: 1, hosts: 'x' })],
		['hosts as an array', () => ({ version: 1, hosts: [openState(now)] })],
		['a host state that is a string', () => ({ version: 1, hosts: { [host()]: 'open' } })],
		[
			'wrong types in a host state',
			() => ({
				version: 1,
				hosts: {
					[host()]: { ...openState(now), since: 'yesterday', trips: '1' },
				},
			}),
		],
		[
			'an unknown phase',
			() => ({
				version: 1,
				hosts: { [host()]: openState(now, { phase: 'half-open' as never }) },
			}),
		],
		[
			'a negative time',
			() => ({
				version: 1,
				hosts: { [host()]: openState(now, { openUntil: -5 }) },
			}),
		],
		[
			'a malformed window bucket',
			() => ({
				version: 1,
				hosts: { [host()]: openState(now, { window: [[now, 2]] as never }) },
			}),
		],
		[
			'a bucket with more failures than requests',
			() => ({
				version: 1,
				hosts: { [host()]: openState(now, { window: [[now, 1, 5]] }) },
			}),
		],
		['an older shape without a version', () => ({ hosts: { [host()]: openState(now) } })],
		['version 0', () => ({ version: 0, hosts: { [host()]: openState(now) } })],
		['a newer version', () => ({ version: 2, hosts: { [host()]: openState(now) } })],
		[
			'a flat legacy map of hosts',
			() => ({
				[host()]: { failures: 30, requests: 31, openUntil: now + 60_000 },
			}),
		],
	];

	it.each(cases)('%s', async (_name, entry) => {
		const { result, sent, saved, global } = await runWith(entry());
		expect(result.error).toBeUndefined();
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent', 'sent']);
		expect(sent).toBe(3);
		expectWellFormed(saved);
		expect(Object.keys(saved.hosts)).toEqual([host()]);
		expect(saved.hosts[host()]).toMatchObject({ phase: 'closed', trips: 0 });
		expect(global['another-node']).toEqual(OTHER['another-node']);
	});

	it('keeps a valid open host next to a corrupt one: its items are deferred, nothing is sent', async () => {
		const { result, sent, saved } = await runWith({
			version: 1,
			hosts: {
				[host()]: openState(Date.now()),
				'broken.example': { phase: 'open' },
				'x.example': [],
			},
		});
		expect(sent).toBe(0);
		expect(deliveries(result.outputs[0]).map((d) => [d.status, d.reason])).toEqual(Array(3).fill(['deferred', 'host-cooldown']));
		expectWellFormed(saved);
		expect(Object.keys(saved.hosts)).toEqual([host()]);
	});
});

describe('huge static data: the node recovers and bounds it', () => {
	it('5,300 hosts (300 open) are cut to the 200 most relevant, open ones first', async () => {
		const now = Date.now();
		const hosts: Record<string, HostCooldownState> = {};
		for (let i = 0; i < 5000; i++) hosts[`h${i}.example`] = closedState(now - i, 12);
		for (let i = 0; i < 300; i++) hosts[`open${i}.example`] = openState(now - i);
		const entry = { version: 1, hosts };
		const inputSize = JSON.stringify(entry).length;
		const { result, sent, saved, ms } = await runWith(entry);
		expect(result.error).toBeUndefined();
		expect(sent).toBe(3);
		expectWellFormed(saved);
		const kept = Object.keys(saved.hosts);
		expect(kept).toHaveLength(DEFAULT_COOLDOWN_SETTINGS.maxHosts);
		expect(kept.every((name) => name.startsWith('open'))).toBe(true);
		const outputSize = JSON.stringify(saved).length;
		expect(outputSize).toBeLessThan(60_000);
		process.stdout.write(
			`static data: ${Object.keys(hosts).length} hosts, ${inputSize} bytes → ${kept.length} hosts, ${outputSize} bytes in ${ms} ms\n`,
		);
	});

	it('a host with 1,000 stale window buckets is written back with its live buckets only', async () => {
		const now = Date.now();
		const stale = closedState(now, 1000);
		const { result, saved } = await runWith({
			version: 1,
			hosts: { [host()]: stale, 'other.example': closedState(now, 1000) },
		});
		expect(result.error).toBeUndefined();
		expectWellFormed(saved);
		for (const state of Object.values(saved.hosts) as HostCooldownState[]) {
			expect(state.window.length).toBeLessThanOrEqual(DEFAULT_COOLDOWN_SETTINGS.bucketCount + 1);
		}
		expect(JSON.stringify(saved).length).toBeLessThan(2_000);
	});

	it('a 5 MB string under the key is replaced by a small state', async () => {
		const { result, sent, saved } = await runWith('x'.repeat(5 * 1024 * 1024));
		expect(result.error).toBeUndefined();
		expect(sent).toBe(3);
		expectWellFormed(saved);
		expect(JSON.stringify(saved).length).toBeLessThan(1_000);
	});
});
