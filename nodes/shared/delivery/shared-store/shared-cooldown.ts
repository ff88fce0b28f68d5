/**
 * The host cooldown and the rate-limit pacing shared by every n8n process (queue-mode workers)
 * through a Redis-over-HTTP store. Each step (admit, record, reserve a slot, observe an answer) is one
 * EVALSHA of the cooldown or pacer script. When the store fails, the caller falls
 * back to its in-process cooldown; the store is then left alone for a short spell, so a dead store
 * costs one failed request per spell, not one per item. Free of n8n.
 */
import type { CooldownSettings } from '../host-cooldown';
import {
	COOLDOWN_SCRIPT,
	COOLDOWN_SCRIPT_SHA1,
	parseAdmission,
	parseHostState,
	scriptArguments,
	type SharedAdmission,
	type SharedHostState,
} from './cooldown-script';
import type { PacerSettings } from '../pacer';
import type { RateLimitHints } from '../rate-limit-headers';
import {
	observeArguments,
	PACER_SCRIPT,
	PACER_SCRIPT_SHA1,
	parseObserved,
	parseReservation,
	reserveArguments,
	type PacerReservation,
} from './pacer-script';
import type { RedisHttpClient } from './redis-http';

/** What an item's `delivery.cooldownStore` says. */
export type CooldownStoreStatus = 'shared' | `unavailable: ${string}`;

export const KEY_PREFIX = 'n8n-nodes-braze-webhooks:cooldown';
export const PACER_KEY_PREFIX = 'n8n-nodes-braze-webhooks:pacer';
/** A host's pacing state outlives its longest wait. */
const PACER_TTL_MS = 15 * 60_000;
/**
 * A host the store reports as not paced is not asked about again for this long (unless this run
 * sees its rate-limit headers): a limit another worker learns reaches this one that much later, and
 * most items save a request to the store.
 */
export const IDLE_PACER_RECHECK_MS = 1_000;
export const RETRY_STORE_AFTER_MS = 10_000;

/** A store call that did not answer: the reason to show. */
export type StoreAnswer<T> = { ok: true; value: T } | { ok: false; reason: string };

export class SharedCooldown {
	private downUntil = 0;
	private downReason = '';
	private readonly idlePacerUntil = new Map<string, number>();

	constructor(
		private readonly client: RedisHttpClient,
		private readonly workflowId: string,
		private readonly settings: CooldownSettings,
		private readonly now: () => number,
	) {}

	/** The key of one workflow's host; the braces keep it in one Redis Cluster slot. */
	keyFor(host: string): string {
		return `${KEY_PREFIX}:{${this.workflowId}|${host}}`;
	}

	pacerKeyFor(host: string): string {
		return `${PACER_KEY_PREFIX}:{${this.workflowId}|${host}}`;
	}

	admit(host: string, now: number): Promise<StoreAnswer<SharedAdmission>> {
		return this.call(scriptArguments(this.keyFor(host), 'admit', now, this.settings), parseAdmission);
	}

	/** Takes the host's next request slot, unless it falls after `deadline` (then nothing is taken). */
	async reserveSlot(host: string, now: number, settings: PacerSettings, deadline: number): Promise<StoreAnswer<PacerReservation>> {
		if (now < (this.idlePacerUntil.get(host) ?? 0)) return { ok: true, value: { kind: 'idle', sendAt: now } };
		const args = reserveArguments(this.pacerKeyFor(host), now, settings, deadline, PACER_TTL_MS);
		const answer = await this.call(args, parseReservation, PACER);
		if (answer.ok && answer.value.kind === 'idle') this.idlePacerUntil.set(host, now + IDLE_PACER_RECHECK_MS);
		return answer;
	}

	/** Folds one answer's rate-limit headers (and a 429/503's host-wide hold) into the host's pacing. */
	observeResponse(host: string, now: number, hints: RateLimitHints, holdMs?: number): Promise<StoreAnswer<true>> {
		this.idlePacerUntil.delete(host);
		return this.call(observeArguments(this.pacerKeyFor(host), now, hints, holdMs, PACER_TTL_MS), parseObserved, PACER);
	}

	record(host: string, now: number, failure: boolean, probe: boolean): Promise<StoreAnswer<SharedHostState>> {
		const args = scriptArguments(this.keyFor(host), 'record', now, this.settings, { failure, probe });
		return this.call(args, parseHostState);
	}

	releaseProbe(host: string, now: number): Promise<StoreAnswer<SharedHostState>> {
		return this.call(scriptArguments(this.keyFor(host), 'release', now, this.settings), parseHostState);
	}

	/** While the store is being left alone after a failure: why. */
	unavailableReason(): string | undefined {
		return this.now() < this.downUntil ? this.downReason : undefined;
	}

	private async call<T>(
		args: Array<string | number>,
		parse: (reply: unknown) => T | undefined,
		script: { text: string; sha1: string } = COOLDOWN,
	): Promise<StoreAnswer<T>> {
		const down = this.unavailableReason();
		if (down !== undefined) return { ok: false, reason: down };
		let reply = await this.client.command(['EVALSHA', script.sha1, ...args]);
		// Redis forgets scripts on restart and never knew this one on first use.
		if (!reply.ok && reply.reason.includes('NOSCRIPT')) reply = await this.client.command(['EVAL', script.text, ...args]);
		const value = reply.ok ? parse(reply.value) : undefined;
		if (value !== undefined) return { ok: true, value };
		const reason = reply.ok ? 'unexpected answer from the cooldown script' : reply.reason;
		this.downUntil = this.now() + RETRY_STORE_AFTER_MS;
		this.downReason = reason;
		return { ok: false, reason };
	}
}

const COOLDOWN = { text: COOLDOWN_SCRIPT, sha1: COOLDOWN_SCRIPT_SHA1 };
const PACER = { text: PACER_SCRIPT, sha1: PACER_SCRIPT_SHA1 };

export function statusFor(reason: string | undefined): CooldownStoreStatus {
	return reason === undefined ? 'shared' : `unavailable: ${reason}`;
}
