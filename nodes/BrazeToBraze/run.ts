/**
 * The node's run: plan every item, pack the objects into `/users/track` requests, send them (or
 * show them, in a dry run), and hand every input item back exactly once with its outcome.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { readDeliverySettings } from '../shared/delivery';
import { LiquidNetworkRun } from '../shared/liquid-network/liquid-network-run';
import { SecretScrubber } from '../shared/n8n/secrets';
import { earlierTries, type EarlierTries } from '../shared/n8n/earlier-tries';
import { deliveryFailureError, toItemError, type DeliveryFailure } from '../shared/n8n/item-errors';
import { ItemOutputs, withDeliverySession } from '../shared/n8n/item-outputs';
import { PreviewSelection } from '../shared/n8n/run-mode';
import type { DeliveryJson } from '../shared/n8n/item-results';
import { packBatches, usersOfBatch, type Batch, type ItemObjects } from './batching';
import { runEndpointOperation } from './endpoints/run';
import { isEndpointOperation, type EndpointEntry } from './endpoints/spec';
import { createPlanner, type Planner } from './operations';
import type { ItemPlan } from './operations/common';
import {
	batchOutcomes,
	dryRunJson,
	inputErrorWording,
	invalidInputJson,
	rememberOutcome,
	unsendableMessage,
} from './outcome';
import { readRun } from './parameters';
import { readConnection, sendUsersTrack } from './transport/usersTrack';
import { runInUserOrder } from './user-order';
import { ItemAborted } from './values';

/** Items whose Liquid fetches at once (connected_content); the requests themselves share one session. */
const NETWORK_CONCURRENCY = 10;

export async function runBrazeToBraze(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const run = readRun(ctx);
	// A thrown error carries the item's outcome in its context.
	const outputs = new ItemOutputs(ctx, items, { outcomeOnStopError: true });
	const tries = run.dryRun ? undefined : earlierTries(ctx);
	// Outcomes of n8n's earlier tries (Retry On Fail): output again, their objects not sent again.
	const replayedFailures: Array<{ itemIndex: number; delivery: DeliveryJson; failure: DeliveryFailure }> = [];

	// 1. Plan: every item's objects, built before anything is sent. Without "continue on fail",
	// one bad item stops the run here, before any request.
	const toSend: ItemObjects[] = [];
	const entries: EndpointEntry[] = [];
	const preview = new PreviewSelection(run.preview, items.length);
	const previewProblem = run.dryRun ? preview.problem() : undefined;
	if (previewProblem) throw new NodeOperationError(ctx.getNode(), previewProblem, { itemIndex: 0 });
	const userOf = (itemIndex: number) => preview.userOf(itemIndex, items[itemIndex].json);
	let planner: Planner | undefined;
	let planError: unknown;
	const network = await LiquidNetworkRun.start(ctx, { dryRun: run.dryRun, checkHost: () => undefined, concurrency: NETWORK_CONCURRENCY });
	try {
		planner = createPlanner(ctx, run.operation, { now: new Date(), dryRun: run.dryRun, userOf }, network);
	} catch (error) {
		planError = error;
	}
	if (network && planner) {
		const plan = planner;
		const toPlan = items
			.map((_, itemIndex) => itemIndex)
			.filter((itemIndex) => !tries?.recall(itemIndex) && (!run.dryRun || preview.includes(itemIndex)));
		await network.prepareAhead(toPlan, NETWORK_CONCURRENCY, (itemIndex) => plan(itemIndex));
	}
	outputs.forEachItem(
		(itemIndex) => {
			const earlier = tries?.recall(itemIndex);
			if (earlier?.failure) replayedFailures.push({ itemIndex, delivery: earlier.delivery, failure: earlier.failure });
			else if (earlier) outputs.succeed(itemIndex, earlier.delivery);
			if (earlier) return;
			if (run.dryRun && !preview.includes(itemIndex)) {
				outputs.succeed(itemIndex, preview.notPreviewed());
				return;
			}
			if (!planner) throw planError;
			const plan = planOrAbort(ctx, planner, itemIndex);
			if (plan.kind === 'aborted') {
				const delivery: DeliveryJson = { status: 'aborted', ...(plan.reason !== undefined ? { reason: plan.reason } : {}) };
				tries?.remember(itemIndex, { delivery });
				outputs.succeed(itemIndex, delivery);
				return;
			}
			if (plan.kind === 'entry') entries.push(plan.entry);
			else toSend.push({ itemIndex, objects: plan.objects });
		},
		(error, itemIndex) => ({
			error: toItemError(ctx.getNode(), error, itemIndex, inputErrorWording),
			delivery: invalidInputJson(),
		}),
	);

	for (const { itemIndex, delivery, failure } of replayedFailures) {
		outputs.fail(itemIndex, deliveryFailureError(ctx.getNode(), failure, itemIndex), delivery);
	}

	if (isEndpointOperation(run.operation)) {
		const endpointRun = { operation: run.operation, maxEntries: run.maxEntries, concurrency: run.concurrency, dryRun: run.dryRun };
		await runEndpointOperation(ctx, endpointRun, entries, outputs, tries);
		if (!run.dryRun && !outputs.anyFailed) tries?.release();
		return outputs.collect();
	}

	// 2. Pack into requests.
	const { batches, oversized, empty } = packBatches(toSend, run.limits);
	const objectsOf = new Map(toSend.map((entry) => [entry.itemIndex, entry.objects]));
	for (const itemIndex of [...oversized, ...empty].sort((a, b) => a - b)) {
		const message = unsendableMessage(objectsOf.get(itemIndex) ?? {}, run.limits);
		outputs.fail(itemIndex, new NodeOperationError(ctx.getNode(), message, { itemIndex }), invalidInputJson());
	}

	// 3a. Dry run: show the requests instead of sending them.
	if (run.dryRun) {
		const connection = await readConnection(ctx);
		const url = connection.scrubber.text(connection.url);
		const scrubber = new SecretScrubber(network?.secrets ?? []);
		for (const batch of batches) {
			batch.itemIndexes.forEach((itemIndex, position) => {
				const own = (objectsOf.get(itemIndex) ?? {}) as IDataObject;
				const shown = preview.annotate(itemIndex, dryRunJson(batch, position, own, batches.length, url));
				const calls = network?.callsOf(itemIndex);
				if (calls) shown.connectedContent = calls;
				outputs.succeed(itemIndex, network ? scrubber.deep(shown) : shown);
			});
		}
		return outputs.collect();
	}

	// 3b. Send: batches concurrently, but one user's batches in input order (Braze does not order
	// separate calls, so a later batch must not start before an earlier one for the same user settled).
	if (batches.length > 0) await sendBatches(ctx, batches, outputs, tries, run.concurrency);
	if (!outputs.anyFailed) tries?.release();
	return outputs.collect();
}

