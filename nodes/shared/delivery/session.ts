/**
 * The n8n-facing part of delivery: sends one request with Braze's retry rules, consulting the host
 * cooldown and the rate-limit pacer before every attempt. Every wait is `sleep` on the execution's
 * cancel signal, so cancelling the execution stops it. One send is a loop of three steps: admit or
 * defer, attempt (attempt.ts), judge (judge.ts); the results it ends in are built in results.ts.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { attempt, type AttemptOutcome } from './attempt';
import { requestForAttempt, type SendRequest } from './attempt-headers';
import { retryDelayMs } from './backoff';
import { CooldownStore } from './cooldown-store';
import { countsAsHostFailure } from './host-cooldown';
import { judgeAttempt } from './judge';
import { DEFAULT_PACER_SETTINGS, observeResponse, reserveSlot, type PacerSettings } from './pacer';
import { hostStateStore, type HostStateStore } from './process-state';
import { parseRateLimitHeaders, retryHintMs, type RateLimitHints } from './rate-limit-headers';
import { RequestSlots } from './request-slots';
import { statusFor, type SharedCooldown } from './shared-store/shared-cooldown';
import {
	deferredForCooldown,
	deferredForRateLimit,
	deferredForWaitBudget,
	invalidUrl,
	notSent,
	retriesExhausted,
	type DeliveryResult,
	type SendProgress,
} from './results';
import type { DeliverySettings } from './settings';
import type { TransportName } from './transport/types';

export interface DeliverySessionOptions {
	random?: () => number;
	now?: () => number;
	/** Requests on the wire at once; items sleeping through a backoff do not count. Default: no limit. */
	maxConcurrentRequests?: number;
	/** The cooldown shared with other n8n processes, or why it cannot be used in this run. */
	sharedCooldown?: { cooldown?: SharedCooldown; unavailable?: string };
}

/** Where one send stands between its steps. */
interface SendRun extends SendProgress {
	startedAt: number;
	maxRetries?: number;
	transport?: TransportName;
	/** Why the shared cooldown store could not be used for this send. */
	storeProblem?: string;
}

type CooldownAdmission = { kind: 'send'; probe: boolean; shared: boolean } | { kind: 'defer'; retryAt: number };

/** Who admitted an attempt: the shared store or this process's cooldown, and whether as a probe. */
interface AdmittedBy {
	probe: boolean;
	shared: boolean;
}

/** A step either ends the send with a result or lets it go on. */
type Step<Next> = { ended: DeliveryResult } | Next;

export const MANUAL_MODE_HINT =
	'Host cooldown state from manual executions is not saved with the workflow: n8n saves workflow static data only for production executions. It lasts in this n8n process until a restart.';

export const NOT_LOADED_HINT =
	'Host cooldown state was not written to workflow static data: this execution was not handed the stored static data (n8n queue mode workers start from empty static data), and writing it would erase other nodes\' static data. The cooldown lasts in this worker process until a restart.';

