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
import { earlierTries, type EarlierTries } from '../shared/n8n/earlier-tries';
import { deliveryFailureError, toItemError, type DeliveryFailure } from '../shared/n8n/item-errors';
import { ItemOutputs, withDeliverySession } from '../shared/n8n/item-outputs';
import { PreviewSelection } from '../shared/n8n/run-mode';
import type { DeliveryJson } from '../shared/n8n/item-results';
import { packBatches, type Batch, type ItemObjects } from './batching';
import { createPlanner } from './operations';
import {
	batchOutcomes,
	dryRunJson,
	inputErrorWording,
	invalidInputJson,
	unsendableMessage,
	type ItemOutcome,
} from './outcome';
import { readRun } from './parameters';
import { readConnection, sendUsersTrack } from './transport/usersTrack';

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
	const preview = new PreviewSelection(run.preview, items.length);
	const previewProblem = run.dryRun ? preview.problem() : undefined;
	if (previewProblem) throw new NodeOperationError(ctx.getNode(), previewProblem, { itemIndex: 0 });
	const userOf = (itemIndex: number) => preview.userOf(itemIndex, items[itemIndex].json);
	let planner: ReturnType<typeof createPlanner> | undefined;
	let planError: unknown;
	try {
		planner = createPlanner(ctx, run.operation, { now: new Date(), userOf });
	} catch (error) {
		planError = error;
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
			const plan = planner(itemIndex);
			if (plan.kind === 'aborted') {
				const delivery: DeliveryJson = { status: 'aborted', ...(plan.reason !== undefined ? { reason: plan.reason } : {}) };
				tries?.remember(itemIndex, { delivery });
				outputs.succeed(itemIndex, delivery);
				return;
			}
			toSend.push({ itemIndex, objects: plan.objects });
		},
		(error, itemIndex) => ({
			error: toItemError(ctx.getNode(), error, itemIndex, inputErrorWording),
			delivery: invalidInputJson(),
		}),
	);

	for (const { itemIndex, delivery, failure } of replayedFailures) {
		outputs.fail(itemIndex, deliveryFailureError(ctx.getNode(), failure, itemIndex), delivery);
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
		for (const batch of batches) {
			batch.itemIndexes.forEach((itemIndex, position) => {
				const own = (objectsOf.get(itemIndex) ?? {}) as IDataObject;
				outputs.succeed(itemIndex, preview.annotate(itemIndex, dryRunJson(batch, position, own, batches.length, url)));
			});
		}
		return outputs.collect();
	}

	// 3b. Send, one request at a time in input order (Braze does not order separate calls).
	if (batches.length > 0) await sendBatches(ctx, batches, outputs, tries);
	if (!outputs.anyFailed) tries?.release();
	return outputs.collect();
}

async function sendBatches(
	ctx: IExecuteFunctions,
	batches: Batch[],
	outputs: ItemOutputs,
	tries: EarlierTries | undefined,
): Promise<void> {
	const connection = await readConnection(ctx);
	await withDeliverySession(ctx, readDeliverySettings(ctx), {}, async (session) => {
		for (const batch of batches) {
			const result = await sendUsersTrack(session, connection, batch.body);
			const outcomes = batchOutcomes(batch, result, batches.length);
			// Before any failure stops the run: the whole batch's outcomes are known now.
			for (const outcome of outcomes) rememberOutcome(tries, outcome);
			for (const outcome of outcomes) {
				if (outcome.failure) {
					const error = deliveryFailureError(ctx.getNode(), outcome.failure, outcome.itemIndex);
					outputs.fail(outcome.itemIndex, error, outcome.delivery);
				} else {
					outputs.succeed(outcome.itemIndex, outcome.delivery);
				}
			}
		}
	});
}

/**
 * What n8n's next try must not send again: items Braze accepted, deferred items, and items whose
 * objects Braze partly rejected (the others were queued; the rejected ones would fail again).
 */
function rememberOutcome(tries: EarlierTries | undefined, { itemIndex, delivery, failure }: ItemOutcome): void {
	if (delivery.status === 'failed' && delivery.reason !== 'object-error') return;
	tries?.remember(itemIndex, { delivery, ...(failure ? { failure } : {}) });
}
