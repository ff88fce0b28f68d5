/**
 * Where the per-host cooldown state lives.
 *
 * Workflow static data keeps it across executions and restarts, but n8n saves static data only for
 * production executions, loads a private copy per execution and lets the last execution to finish
 * overwrite the others. So a process-wide copy per workflow (kept in process-state.ts) is shared live
 * by concurrent executions in one n8n process; on load it is merged with static data (per host, see
 * mergeHostStates) and on save it is written back. Free of n8n: the caller hands in the static data
 * object.
 *
 * Static data is written back only where it was loaded (see staticDataWasLoaded): an n8n queue-mode
 * worker starts a new execution from empty static data yet saves the whole object when a node
 * changed it, so a write there would erase every other node's static data in the workflow.
 */
import {
	admit,
	initialHostState,
	mergeHostStates,
	parseHostState,
	peekAdmission,
	pruneHosts,
	recordOutcome,
	releaseProbe,
	type Admission,
	type CooldownSettings,
	type HostCooldownState,
} from './host-cooldown';
import { hostStateStore, type CooldownHosts, type HostStateStore } from './process-state';

/** The one key this package owns in `getWorkflowStaticData('global')`. */
export const STATIC_DATA_NAMESPACE = 'n8n-nodes-braze-webhooks';
export const STATE_VERSION = 1;

export interface PersistedDeliveryState {
	version: typeof STATE_VERSION;
	hosts: Record<string, HostCooldownState>;
}

/** Reads this package's entry from static data; anything malformed under the key reads as empty. */
export function readPersistedHosts(staticData: Record<string, unknown>): Record<string, HostCooldownState> {
	const entry = staticData[STATIC_DATA_NAMESPACE];
	const hosts: Record<string, HostCooldownState> = {};
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return hosts;
	const { version, hosts: rawHosts } = entry as { version?: unknown; hosts?: unknown };
	if (version !== STATE_VERSION || typeof rawHosts !== 'object' || rawHosts === null || Array.isArray(rawHosts)) {
		return hosts;
	}
	for (const [host, raw] of Object.entries(rawHosts as Record<string, unknown>)) {
		const state = parseHostState(raw);
		if (state) hosts[host] = state;
	}
	return hosts;
}

/** What the execution tells about the static data it was handed. */
export interface StaticDataOrigin {
	/** The execution mode (n8n's `getMode()`). */
	mode: string;
	/** Whether the workflow object reports itself active (n8n's `getWorkflow().active`). */
	workflowActive: boolean | undefined;
}

/**
 * Whether writing static data cannot replace entries this execution was not given. True when:
 * - it holds entries already: it was loaded, or a node earlier in this execution changed it, and then
 *   n8n saves the whole object anyway;
 * - the run is manual: n8n never saves static data of manual runs;
 * - the run is `n8n execute` (cli), which loads the stored static data in the process it runs in;
 * - the workflow reports itself active: n8n builds such a workflow from its stored row, static data
 *   included. A queue-mode worker builds it from the execution's snapshot, which carries neither
 *   `active` nor `staticData` (n8n 2.41), so there the answer is false.
 */
export function staticDataWasLoaded(staticData: Record<string, unknown>, origin: StaticDataOrigin): boolean {
	if (Object.keys(staticData).length > 0) return true;
	return origin.mode === 'manual' || origin.mode === 'cli' || origin.workflowActive === true;
}

/**
 * The hosts of each workflow whose pause this process took over from the shared store. A pause not
 * in it was decided here alone (the store was unreachable when the host tripped).
 */
const adoptedFromStore = new WeakMap<CooldownHosts, Set<string>>();

export class CooldownStore {
	private readonly hosts: CooldownHosts;
	private readonly adopted: Set<string>;
	private readonly mayWrite: boolean;

