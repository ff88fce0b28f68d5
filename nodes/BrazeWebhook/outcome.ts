/**
 * What happened to one item, as the `delivery` object users' workflows read, and the wording of a
 * failed item's error. Free of the run loop.
 */
import type { IDataObject } from 'n8n-workflow';

import { sessionFields, type DeliveryRequest, type DeliveryResult } from '../shared/delivery';
import { forItem, type DeliveryFailure, type InputErrorWording, type ItemError } from '../shared/n8n/item-errors';
import type { DeliveryJson } from '../shared/n8n/item-results';
import type { SecretScrubber } from '../shared/n8n/secrets';
import { redactHeaders } from './request/request-checks';
import { isBadInput } from './request-template';

/** What a bad item's error may truthfully say about the rest of the run. */
export interface BadInputSituation {
	/** n8n's On Error stops the workflow: the node throws before it sends anything. */
	stopsOnFailure: boolean;
	/** The error of a template that is the same for every item, so every item has it. */
	everyItemError?: unknown;
}

function badInputDescription(situation: BadInputSituation, everyItem: boolean): string {
	if (everyItem) {
		return situation.stopsOnFailure
			? 'Nothing was sent: the error is in the template itself, so every item has it, and the workflow stopped (On Error: Stop Workflow). Fix the template and run again.'
			: 'Nothing was sent: the error is in the template itself, so every item failed with it. Fix the template and run again.';
	}
	return situation.stopsOnFailure
		? "Nothing was sent: the node renders every item before it sends any, and the workflow stopped at the first item it cannot send (On Error: Stop Workflow). Fix the template or this item's data, or set On Error to continue so that the other items are sent."
		: "This item was not sent; each other item was sent or failed on its own. Fix the template or this item's data.";
}

/** A template or rendered request the item cannot be sent with, worded for the run it is in. */
export function badInputWording(situation: BadInputSituation): InputErrorWording {
	return (error, itemIndex) =>
		isBadInput(error)
			? {
					message: forItem((error as Error).message, itemIndex),
					description: badInputDescription(situation, error === situation.everyItemError),
				}
			: undefined;
}

export function invalidInputJson(error: ItemError): DeliveryJson {
	return { status: 'failed', reason: 'invalid-input', message: error.message };
}

export function abortedJson(reason: string | undefined, field: string | undefined): DeliveryJson {
	return { status: 'aborted', reason: reason ?? 'abort_message called', field };
}

/** The idempotency key is no secret: it stays visible although its header's name has "key" in it. */
export function dryRunJson(request: DeliveryRequest, idempotencyKey?: string): DeliveryJson {
	const headers = redactHeaders(request.headers);
	for (const [name, value] of Object.entries(request.headers)) {
		if (idempotencyKey !== undefined && value === idempotencyKey) headers[name] = value;
	}
	return {
		status: 'dryRun',
		...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
		request: {
			method: request.method,
			url: request.url,
			headers,
			...(request.credentialType ? { authentication: `credential ${request.credentialType} (applied when sending)` } : {}),
			body: bodyForDisplay(request),
		},
	};
}

/** A JSON body shown as the object it is (readable in n8n's views), any other body as its text. */
function bodyForDisplay(request: DeliveryRequest): IDataObject | IDataObject[] | string | undefined {
	const body = request.body as string | undefined;
	const contentType = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
	if (body === undefined || !contentType || !/[/+]json\b/i.test(contentType)) return body;
	try {
		const parsed: unknown = JSON.parse(body);
		return parsed !== null && typeof parsed === 'object' ? (parsed as IDataObject | IDataObject[]) : body;
	} catch {
		return body;
	}
}

/**
 * An attempted delivery's outcome. With the Idempotency Key option every sent, deferred or failed item
 * carries its key; with Reuse Connections, the transport its last attempt used.
 */
export function deliveryJson(result: DeliveryResult, scrubber: SecretScrubber, idempotencyKey?: string): DeliveryJson {
	return { ...deliveryJsonOf(result, scrubber, idempotencyKey), ...sessionFields(result) };
}

function deliveryJsonOf(result: DeliveryResult, scrubber: SecretScrubber, idempotencyKey?: string): DeliveryJson {
	const key = idempotencyKey !== undefined ? { idempotencyKey } : {};
	switch (result.status) {
		case 'sent':
			return {
				status: 'sent',
				statusCode: result.statusCode,
				response: scrubber.deep(result.body) as IDataObject,
				attempts: result.attempts,
				durationMs: result.durationMs,
				...key,
			};
		case 'deferred':
			return {
				status: 'deferred',
				reason: result.reason,
				retryAt: result.retryAt,
				attempts: result.attempts,
				...(result.lastStatusCode !== undefined ? { lastStatusCode: result.lastStatusCode } : {}),
				message: scrubber.text(result.message),
				...key,
			};
		case 'failed':
			return {
				status: 'failed',
				reason: result.reason,
				...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
				response: scrubber.deep(result.body) as IDataObject,
				attempts: result.attempts,
				durationMs: result.durationMs,
				message: scrubber.text(result.message),
				...key,
			};
	}
}

/** A failed send, always reported as an API error (also without a status code). */
export function deliveryFailure(
	result: Extract<DeliveryResult, { status: 'failed' }>,
	itemIndex: number,
	scrubber: SecretScrubber,
): DeliveryFailure {
	const message = scrubber.text(result.message);
	const response = scrubber.deep(result.body);
	const httpCode = result.statusCode ? { httpCode: String(result.statusCode) } : {};
	return {
		kind: 'api',
		message: forItem(message, itemIndex),
		description:
			response === undefined || response === ''
				? `After ${result.attempts} attempt(s).`
				: `After ${result.attempts} attempt(s). Response: ${truncate(typeof response === 'string' ? response : JSON.stringify(response))}`,
		...httpCode,
		response: { message, ...httpCode },
	};
}

function truncate(text: string): string {
	return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** A dry run's request, noting that it will be signed (the id only: the secret stays in the credential). */
export function withSigningNote(json: DeliveryJson, signedMessageId: string | undefined): DeliveryJson {
	if (!signedMessageId) return json;
	return {
		...json,
		request: {
			...(json.request as IDataObject),
			signature: `Standard Webhooks: webhook-id ${signedMessageId}; webhook-timestamp and webhook-signature computed for each attempt when sending`,
		},
	};
}
