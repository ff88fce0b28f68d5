/**
 * What happens to each item, as the `delivery` object users' workflows read: a batch's delivery
 * result for each of its items, a dry run, an item that cannot be sent. Pure: n8n errors are made
 * from the returned descriptions by the caller.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseUsersTrackResponse, type UsersTrackBody, type UsersTrackResponse } from '../shared/braze/users-track';
import { sessionFields, type DeliveryResult } from '../shared/delivery';
import { LiquidTemplateError } from '../shared/liquid';
import type { EarlierTries } from '../shared/n8n/earlier-tries';
import type { DeliveryFailure, InputErrorWording } from '../shared/n8n/item-errors';
import type { DeliveryJson } from '../shared/n8n/item-results';
import { countObjects, mapObjectErrors, type Batch, type BatchLimits, type ItemObjectError } from './batching';
import { ItemInputError } from './values';

export interface ItemOutcome {
	itemIndex: number;
	delivery: DeliveryJson;
	failure?: DeliveryFailure;
}

/** The outcome of an item that was not sent because its input is wrong. */
export function invalidInputJson(): DeliveryJson {
	return { status: 'failed', reason: 'invalid-input' };
}

/** The node's own input errors: a value the operation cannot use, or a Liquid error in the body. */
export const inputErrorWording: InputErrorWording = (error) => {
	if (error instanceof ItemInputError) return { message: error.message, description: error.description };
	if (error instanceof LiquidTemplateError) return { message: `The request body's Liquid has an error: ${error.message}` };
	return undefined;
};

/** Why an item's objects fit in no request: none at all, or more than one request may carry. */
export function unsendableMessage(objects: UsersTrackBody, limits: BatchLimits): string {
	const count = countObjects(objects);
	const limitText = limits.mode === 'total' ? `${limits.max} objects` : `${limits.max} objects per array`;
	return count === 0
		? 'This item has no attributes, events or purchases to send'
		: `This item has ${count} objects, more than one /users/track request may carry (${limitText})`;
}

/** A dry-run item: its own objects, and on the first item of each batch the whole request. */
export function dryRunJson(batch: Batch, position: number, objects: IDataObject, batchCount: number, url: string): DeliveryJson {
	const delivery: DeliveryJson = { status: 'dryRun', batch: batch.number, batchCount, objects };
	if (position === 0) {
		delivery.request = {
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer <the API key from the Braze API credential>' },
			objectCount: batch.objectCount,
			body: batch.body as IDataObject,
		};
	}
	return delivery;
}

function range(batch: Batch): string {
	const first = batch.itemIndexes[0];
	const last = batch.itemIndexes[batch.itemIndexes.length - 1];
	return first === last ? `item ${first}` : `items ${first} to ${last}`;
}

const FATAL_HINTS: Record<number, string> = {
	400: 'Braze rejected the whole request (400 Bad Request)',
	401: "Braze did not accept the API key (401 Unauthorized): check the Braze API credential's key, and that its REST instance matches your dashboard URL",
	403: 'Braze refused the request (403 Forbidden): the API key needs the users.track permission, or the account or plan does not allow this endpoint',
	404: "Braze answered 404 Not Found: the credential's REST instance or custom URL is probably wrong",
	413: 'The request was too large for Braze (413): lower the batch size in the options',
	415: 'Braze refused the request body (415 Unsupported Media Type)',
};

function fatalMessage(statusCode: number | undefined, response: UsersTrackResponse | undefined): string {
	const hint = statusCode !== undefined ? FATAL_HINTS[statusCode] : undefined;
	const braze = response?.message ? `: ${response.message}` : '';
	if (statusCode === 400) return `${hint}${braze}`;
	if (hint) return hint;
	return `Braze answered HTTP ${statusCode ?? 'without a status'}${braze}`;
}

function errorTypes(errors: readonly ItemObjectError[]): string {
	return errors.map((error) => error.type).join('; ');
}

type DeferredResult = Extract<DeliveryResult, { status: 'deferred' }>;
type AnsweredResult = Exclude<DeliveryResult, { status: 'deferred' }>;

/** What a batch that got an answer (or gave up on one) reports for each of its items. */
interface AnsweredBatch {
	batch: Batch;
	/** `Batch 2 of 3 (items 4 to 7, 12 objects)`: where descriptions start. */
	where: string;
	response: UsersTrackResponse | undefined;
	base: IDataObject;
}

/** Per-item outcomes of one sent (or refused, or deferred) batch. */
export function batchOutcomes(batch: Batch, result: DeliveryResult, batchCount: number): ItemOutcome[] {
	if (result.status === 'deferred') return deferredOutcomes(batch, result);

	const response = parseUsersTrackResponse(result.body);
	const answered: AnsweredBatch = {
		batch,
		where: `Batch ${batch.number} of ${batchCount} (${range(batch)}, ${batch.objectCount} objects)`,
		response,
		base: {
			...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
			...(response?.message !== undefined ? { message: response.message } : {}),
			batch: batch.number,
			attempts: result.attempts,
			durationMs: result.durationMs,
			...sessionFields(result),
		},
	};
	if (result.status === 'sent' && response?.message === 'success') return acceptedOutcomes(answered, response, result.statusCode);
	return failedBatchOutcomes(answered, result);
}

