/**
 * One attempt on the wire: the request as the template rendered it, through n8n's HTTP helpers
 * or, with Reuse Connections, fetch (transport/: both take these options), answered by a response
 * or a transport error. n8n's own refusals and cancellation end the whole execution instead.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { classifyRequestError, type ErrorKind } from './classify';
import { normalizeHeaders } from './rate-limit-headers';
import type { FullResponse } from './results';
import type { DeliverySettings } from './settings';
import { chooseTransport } from './transport/choose';
import type { TransportName } from './transport/types';

export interface DeliveryRequest {
	url: string;
	method: IHttpRequestMethods;
	headers: Record<string, string>;
	body?: string | object;
	json?: boolean;
	/** When set, the request goes through httpRequestWithAuthentication with this credential type. */
	credentialType?: string;
}

export type AttemptOutcome = (
	| { kind: 'response'; response: FullResponse }
	| { kind: 'error'; error: { kind: Exclude<ErrorKind, 'cancelled'>; code?: string } }
) & { transport?: TransportName };

export async function attempt(
	ctx: IExecuteFunctions,
	request: DeliveryRequest,
	settings: DeliverySettings,
): Promise<AttemptOutcome> {
	const cancelSignal = ctx.getExecutionCancelSignal();
	// A fresh options object per attempt: authentication writes its headers into it.
	const options: IHttpRequestOptions = {
		url: request.url,
		method: request.method,
		headers: { ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: !settings.followRedirects,
		timeout: settings.timeoutMs,
		...(request.body !== undefined ? { body: bodyAsSent(request.body, request.headers) } : {}),
		...(request.json !== undefined ? { json: request.json } : {}),
		...(cancelSignal ? { abortSignal: cancelSignal } : {}),
	};
	let transport: TransportName | undefined;
	try {
		const wire = await chooseTransport(ctx, request.credentialType, settings.reuseConnections, options);
		transport = wire.name;
		const response = await wire.send(options);
		return { kind: 'response', response, transport };
	} catch (error) {
		if (error instanceof NodeOperationError) {
			// n8n's own refusal (missing credentials and the like) applies to every item alike.
			throw new NodeOperationError(ctx.getNode(), error);
		}
		const classified = classifyRequestError(error);
		if (cancelSignal?.aborted || classified.kind === 'cancelled') {
			throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled while a request was in flight');
		}
		return { kind: 'error', error: { kind: classified.kind, code: classified.code }, transport };
	}
}

/**
 * axios trims a string body that parses as JSON when the Content-Type is application/json; a Buffer
 * goes out byte for byte, so the host receives exactly what the template rendered.
 */
function bodyAsSent(body: string | object, headers: Record<string, string>): string | object {
	if (typeof body !== 'string') return body;
	const contentType = normalizeHeaders(headers)['content-type'] ?? '';
	return contentType.toLowerCase().includes('application/json') ? Buffer.from(body, 'utf8') : body;
}
