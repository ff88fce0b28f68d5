/**
 * The delivery state that outlives one execution: rate-limit pacers per workflow and host, and the
 * live host cooldown state per workflow, shared by every execution that runs in this n8n process.
 * Everything else the session keeps dies with the execution, and the cooldown state also goes to
 * workflow static data (see cooldown-store.ts).
 *
 * Across processes (queue-mode workers), the optional shared store in shared-store/ decides instead,
 * and this state is the fallback when that store cannot be reached.
 */
import type { HostCooldownState } from './host-cooldown';
import { initialPacerState, type PacerState } from './pacer';

/** One workflow's live cooldown state per host; the caller reads and writes it in place. */
export type CooldownHosts = Map<string, HostCooldownState>;

export interface HostStateStore {
	/** The pacer state for requests from this workflow to this host, fresh when none is kept. */
	pacer(workflowId: string | undefined, host: string, now: number): PacerState;
	setPacer(workflowId: string | undefined, host: string, state: PacerState): void;
	/** The live cooldown state of one workflow; an unsaved workflow (no id) gets a private map. */
	cooldownHosts(workflowId: string | undefined): CooldownHosts;
	/** Forgets everything, as a restart of n8n would. */
	clear(): void;
}

export const MAX_PACED_HOSTS = 2_000;
export const MAX_LIVE_WORKFLOWS = 500;

/** Both maps keep least recently used first and drop from the front past their bound. */
export class InProcessHostStateStore implements HostStateStore {
	private readonly pacers = new Map<string, PacerState>();
	private readonly liveByWorkflow = new Map<string, CooldownHosts>();

	pacer(workflowId: string | undefined, host: string, now: number): PacerState {
		return this.pacers.get(pacerKey(workflowId, host)) ?? initialPacerState(now);
	}

	setPacer(workflowId: string | undefined, host: string, state: PacerState): void {
		const key = pacerKey(workflowId, host);
		this.pacers.delete(key);
		this.pacers.set(key, state);
		while (this.pacers.size > MAX_PACED_HOSTS) {
			this.pacers.delete(this.pacers.keys().next().value as string);
		}
	}

	cooldownHosts(workflowId: string | undefined): CooldownHosts {
		if (!workflowId) return new Map();
		const existing = this.liveByWorkflow.get(workflowId);
		if (existing) {
			this.liveByWorkflow.delete(workflowId);
			this.liveByWorkflow.set(workflowId, existing);
			return existing;
		}
		const created: CooldownHosts = new Map();
		this.liveByWorkflow.set(workflowId, created);
		while (this.liveByWorkflow.size > MAX_LIVE_WORKFLOWS) {
			const oldest = this.liveByWorkflow.keys().next().value as string;
			this.liveByWorkflow.delete(oldest);
		}
		return created;
	}

	clear(): void {
		this.pacers.clear();
		this.liveByWorkflow.clear();
	}
}

function pacerKey(workflowId: string | undefined, host: string): string {
	return `${workflowId ?? ''}\u0000${host}`;
}

const processState: HostStateStore = new InProcessHostStateStore();

/** The store every delivery session in this process uses. */
export function hostStateStore(): HostStateStore {
	return processState;
}

/** Test seam: forgets all pacing and live cooldown state, as a restart of n8n would. */
export function resetProcessState(): void {
	processState.clear();
}
