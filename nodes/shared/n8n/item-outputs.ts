/**
 * The output of one node run, and its failure policy: every input item leaves exactly once, in input
 * order; a failed item stops the run unless the node continues on failure (n8n's "On Error"), and
 * then goes to the main output or to the error output.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DeliverySession } from '../delivery';
import type { DeliverySessionOptions } from '../delivery/session';
import type { DeliverySettings } from '../delivery/settings';
import { sharedCooldownFor } from '../delivery/shared-store/n8n-store';
import type { ItemError } from './item-errors';
import { failedItem, resultItem, usesErrorOutput, type DeliveryJson } from './item-results';
import type { SecretScrubber } from './secrets';

/** Shown under the output when an item came out deferred, and only then. */
export const DEFERRED_ITEMS_HINT =
	'Deferred items (host cooling down, or a retry beyond the wait budget) carry delivery.retryAt: route them with an If node to a Wait node and back into this node.';

export interface ItemOutputsOptions {
	/** Scrubs the outcome of a failed item before it is output. */
	scrubber?: SecretScrubber;
	/** Whether an error that stops the run carries the item's outcome in `error.context.delivery`. */
	outcomeOnStopError?: boolean;
}

export class ItemOutputs {
	readonly stopsOnFailure: boolean;
	private readonly toErrorOutput: boolean;
	private readonly outputs: Array<INodeExecutionData | undefined>;
	private stopError: ItemError | undefined;
	private failedItems = 0;
	private deferredItems = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly items: INodeExecutionData[],
		private readonly options: ItemOutputsOptions = {},
	) {
		this.stopsOnFailure = !ctx.continueOnFail();
		this.toErrorOutput = usesErrorOutput(ctx.getNode());
		this.outputs = new Array(items.length);
	}

	/**
	 * Calls `prepare` for every item in input order. What it throws fails that item, through
	 * `failure` (which turns it into the item's error and outcome), and stops the run there when the
	 * node does not continue on failure.
	 */
	forEachItem(
		prepare: (itemIndex: number) => void,
		failure: (error: unknown, itemIndex: number) => { error: ItemError; delivery: DeliveryJson },
	): void {
		for (let itemIndex = 0; itemIndex < this.items.length; itemIndex++) {
			try {
				prepare(itemIndex);
			} catch (thrown) {
				const { error, delivery } = failure(thrown, itemIndex);
				this.fail(itemIndex, error, delivery);
			}
		}
	}

	succeed(itemIndex: number, delivery: DeliveryJson): void {
		if (delivery.status === 'deferred') this.deferredItems++;
		this.outputs[itemIndex] = resultItem(this.items[itemIndex], itemIndex, delivery);
	}

	/** Fails the item: throws its error when the run stops on failure, else outputs it as failed. */
	fail(itemIndex: number, error: ItemError, delivery: DeliveryJson): void {
		const outcome = this.options.scrubber ? this.options.scrubber.deep(delivery) : delivery;
		this.failedItems++;
		if (this.stopsOnFailure) {
			if (this.options.outcomeOnStopError) error.context.delivery = outcome;
			throw error;
		}
		this.outputs[itemIndex] = failedItem(this.items[itemIndex], itemIndex, error, outcome, this.toErrorOutput);
	}

	/**
	 * Fails an item while others are still in flight: when the run stops on failure, the first such
	 * error is kept (and `stopped` turns true) instead of thrown, so the caller can stop its sends and
	 * let the in-flight ones settle; `throwIfStopped` throws it afterwards.
	 */
	failInFlight(itemIndex: number, error: ItemError, delivery: DeliveryJson): void {
		if (this.stopsOnFailure) {
			this.failedItems++;
			if (!this.stopError && this.options.outcomeOnStopError) {
				error.context.delivery = this.options.scrubber ? this.options.scrubber.deep(delivery) : delivery;
			}
			this.stopError ??= error;
			return;
		}
		this.fail(itemIndex, error, delivery);
	}

	/** Whether any item failed in this run, also when the node continues on failure. */
	get anyFailed(): boolean {
		return this.failedItems > 0;
	}

	get stopped(): boolean {
		return this.stopError !== undefined;
	}

	throwIfStopped(): void {
		if (this.stopError) throw this.stopError;
	}

	/** The node's main output: every item that has an outcome, in input order. */
	collect(): INodeExecutionData[][] {
		if (this.deferredItems > 0) {
			this.ctx.addExecutionHints({ message: DEFERRED_ITEMS_HINT, type: 'info', location: 'outputPane' });
		}
		return [this.outputs.filter((item): item is INodeExecutionData => item !== undefined)];
	}
}

/**
 * Runs `send` with a delivery session and always finishes the session afterwards (cooldown state
 * saved, the manual-run hint given), also when sending threw.
 */
export async function withDeliverySession<T>(
	ctx: IExecuteFunctions,
	settings: DeliverySettings,
	options: DeliverySessionOptions,
	send: (session: DeliverySession) => Promise<T>,
): Promise<T> {
	const sharedCooldown = await sharedCooldownFor(ctx, settings.cooldown, options.now ?? (() => Date.now()));
	const session = new DeliverySession(ctx, settings, { ...options, sharedCooldown });
	try {
		return await send(session);
	} finally {
		session.finish();
	}
}
