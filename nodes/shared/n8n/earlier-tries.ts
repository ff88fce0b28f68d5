/**
 * n8n's Retry On Fail (node Settings) runs the node again, within the same execution and on the same
 * input, when a try threw. Items that already have an outcome from an earlier try (delivered,
 * aborted, deferred) must come out with that outcome instead of being sent again; only the items
 * still failing are retried. The outcomes are kept in this process's memory per execution, node and
 * run of the node, only for nodes with Retry On Fail on, and released when the execution ends (where
 * n8n tells the node), when a try ends with no failed item, or else by age and least recent use.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { DeliveryFailure } from './item-errors';
import type { DeliveryJson } from './item-results';

/** An item's outcome in an earlier try; a failure is replayed, not retried. */
export interface EarlierOutcome {
	delivery: DeliveryJson;
	failure?: DeliveryFailure;
}

export interface EarlierTryLimits {
	/** Node runs (execution, node, run index) remembered at once. */
	maxRuns: number;
	/** Item outcomes remembered at once, all runs together. */
	maxItems: number;
	/** A run not used for this long is forgotten (n8n waits at most 5 s between tries). */
	idleMs: number;
}

export const DEFAULT_EARLIER_TRY_LIMITS: EarlierTryLimits = { maxRuns: 500, maxItems: 50_000, idleMs: 60 * 60_000 };

interface RememberedRun {
	usedAt: number;
	outcomes: Map<number, EarlierOutcome>;
}

/** Runs in least recently used order; the oldest go first past the limits. */
export class EarlierTryStore {
	private readonly runs = new Map<string, RememberedRun>();
	private items = 0;

	constructor(
		private readonly limits: EarlierTryLimits = DEFAULT_EARLIER_TRY_LIMITS,
		private readonly now: () => number = () => Date.now(),
	) {}

	/** Marks the run as used; returns true when it was not remembered yet. */
	open(runKey: string): boolean {
		const now = this.now();
		this.forgetIdle(now);
		const run = this.runs.get(runKey);
		this.runs.delete(runKey);
		this.runs.set(runKey, { usedAt: now, outcomes: run?.outcomes ?? new Map() });
		this.trim(runKey);
		return run === undefined;
	}

	recall(runKey: string, itemIndex: number): EarlierOutcome | undefined {
		return this.runs.get(runKey)?.outcomes.get(itemIndex);
	}

	/** Past the item limit with no other run left to drop, the run keeps what it has and no more. */
	remember(runKey: string, itemIndex: number, outcome: EarlierOutcome): void {
		const run = this.runs.get(runKey);
		if (!run) return;
		run.usedAt = this.now();
		if (!run.outcomes.has(itemIndex)) {
			this.trim(runKey, 1);
			if (this.items + 1 > this.limits.maxItems) return;
			this.items++;
		}
		run.outcomes.set(itemIndex, outcome);
	}

	release(runKey: string): void {
		const run = this.runs.get(runKey);
		if (!run) return;
		this.items -= run.outcomes.size;
		this.runs.delete(runKey);
	}

	size(): { runs: number; items: number } {
		return { runs: this.runs.size, items: this.items };
	}

	clear(): void {
		this.runs.clear();
		this.items = 0;
	}

	private forgetIdle(now: number): void {
		for (const [runKey, run] of this.runs) {
			if (now - run.usedAt > this.limits.idleMs) this.release(runKey);
		}
	}

	/** Drops the least recently used runs other than the one in use until `adding` more items fit. */
	private trim(inUse: string, adding = 0): void {
		for (const runKey of this.runs.keys()) {
			if (this.runs.size <= this.limits.maxRuns && this.items + adding <= this.limits.maxItems) return;
			if (runKey !== inUse) this.release(runKey);
		}
	}
}

const processStore = new EarlierTryStore();

/** Test seam: forgets every remembered outcome, as a restart of n8n would. */
export function resetEarlierTries(): void {
	processStore.clear();
}

/** Test seam: what the process remembers now. */
export function earlierTriesSize(): { runs: number; items: number } {
	return processStore.size();
}

/** One try's view of the outcomes of the earlier tries of the same node run. */
export interface EarlierTries {
	recall(itemIndex: number): EarlierOutcome | undefined;
	remember(itemIndex: number, outcome: EarlierOutcome): void;
	/** The try ended with no failed item: n8n will not run it again. */
	release(): void;
}

const NOTHING_REMEMBERED: EarlierTries = {
	recall: () => undefined,
	remember: () => undefined,
	release: () => undefined,
};

export function earlierTries(ctx: IExecuteFunctions, store: EarlierTryStore = processStore): EarlierTries {
	const node = ctx.getNode();
	const executionId = ctx.getExecutionId();
	if (node.retryOnFail !== true || !executionId) return NOTHING_REMEMBERED;
	// A node run again later in the same execution (a loop, an item back from a Wait node) is a new
	// run with its own outcomes; n8n's tries of one run share the run index.
	const runKey = `${executionId}\u0000${node.id}\u0000${runIndexOf(ctx)}`;
	if (store.open(runKey)) ctx.onExecutionFinish?.(() => store.release(runKey));
	return {
		recall: (itemIndex) => store.recall(runKey, itemIndex),
		remember: (itemIndex, outcome) => store.remember(runKey, itemIndex, outcome),
		release: () => store.release(runKey),
	};
}

export function runIndexOf(ctx: IExecuteFunctions): number {
	const runIndex = (ctx.getWorkflowDataProxy(0) as { $runIndex?: unknown }).$runIndex;
	return typeof runIndex === 'number' ? runIndex : 0;
}