/**
 * As in a Braze webhook, an abort in any Liquid field of an item drops the item, not just one in the
 * body. (Items prepared ahead for connected_content call the planner itself: a fetch still pending
 * must reach the preparer as it is thrown.)
 */
function planOrAbort(ctx: IExecuteFunctions, plan: Planner, itemIndex: number): ItemPlan {
	try {
		return plan(itemIndex);
	} catch (error) {
		if (error instanceof ItemAborted) return { kind: 'aborted', ...(error.reason !== undefined ? { reason: error.reason } : {}) };
		throw toItemError(ctx.getNode(), error, itemIndex, inputErrorWording);
	}
}

async function sendBatches(
	ctx: IExecuteFunctions,
	batches: Batch[],
	outputs: ItemOutputs,
	tries: EarlierTries | undefined,
	concurrency: number,
): Promise<void> {
	const connection = await readConnection(ctx);
	const signal = ctx.getExecutionCancelSignal();
	const ordered = batches.map((batch) => ({ batch, users: usersOfBatch(batch) }));
	await withDeliverySession(ctx, readDeliverySettings(ctx), {}, async (session) => {
		const send = async ({ batch }: { batch: Batch }): Promise<void> => {
			const result = await sendUsersTrack(session, connection, batch.body);
			const outcomes = batchOutcomes(batch, result, batches.length);
			// Before any failure stops the run: the whole batch's outcomes are known now.
			for (const outcome of outcomes) rememberOutcome(tries, outcome);
			for (const outcome of outcomes) {
				if (outcome.failure) {
					if (outputs.stopsOnFailure) session.stop();
					const error = deliveryFailureError(ctx.getNode(), outcome.failure, outcome.itemIndex);
					outputs.failInFlight(outcome.itemIndex, error, outcome.delivery);
				} else {
					outputs.succeed(outcome.itemIndex, outcome.delivery);
				}
			}
		};
		await runInUserOrder(ordered, concurrency, send, () => !outputs.stopped && !signal?.aborted, (ms) => session.pause(ms));
	});
	outputs.throwIfStopped();
}