export class DeliverySession {
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly startedAt: number;
	private readonly workflowId: string | undefined;
	private readonly hostState: HostStateStore = hostStateStore();
	private readonly store: CooldownStore | undefined;
	private readonly pacerSettings: PacerSettings;
	private readonly slots: RequestSlots | undefined;
	private readonly shared: SharedCooldown | undefined;
	/** Set when a shared store is configured: why it cannot be used at all in this run. */
	private readonly sharedUnavailable: string | undefined;
	private stopped = false;
	private finished = false;
	/** Whether the cooldown deferred an item, probed a host or left one paused in this run. */
	private cooldownActed = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: DeliverySettings,
		options: DeliverySessionOptions = {},
	) {
		this.now = options.now ?? (() => Date.now());
		this.random = options.random ?? Math.random;
		this.startedAt = this.now();
		this.slots = options.maxConcurrentRequests ? new RequestSlots(options.maxConcurrentRequests) : undefined;
		const workflow = ctx.getWorkflow();
		this.workflowId = workflow.id;
		this.pacerSettings = { ...DEFAULT_PACER_SETTINGS, maxWaitMs: settings.maxHintMs };
		this.store = settings.cooldown.enabled
			? new CooldownStore(ctx.getWorkflowStaticData('global'), this.workflowId, settings.cooldown, this.hostState, {
					mode: ctx.getMode(),
					workflowActive: workflow.active,
				})
			: undefined;
		this.shared = options.sharedCooldown?.cooldown;
		this.sharedUnavailable = options.sharedCooldown?.unavailable;
	}

	async send(request: SendRequest): Promise<DeliveryResult> {
		const startedAt = this.now();
		const host = hostOf(request.url);
		if (host === undefined) return invalidUrl();
		const run: SendRun = { host, startedAt, attempts: 0, lastFailure: '', maxRetries: request.maxRetries };
		for (;;) {
			const admitted = await this.admitOrDefer(run);
			if ('ended' in admitted) return this.withTransport(run, admitted.ended);
			const { probe, shared } = admitted;
			run.attempts++;
			let outcome: AttemptOutcome;
			let answeredAt: number;
			let hintMs: number | undefined;
			// The slot is held until the outcome is recorded (with the shared store, a request away), so
			// the next request's admission sees it.
			try {
				outcome = await attempt(this.ctx, requestForAttempt(request, this.now()), this.settings);
				run.transport = outcome.transport;
				answeredAt = this.now();
				hintMs = await this.recordWithHost(run, outcome, answeredAt, { probe, shared });
			} finally {
				this.slots?.release();
			}
			const ended = judgeAttempt(run, outcome, answeredAt - run.startedAt);
			if (ended) return this.withTransport(run, ended);
			const retry = this.retryOrGiveUp(run, answeredAt, hintMs);
			if ('ended' in retry) return this.withTransport(run, retry.ended);
			await this.wait(retry.delayMs);
		}
	}

	/**
	 * With Reuse Connections on, the result says which transport the last attempt took; with a shared
	 * cooldown store, whether this send could use it.
	 */
	private withTransport(run: SendRun, result: DeliveryResult): DeliveryResult {
		const withWire = this.settings.reuseConnections && run.transport ? { ...result, transport: run.transport } : result;
		if (!this.shared && this.sharedUnavailable === undefined) return withWire;
		return { ...withWire, cooldownStore: statusFor(this.sharedUnavailable ?? run.storeProblem) };
	}

	/**
	 * Sends nothing more: attempts not yet on the wire end as failed 'stopped' results. For a node
	 * that stops the workflow at its first permanent failure.
	 */
	stop(): void {
		this.stopped = true;
	}

	/**
	 * Writes the cooldown state back (static data and the process-wide copy) and, in a manual run
	 * where the cooldown acted, tells the user it will not be kept. Call once, after the last send,
	 * also when sends failed.
	 */
	finish(): void {
		if (this.finished) return;
		this.finished = true;
		if (!this.store) return;
		this.store.save(this.now());
		if (!this.cooldownActed) return;
		if (this.ctx.getMode() === 'manual') {
			this.ctx.addExecutionHints({ message: MANUAL_MODE_HINT, type: 'info', location: 'outputPane' });
		} else if (!this.store.persists) {
			this.ctx.addExecutionHints({ message: NOT_LOADED_HINT, type: 'info', location: 'outputPane' });
		}
	}

	/**
	 * Holds the send until the host's pacer and a request slot let it go, and the host's cooldown
	 * admits it (as a probe while the host recovers). A held slot is released by the caller.
	 */
	private async admitOrDefer(run: SendRun): Promise<Step<{ probe: boolean; shared: boolean }>> {
		if (this.stopped) return { ended: this.stoppedResult(run) };
		// A trip seen in the shared store is kept here too, so deferring needs no request to the store.
		// A pause this process decided alone (the store was down, or it was read from static data) is
		// put to the store, which has the last word when it answers.
		const blocked = this.store?.peek(run.host, this.now());
		if (blocked && (!this.shared || this.store?.pausedByStore(run.host))) {
			run.storeProblem ??= this.shared?.unavailableReason();
			return { ended: this.deferredByCooldown(run, blocked.retryAt) };
		}
		const overBudget = await this.waitForPacing(run);
		if (overBudget) return { ended: overBudget };

		// The cooldown is consulted once a slot is free: the requests ahead may have tripped it.
		if (this.slots) await this.slots.acquire();
		if (this.stopped) {
			this.slots?.release();
			return { ended: this.stoppedResult(run) };
		}
		const admission = await this.admitWithCooldown(run);
		if (admission.kind === 'defer') {
			this.slots?.release();
			return { ended: this.deferredByCooldown(run, admission.retryAt) };
		}
		if (admission.probe) this.cooldownActed = true;
		return { probe: admission.probe, shared: admission.shared };
	}

	/** The shared store decides when it answers; else this process's cooldown does. */
	private async admitWithCooldown(run: SendRun): Promise<CooldownAdmission> {
		if (!this.store) return { kind: 'send', probe: false, shared: false };
		if (this.shared) {
			const now = this.now();
			const answer = await this.shared.admit(run.host, now);
			if (answer.ok) {
				const admission = answer.value;
				if (admission.kind === 'send') return { ...admission, shared: true };
				if (admission.phase === 'open') this.store.adoptOpen(run.host, admission.retryAt, admission.trips, now);
				return admission;
			}
			run.storeProblem = answer.reason;
		}
		const local = this.store.admit(run.host, this.now());
		return local.kind === 'send' ? { ...local, shared: false } : local;
	}

	private deferredByCooldown(run: SendRun, retryAt: number): DeliveryResult {
		this.cooldownActed = true;
		return deferredForCooldown(run, retryAt);
	}

	/**
	 * Tells the host's cooldown how the attempt went: the shared store when it admitted the attempt
	 * (this process keeps a copy of its verdict), else this process's. A host left paused counts as
	 * the cooldown acting.
	 */
	private async recordWithCooldown(run: SendRun, at: number, failure: boolean, admitted: AdmittedBy): Promise<void> {
		if (!this.store) return;
		let { probe } = admitted;
		if (admitted.shared && this.shared) {
			const answer = await this.shared.record(run.host, at, failure, probe);
			if (answer.ok) {
				const { phase, openUntil, trips } = answer.value;
				if (phase === 'open') this.store.adoptOpen(run.host, openUntil, trips, at);
				if (phase === 'closed') this.store.adoptClosed(run.host, at);
				if (phase !== 'closed') this.cooldownActed = true;
				return;
			}
			run.storeProblem = answer.reason;
			// This process handed out no probe slot for the attempt.
			probe = false;
		}
		this.store.record(run.host, at, failure, probe);
		if (this.store.state(run.host)?.phase !== 'closed') this.cooldownActed = true;
	}

	private async releaseProbe(run: SendRun, admitted: AdmittedBy): Promise<void> {
		if (!admitted.probe) return;
		if (admitted.shared && this.shared) {
			const answer = await this.shared.releaseProbe(run.host, this.now());
			if (!answer.ok) run.storeProblem = answer.reason;
			return;
		}
		this.store?.releaseProbe(run.host);
	}

	/**
	 * Waits for the pacer's slot (the shared store's when it answers, else this process's); a slot
	 * beyond the wait budget defers the send instead.
	 */
	private async waitForPacing(run: SendRun): Promise<DeliveryResult | undefined> {
		const beforePacing = this.now();
		if (this.shared) {
			const deadline = this.startedAt + this.settings.waitBudgetMs;
			const answer = await this.shared.reserveSlot(run.host, beforePacing, this.pacerSettings, deadline);
			if (answer.ok) {
				const { kind, sendAt } = answer.value;
				if (kind === 'over') return deferredForRateLimit(run, sendAt);
				if (sendAt > beforePacing) await this.wait(sendAt - beforePacing);
				return undefined;
			}
			run.storeProblem = answer.reason;
		}
		const pacer = this.hostState.pacer(this.workflowId, run.host, beforePacing);
		const slot = reserveSlot(pacer, beforePacing, this.pacerSettings);
		if (slot.sendAt > beforePacing && slot.sendAt - this.startedAt > this.settings.waitBudgetMs) {
			return deferredForRateLimit(run, slot.sendAt);
		}
		this.hostState.setPacer(this.workflowId, run.host, slot.state);
		if (slot.sendAt > beforePacing) await this.wait(slot.sendAt - beforePacing);
		return undefined;
	}

	/**
	 * Tells the host's pacer and cooldown how the attempt went. Returns the response's capped retry
	 * hint, which the next backoff honours.
	 */
	private async recordWithHost(
		run: SendRun,
		outcome: AttemptOutcome,
		answeredAt: number,
		admitted: AdmittedBy,
	): Promise<number | undefined> {
		const { host } = run;
		if (outcome.kind === 'error') {
			const { kind } = outcome.error;
			if (kind === 'other') {
				await this.releaseProbe(run, admitted);
				return undefined;
			}
			const failure = countsAsHostFailure({ transportFailure: kind }, this.settings.cooldown);
			await this.recordWithCooldown(run, answeredAt, failure, admitted);
			return undefined;
		}
		const { response } = outcome;
		const hints = capHints(parseRateLimitHeaders(response.headers, answeredAt), this.settings.maxHintMs);
		const hintMs = retryHintMs(hints, response.statusCode, this.settings.maxHintMs);
		const holdsHost = response.statusCode === 429 || response.statusCode === 503;
		const holdMs = holdsHost ? hintMs : undefined;
		const pacer = this.hostState.pacer(this.workflowId, host, answeredAt);
		// Kept here too: this process paces by it when the shared store goes away.
		this.hostState.setPacer(this.workflowId, host, observeResponse(pacer, answeredAt, hints, holdMs));
		// An answer without rate-limit headers or a hold changes no pacing: no request to the store.
		const saysSomething = holdMs !== undefined || Object.values(hints).some((value) => value !== undefined);
		if (this.shared && saysSomething) {
			const observed = await this.shared.observeResponse(host, answeredAt, hints, holdMs);
			if (!observed.ok) run.storeProblem = observed.reason;
		}
		const failure = countsAsHostFailure({ statusCode: response.statusCode }, this.settings.cooldown);
		await this.recordWithCooldown(run, answeredAt, failure, admitted);
		return hintMs;
	}

	/** Gives up past the retry limit or when the next attempt is due beyond the wait budget. */
	private retryOrGiveUp(run: SendRun, answeredAt: number, hintMs: number | undefined): Step<{ delayMs: number }> {
		if (run.attempts > (run.maxRetries ?? this.settings.maxRetries)) {
			return { ended: retriesExhausted(run, answeredAt - run.startedAt) };
		}
		const delayMs = retryDelayMs(run.attempts - 1, this.settings, this.random, hintMs);
		const retryAt = answeredAt + delayMs;
		if (retryAt - this.startedAt > this.settings.waitBudgetMs) {
			return { ended: deferredForWaitBudget(run, retryAt) };
		}
		return { delayMs };
	}

	private stoppedResult(run: SendRun): DeliveryResult {
		return notSent(run.attempts, this.now() - run.startedAt);
	}

	/** Waits `ms`, or less when the execution is cancelled (after which nothing new should start). */
	async pause(ms: number): Promise<void> {
		await this.wait(ms).catch(() => undefined);
	}

	private async wait(ms: number): Promise<void> {
		if (ms <= 0) return;
		await sleep(ms, this.ctx.getExecutionCancelSignal());
	}

}

function hostOf(url: string): string | undefined {
	const match = /^https?:\/\/([^/?#]+)/i.exec(url.trim());
	if (!match) return undefined;
	// Userinfo never becomes part of the key, so a credential in the URL cannot reach static data.
	const authority = match[1].slice(match[1].lastIndexOf('@') + 1).toLowerCase();
	return authority.length > 0 ? authority : undefined;
}

function capHints(hints: RateLimitHints, maxHintMs: number): RateLimitHints {
	const cap = (value: number | undefined) => (value === undefined ? undefined : Math.min(value, Math.max(0, maxHintMs)));
	return { ...hints, retryAfterMs: cap(hints.retryAfterMs), resetAfterMs: cap(hints.resetAfterMs) };
}
