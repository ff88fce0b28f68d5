/**
 * What a request to a Braze endpoint other than /users/track means for each of its items: all sent
 * (with the request's dispatch_id), all deferred, or all failed with Braze's message, and the API key
 * permission named when Braze refuses the key. Pure.
 */
import type { IDataObject } from 'n8n-workflow';

import { sessionFields, type DeliveryResult } from '../../shared/delivery';
import type { DeliveryFailure } from '../../shared/n8n/item-errors';
import type { DeliveryJson } from '../../shared/n8n/item-results';
import { deferredOutcomes, type ItemOutcome } from '../outcome';
import type { EndpointBatch } from './packing';
import type { EndpointSpec } from './spec';

function braze(body: unknown): IDataObject | undefined {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as IDataObject;
	if (typeof body === 'string') {
		try {
			const parsed: unknown = JSON.parse(body);
			return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

function range(batch: EndpointBatch): string {
	const first = batch.itemIndexes[0];
	const last = batch.itemIndexes[batch.itemIndexes.length - 1];
	return batch.itemIndexes.length === 1 ? `item ${first}` : `${batch.itemIndexes.length} items, ${first} to ${last}`;
}

/** The message of a refused request: Braze's own words, with what to check. */
export function refusalMessage(spec: EndpointSpec, statusCode: number | undefined, brazeMessage: string | undefined): string {
	const said = brazeMessage ? `: ${brazeMessage}` : '';
	if (statusCode === 401 || statusCode === 403) {
		return `Braze refused the API key for ${spec.label} (HTTP ${statusCode})${said}. The key needs the ${spec.permission} permission (Braze: Settings > APIs and Identifiers), and the credential's REST instance must match your dashboard`;
	}
	if (statusCode === 404) return `Braze answered 404 for ${spec.path}${said}: check the credential's REST instance`;
	if (statusCode === 400) return `Braze rejected the request (400 Bad Request)${said}`;
	return `Braze answered HTTP ${statusCode ?? 'without a status'}${said}`;
}

export function endpointOutcomes(spec: EndpointSpec, batch: EndpointBatch, result: DeliveryResult, batchCount: number): ItemOutcome[] {
	if (result.status === 'deferred') return deferredOutcomes(batch, result);
	const response = braze(result.body);
	const message = typeof response?.message === 'string' ? response.message : undefined;
	const base: IDataObject = {
		endpoint: spec.path,
		...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
		...(message !== undefined ? { message } : {}),
		...(typeof response?.dispatch_id === 'string' ? { dispatchId: response.dispatch_id } : {}),
		batch: batch.number,
		attempts: result.attempts,
		durationMs: result.durationMs,
		...sessionFields(result),
	};
	if (result.status === 'sent' && (message === 'success' || message === 'queued')) {
		const extra: IDataObject = {};
		if (Array.isArray(response?.errors) && response.errors.length > 0) extra.batchErrors = response.errors;
		if (typeof response?.deleted === 'number') extra.deleted = response.deleted;
		return batch.itemIndexes.map((itemIndex) => ({ itemIndex, delivery: { status: 'sent', ...base, ...extra } }));
	}
	const where = `Batch ${batch.number} of ${batchCount} (${range(batch)}) to ${spec.path}`;
	let failure: DeliveryFailure;
	let reason: string;
	if (result.status === 'sent') {
		reason = 'unexpected-answer';
		failure = {
			kind: 'api',
			message: `Braze answered HTTP ${result.statusCode} without "message": "success", so the request may not have been accepted`,
			description: `${where}: every item of this request is reported failed.`,
			httpCode: String(result.statusCode),
			...(response ? { response } : {}),
		};
	} else {
		reason = result.reason;
		const text =
			result.reason === 'client-error'
				? refusalMessage(spec, result.statusCode, message)
				: result.reason === 'redirect'
					? `Braze answered with a redirect (HTTP ${result.statusCode}), which is not followed: check the credential's REST instance URL`
					: result.message;
		failure = {
			kind: result.statusCode !== undefined ? 'api' : 'operation',
			message: text,
			description: `${where}: every item of this request failed${message && !text.includes(message) ? `. Braze said: ${message}` : '.'}`,
			...(result.statusCode !== undefined ? { httpCode: String(result.statusCode) } : {}),
			...(response ? { response } : {}),
		};
	}
	const delivery: DeliveryJson = { status: 'failed', reason, ...base };
	return batch.itemIndexes.map((itemIndex) => ({ itemIndex, delivery: { ...delivery }, failure }));
}
