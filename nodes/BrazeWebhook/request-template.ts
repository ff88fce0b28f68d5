import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { DeliveryRequest } from '../shared/delivery';
import {
	checkHeader,
	checkJson,
	checkSize,
	checkUrl,
	isJsonContentType,
	RequestInputError,
} from './request/request-checks';
import type { BrazeLiquid, CompiledTemplate, LiquidTemplateError } from '../shared/liquid';
import { bodyPairField, headerField, RAW_BODY_FIELD, URL_FIELD } from './field-labels';
import type { WebhookParameters } from './parameters';

/** A webhook's parameters compiled once: Liquid parsed, static choices resolved. */
export interface WebhookTemplate {
	method: IHttpRequestMethods;
	url: CompiledTemplate;
	headers: Array<{ name: string; value: CompiledTemplate }>;
	body:
		| { type: 'none' }
		| { type: 'keyValue'; pairs: Array<{ key: CompiledTemplate; value: CompiledTemplate }> }
		| { type: 'raw'; template: CompiledTemplate };
	credentialType?: string;
	allowedHosts: string[];
	maxBodyBytes: number;
}

export type RenderedWebhook =
	| { kind: 'request'; request: DeliveryRequest }
	| { kind: 'abort'; field: string; reason?: string };


/** Compiles every Liquid field; throws LiquidTemplateError naming the field on a syntax error. */
export function compileWebhook(liquid: BrazeLiquid, parameters: WebhookParameters): WebhookTemplate {
	const body: WebhookTemplate['body'] =
		parameters.bodyType === 'raw'
			? { type: 'raw', template: liquid.compile(parameters.rawBody, RAW_BODY_FIELD) }
			: parameters.bodyType === 'keyValue'
				? {
						type: 'keyValue',
						pairs: parameters.bodyPairs.map((pair) => ({
							key: liquid.compile(pair.key, `${bodyPairField(pair.key)} key`),
							value: liquid.compile(pair.value, bodyPairField(pair.key)),
						})),
					}
				: { type: 'none' };
	return {
		method: parameters.method,
		url: liquid.compile(parameters.url, URL_FIELD),
		headers: parameters.headers.map((header) => ({
			name: header.name.trim(),
			value: liquid.compile(header.value, headerField(header.name.trim())),
		})),
		body,
		credentialType: parameters.credentialType,
		allowedHosts: parameters.allowedHosts,
		maxBodyBytes: parameters.maxBodyBytes,
	};
}

class Aborted {
	constructor(
		readonly field: string,
		readonly reason?: string,
	) {}
}

function renderField(template: CompiledTemplate, scope: IDataObject): string | Aborted {
	if (template.isStatic) return template.source;
	const result = template.render(scope);
	if (result.kind === 'output') return result.output;
	if (result.kind === 'abort') return new Aborted(template.field, result.reason);
	throw result.error;
}

/**
 * Renders one item's request. Bad input throws RequestInputError or LiquidTemplateError, each naming
 * the field (and position); `abort_message` in any field aborts the whole request.
 */
export function renderWebhook(template: WebhookTemplate, scope: IDataObject): RenderedWebhook {
	const renderedUrl = renderField(template.url, scope);
	if (renderedUrl instanceof Aborted) return aborted(renderedUrl);
	const url = checkUrl(renderedUrl, URL_FIELD, template.allowedHosts);
	const headers: Record<string, string> = {};
	for (const header of template.headers) {
		if (header.name === '') continue;
		const value = renderField(header.value, scope);
		if (value instanceof Aborted) return aborted(value);
		checkHeader(header.name, value, header.value.field);
		headers[header.name] = value;
	}
	const contentTypeName = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
	let body: string | undefined;
	if (template.body.type === 'keyValue') {
		const object: Record<string, string> = {};
		for (const pair of template.body.pairs) {
			const key = renderField(pair.key, scope);
			if (key instanceof Aborted) return aborted(key);
			const value = renderField(pair.value, scope);
			if (value instanceof Aborted) return aborted(value);
			if (key !== '') object[key] = value;
		}
		body = JSON.stringify(object);
		if (!contentTypeName) headers['Content-Type'] = 'application/json';
		checkSize(body, 'Body', template.maxBodyBytes);
	} else if (template.body.type === 'raw') {
		const raw = renderField(template.body.template, scope);
		if (raw instanceof Aborted) return aborted(raw);
		body = raw;
		checkSize(body, RAW_BODY_FIELD, template.maxBodyBytes);
		if (contentTypeName && isJsonContentType(headers[contentTypeName])) checkJson(body, RAW_BODY_FIELD);
		if (!contentTypeName) headers['Content-Type'] = 'text/plain; charset=utf-8';
	}
	return {
		kind: 'request',
		request: { url: url.toString(), method: template.method, headers, body, credentialType: template.credentialType },
	};
}

function aborted(abort: Aborted): RenderedWebhook {
	return { kind: 'abort', field: abort.field, reason: abort.reason };
}

export function isBadInput(error: unknown): error is RequestInputError | LiquidTemplateError {
	return error instanceof RequestInputError || (error as Error)?.name === 'LiquidTemplateError';
}
