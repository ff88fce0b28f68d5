/**
 * Braze's documented request pools (250,000 per hour for targeted sends, 250 per minute for
 * broadcasts plus 10 per minute per audience, 20,000 per minute for user management, ...), kept on
 * the node's side as sliding windows: a request waits until every pool it counts against has room.
 * The rate-limit headers Braze sends still pace on top of this (the delivery pacer). Pure: the
 * caller sleeps until the returned time.
 */
import type { RequestBudget } from './endpoints/spec';

export class RequestBudgets {
	/** Per pool, the start times of the requests in the current window, oldest first. */
	private readonly sent = new Map<string, number[]>();

	/** Reserves a start time for a request counting against `budgets`; returns that time (epoch ms). */
	reserve(budgets: readonly RequestBudget[], now: number): number {
		let at = now;
		// A later pool can push the time past an earlier pool's window: settle on a time all accept.
		for (let round = 0; round < 3; round++) {
			const before = at;
			for (const budget of budgets) at = Math.max(at, this.earliest(budget, at));
			if (at === before) break;
		}
		for (const budget of budgets) {
			const times = this.times(budget, at);
			times.push(at);
		}
		return at;
	}

	private earliest(budget: RequestBudget, at: number): number {
		const times = this.times(budget, at);
		if (times.length < budget.requests) return at;
		return times[times.length - budget.requests] + budget.windowMs;
	}

	private times(budget: RequestBudget, at: number): number[] {
		let times = this.sent.get(budget.key);
		if (!times) {
			times = [];
			this.sent.set(budget.key, times);
		}
		let expired = 0;
		while (expired < times.length && times[expired] + budget.windowMs <= at) expired++;
		if (expired > 0) times.splice(0, expired);
		return times;
	}
}
