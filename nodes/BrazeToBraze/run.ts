/**
 * The node's run: plan every item, pack the objects into `/users/track` requests, send them (or
 * show them, in a dry run), and hand every input item back exactly once with its outcome.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { USERS_TRACK_MAX_OBJECTS } from '../shared/braze/users-track';
import { DeliverySession, readDeliverySettings } from '../shared/delivery';
import { LiquidTemplateError } from '../shared/liquid';
import { failedItem, resultItem, usesErrorOutput, type DeliveryJson } from '../shared/n8n/item-results';
import type { Operation } from './operations/common';
import { createPlanner } from './operations';
import { countObjects, packBatches, type BatchLimits, type ItemObjects, type LimitMode } from './batching';
import { batchOutcomes, type ItemFailure } from './outcome';
import { readConnection, sendUsersTrack } from './transport/usersTrack';
import { ItemInputError } from './values';

type NodeError = NodeApiError | NodeOperationError;

function readLimits(ctx: IExecuteFunctions, options: IDataObject): BatchLimits {
	const mode: LimitMode = options.objectLimit === 'perArray' ? 'perArray' : 'total';
	const max = options.batchSize === undefined ? USERS_TRACK_MAX_OBJECTS : Number(options.batchSize);
	if (!Number.isInteger(max) || max < 1 || max > USERS_TRACK_MAX_OBJECTS) {
		throw new NodeOperationError(ctx.getNode(), `Batch Size must be a whole number from 1 to ${USERS_TRACK_MAX_OBJECTS}`, {
			itemIndex: 0,
		});
	}
	return { mode, max };
}

function inputError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ItemInputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
	}
	if (error instanceof LiquidTemplateError) {
		return new NodeOperationError(ctx.getNode(), `The request body's Liquid has an error: ${error.message}`, { itemIndex });
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

function failureError(ctx: IExecuteFunctions, failure: ItemFailure, itemIndex: number): NodeError {
	if (failure.kind === 'api') {
		return new NodeApiError(ctx.getNode(), (failure.response ?? {}) as JsonObject, {
			message: failure.message,
			description: failure.description,
			httpCode: failure.httpCode,
			itemIndex,
		});
	}
	return new NodeOperationError(ctx.getNode(), failure.message, { itemIndex, description: failure.description });
}

export async function executeBrazeToBraze(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const limits = readLimits(this, options);
	const dryRun = options.dryRun === true;
	const continueOnFail = this.continueOnFail();
	const out: Array<INodeExecutionData | undefined> = new Array(items.length);

	// Failed items follow the shared convention (nodes/shared/n8n/item-results.ts): input fields,
	// `delivery` and `error` on the main output, or n8n's error-item shape for the error output.
	// A thrown error carries the outcome in its context.
	const toErrorOutput = usesErrorOutput(this.getNode());
	const fail = (itemIndex: number, error: NodeError, delivery: DeliveryJson) => {
		if (!continueOnFail) {
			error.context.delivery = delivery;
			throw error;
		}
		out[itemIndex] = failedItem(items[itemIndex], itemIndex, error, delivery, toErrorOutput);
	};

	// 1. Plan: every item's objects, built before anything is sent. Without "continue on fail",
	// one bad item stops the run here, before any request.
	const toSend: ItemObjects[] = [];
	let planner: ReturnType<typeof createPlanner> | undefined;
	let planError: unknown;
	try {
		planner = createPlanner(this, operation, { now: new Date() });
	} catch (error) {
		planError = error;
	}
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			if (!planner) throw planError;
			const plan = planner(itemIndex);
			if (plan.kind === 'aborted') {
				out[itemIndex] = resultItem(items[itemIndex], itemIndex, {
					status: 'aborted',
					...(plan.reason !== undefined ? { reason: plan.reason } : {}),
				});
				continue;
			}
			toSend.push({ itemIndex, objects: plan.objects });
		} catch (error) {
			fail(itemIndex, inputError(this, error, itemIndex), { status: 'failed', reason: 'invalid-input' });
		}
	}

	// 2. Pack into requests.
	const { batches, oversized, empty } = packBatches(toSend, limits);
	const objectsOf = new Map(toSend.map((entry) => [entry.itemIndex, entry.objects]));
	const limitText = limits.mode === 'total' ? `${limits.max} objects` : `${limits.max} objects per array`;
	for (const itemIndex of [...oversized, ...empty].sort((a, b) => a - b)) {
		const objects = countObjects(objectsOf.get(itemIndex) ?? {});
		const message =
			objects === 0
				? 'This item has no attributes, events or purchases to send'
				: `This item has ${objects} objects, more than one /users/track request may carry (${limitText})`;
		fail(itemIndex, new NodeOperationError(this.getNode(), message, { itemIndex }), { status: 'failed', reason: 'invalid-input' });
	}

	// 3a. Dry run: show the requests instead of sending them.
	if (dryRun) {
		const connection = await readConnection(this);
		for (const batch of batches) {
			batch.itemIndexes.forEach((itemIndex, position) => {
				const own = objectsOf.get(itemIndex) ?? {};
				const delivery: DeliveryJson = {
					status: 'dryRun',
					batch: batch.number,
					batchCount: batches.length,
					objects: own as IDataObject,
				};
				if (position === 0) {
					delivery.request = {
						method: 'POST',
						url: connection.scrubber.text(connection.url),
						headers: { 'Content-Type': 'application/json', Authorization: 'Bearer <the API key from the Braze API credential>' },
						objectCount: batch.objectCount,
						body: batch.body as IDataObject,
					};
				}
				out[itemIndex] = resultItem(items[itemIndex], itemIndex, delivery);
			});
		}
		return [collect(out)];
	}

	// 3b. Send, one request at a time in input order (Braze does not order separate calls).
	if (batches.length > 0) {
		const connection = await readConnection(this);
		const session = new DeliverySession(this, readDeliverySettings(this));
		try {
			for (const batch of batches) {
				const result = await sendUsersTrack(session, connection, batch.body);
				for (const outcome of batchOutcomes(batch, result, batches.length)) {
					if (outcome.failure) {
						fail(outcome.itemIndex, failureError(this, outcome.failure, outcome.itemIndex), outcome.delivery);
					} else {
						out[outcome.itemIndex] = resultItem(items[outcome.itemIndex], outcome.itemIndex, outcome.delivery);
					}
				}
			}
		} finally {
			session.finish();
		}
	}
	return [collect(out)];
}

function collect(out: Array<INodeExecutionData | undefined>): INodeExecutionData[] {
	return out.filter((item): item is INodeExecutionData => item !== undefined);
}

