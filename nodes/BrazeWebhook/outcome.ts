/**
 * What happened to one item, as the `delivery` object users' workflows read, and the wording of a
 * failed item's error. Free of the run loop.
 */
import type { IDataObject } from 'n8n-workflow';

import { transportField, type DeliveryRequest, type DeliveryResult } from '../shared/delivery';
import type { DeliveryFailure, InputErrorWording, ItemError } from '../shared/n8n/item-errors';
import type { DeliveryJson } from '../shared/n8n/item-results';
import type { SecretScrubber } from '../shared/n8n/secrets';
import { redactHeaders } from './request/request-checks';
import { isBadInput } from './request-template';

/** A template or rendered request the item cannot be sent with. */
export const badInputWording: InputErrorWording = (error, itemIndex) =>
	isBadInput(error)
		? {
				message: `Item ${itemIndex}: ${(error as Error).message}`,
				description:
					'This item was not sent. Fix the template or the item data; the other items are not affected.',
			}
		: undefined;

export function invalidInputJson(error: ItemError): DeliveryJson {
	return { status: 'failed', reason: 'invalid-input', message: error.message };
}

export function abortedJson(reason: string | undefined, field: string | undefined): DeliveryJson {
	return { status: 'aborted', reason: reason ?? 'abort_message called', field };
}

export function dryRunJson(request: DeliveryRequest): DeliveryJson {
	return {
		status: 'dryRun',
		request: {
			method: request.method,
			url: request.url,
			headers: redactHeaders(request.headers),
			...(request.credentialType ? { authentication: `credential ${request.credentialType} (applied when sending)` } : {}),
			body: request.body as string | undefined,
		},
	};
}

export function deliveryJson(result: DeliveryResult, scrubber: SecretScrubber): DeliveryJson {
	return { ...deliveryJsonOf(result, scrubber), ...transportField(result) };
}

function deliveryJsonOf(result: DeliveryResult, scrubber: SecretScrubber): DeliveryJson {
	switch (result.status) {
		case 'sent':
			return {
				status: 'sent',
				statusCode: result.statusCode,
				response: scrubber.deep(result.body) as IDataObject,
				attempts: result.attempts,
				durationMs: result.durationMs,
			};
		case 'deferred':
			return {
				status: 'deferred',
				reason: result.reason,
				retryAt: result.retryAt,
				attempts: result.attempts,
				...(result.lastStatusCode !== undefined ? { lastStatusCode: result.lastStatusCode } : {}),
				message: scrubber.text(result.message),
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
		message: `Item ${itemIndex}: ${message}`,
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