/** Every item of a deferred request: the same deferral, with the request's number. */
export function deferredOutcomes(batch: Pick<Batch, 'itemIndexes' | 'number'>, result: DeferredResult): ItemOutcome[] {
	return batch.itemIndexes.map((itemIndex) => ({
		itemIndex,
		delivery: {
			status: 'deferred',
			reason: result.reason,
			retryAt: result.retryAt,
			message: result.message,
			...(result.lastStatusCode !== undefined ? { statusCode: result.lastStatusCode } : {}),
			batch: batch.number,
			attempts: result.attempts,
			...sessionFields(result),
		},
	}));
}

/** Braze queued the batch ("success"); items whose objects it reported errors for fail. */
function acceptedOutcomes({ batch, where, base }: AnsweredBatch, response: UsersTrackResponse, statusCode: number): ItemOutcome[] {
	const mapped = mapObjectErrors(batch, response.errors);
	const batchErrors = mapped.unmatched.length > 0 ? { batchErrors: mapped.unmatched as IDataObject[] } : {};
	return batch.itemIndexes.map((itemIndex) => {
		const errors = mapped.byItem.get(itemIndex);
		if (!errors) return { itemIndex, delivery: { status: 'sent', ...base, ...batchErrors } };
		const count = errors.length === 1 ? 'an object' : `${errors.length} objects`;
		return {
			itemIndex,
			delivery: { status: 'failed', reason: 'object-error', ...base, errors: errors as IDataObject[], ...batchErrors },
			failure: {
				kind: 'api',
				message: `Braze rejected ${count} of this item: ${errorTypes(errors)}`,
				description: `${where}: Braze accepted the request (HTTP ${statusCode}, "success") and reported errors for this item's objects; the other items' objects were queued.`,
				httpCode: String(statusCode),
				response: { message: response.message ?? null, errors: errors as IDataObject[] },
			},
		};
	});
}

/** Why the whole batch failed: a 2XX without "success", a client error, a redirect, or retries exhausted. */
function failedBatchWording(result: AnsweredResult, response: UsersTrackResponse | undefined): { message: string; reason: string } {
	if (result.status === 'sent') {
		return {
			message: `Braze answered HTTP ${result.statusCode} without "message": "success", so the batch may not have been queued`,
			reason: 'unexpected-answer',
		};
	}
	if (result.reason === 'client-error') return { message: fatalMessage(result.statusCode, response), reason: result.reason };
	if (result.reason === 'redirect') {
		return {
			message: `Braze answered with a redirect (HTTP ${result.statusCode}), which is not followed: check the credential's REST instance URL (https, no extra path)`,
			reason: result.reason,
		};
	}
	return { message: result.message, reason: result.reason };
}

function failedBatchOutcomes({ batch, where, response, base }: AnsweredBatch, result: AnsweredResult): ItemOutcome[] {
	const { message, reason } = failedBatchWording(result, response);
	const mapped = response?.errors ? mapObjectErrors(batch, response.errors) : undefined;
	const details = [`${where}: every item of this request failed.`];
	if (result.status === 'failed' && message !== result.message) details.push(`${result.message}.`);
	if (response?.message && !message.includes(response.message)) details.push(`Braze said: ${response.message}`);
	const description = details.join(' ');
	return batch.itemIndexes.map((itemIndex) => {
		const errors = mapped?.byItem.get(itemIndex);
		return {
			itemIndex,
			delivery: {
				status: 'failed',
				reason,
				...base,
				...(errors ? { errors: errors as IDataObject[] } : {}),
				...(mapped && mapped.unmatched.length > 0 ? { batchErrors: mapped.unmatched as IDataObject[] } : {}),
			},
			failure: {
				kind: result.statusCode !== undefined ? 'api' : 'operation',
				message,
				description,
				...(result.statusCode !== undefined ? { httpCode: String(result.statusCode) } : {}),
				...(response ? { response: response as IDataObject } : {}),
			},
		};
	});
}

/**
 * What n8n's next try must not send again: items Braze accepted, deferred items, and items whose
 * objects Braze partly rejected (the others were queued; the rejected ones would fail again).
 */
export function rememberOutcome(tries: EarlierTries | undefined, { itemIndex, delivery, failure }: ItemOutcome): void {
	if (delivery.status === 'failed' && delivery.reason !== 'object-error') return;
	tries?.remember(itemIndex, { delivery, ...(failure ? { failure } : {}) });
}