	/** `origin` undefined: the static data is known to be loaded (tests, regular mode only callers). */
	constructor(
		private readonly staticData: Record<string, unknown>,
		workflowId: string | undefined,
		private readonly settings: CooldownSettings,
		shared: HostStateStore = hostStateStore(),
		origin?: StaticDataOrigin,
	) {
		this.mayWrite = origin === undefined || staticDataWasLoaded(staticData, origin);
		this.hosts = shared.cooldownHosts(workflowId);
		this.adopted = adoptedFromStore.get(this.hosts) ?? new Set();
		adoptedFromStore.set(this.hosts, this.adopted);
		for (const [host, persisted] of Object.entries(readPersistedHosts(staticData))) {
			const live = this.hosts.get(host);
			this.hosts.set(host, live ? mergeHostStates(live, persisted) : persisted);
		}
	}

	state(host: string): HostCooldownState | undefined {
		return this.hosts.get(host);
	}

	peek(host: string, now: number): { retryAt: number } | undefined {
		return peekAdmission(this.hosts.get(host), now, this.settings);
	}

	admit(host: string, now: number): Admission {
		const current = this.hosts.get(host);
		if (!current) return { kind: 'send', probe: false };
		const { state, admission } = admit(current, now, this.settings);
		if (state !== current) this.hosts.set(host, state);
		return admission;
	}

	record(host: string, now: number, failure: boolean, probe: boolean): void {
		const current = this.hosts.get(host) ?? initialHostState(now);
		const next = recordOutcome(current, now, this.settings, failure, probe);
		if (next.phase !== current.phase) this.adopted.delete(host);
		this.hosts.set(host, next);
	}

	/** Whether the host's pause came from the shared store (else this process decided it alone). */
	pausedByStore(host: string): boolean {
		return this.adopted.has(host);
	}

	/**
	 * Takes over a trip the shared store reports, so this process defers without asking the store,
	 * and still knows of the trip if the store goes away.
	 */
	adoptOpen(host: string, openUntil: number, trips: number, now: number): void {
		const current = this.hosts.get(host);
		this.adopted.add(host);
		if (current?.phase === 'open' && current.openUntil >= openUntil) return;
		this.hosts.set(host, { ...initialHostState(now), phase: 'open', openUntil, trips });
	}

	/** The shared store closed the host again (its probes succeeded): so does this process. */
	adoptClosed(host: string, now: number): void {
		const current = this.hosts.get(host);
		this.adopted.delete(host);
		if (current && current.phase !== 'closed') this.hosts.set(host, initialHostState(now));
	}

	releaseProbe(host: string): void {
		const current = this.hosts.get(host);
		if (current) this.hosts.set(host, releaseProbe(current));
	}

	/** Whether save() may write static data (see staticDataWasLoaded). */
	get persists(): boolean {
		return this.mayWrite;
	}

	/**
	 * Prunes, then writes the state into static data only when it differs from what is there and
	 * the static data was loaded: n8n saves static data only when a node changed it. Returns whether
	 * it wrote. The process-wide copy is kept either way.
	 */
	save(now: number): boolean {
		const pruned = pruneHosts(Object.fromEntries(this.hosts), now, this.settings);
		for (const host of [...this.hosts.keys()]) {
			if (!(host in pruned)) this.hosts.delete(host);
		}
		if (!this.mayWrite) return false;
		const hasEntry = this.staticData[STATIC_DATA_NAMESPACE] !== undefined;
		if (!hasEntry && Object.keys(pruned).length === 0) return false;
		const hosts: Record<string, HostCooldownState> = {};
		// parseHostState copies with a fixed field order, so equal states serialise equally.
		for (const [host, state] of Object.entries(pruned)) hosts[host] = parseHostState(state) ?? state;
		const next: PersistedDeliveryState = { version: STATE_VERSION, hosts };
		if (hasEntry && JSON.stringify(this.staticData[STATIC_DATA_NAMESPACE]) === JSON.stringify(next)) return false;
		this.staticData[STATIC_DATA_NAMESPACE] = JSON.parse(JSON.stringify(next)) as PersistedDeliveryState;
		return true;
	}
}
