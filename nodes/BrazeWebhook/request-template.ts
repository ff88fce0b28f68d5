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
import type { BrazeLiquid, CompiledTemplate, LiquidScope, LiquidTemplateError, RenderResult } from '../shared/liquid';
import { bodyPairField, headerField, RAW_BODY_FIELD, URL_FIELD } from './field-labels';
import { IDEMPOTENCY_KEY_FIELD } from '../shared/n8n/idempotency-key';
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
	/** The Idempotency Key option: its header, and its Liquid unless the key is computed. */
	idempotencyKey?: { headerName: string; value?: CompiledTemplate };
}

/** Where an item's idempotency key comes from when the Liquid does not decide it. */
export interface IdempotencyKeySources {
	/** The key of an earlier delivery of this item that did not go through: it wins. */
	carried?: string;
	/** The key when the option has no Liquid. */
	computed: () => string;
}

export type RenderedWebhook =
	| { kind: 'request'; request: DeliveryRequest; idempotencyKey?: string }
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
		idempotencyKey: parameters.idempotencyKey && {
			headerName: parameters.idempotencyKey.headerName,
			value:
				parameters.idempotencyKey.template.trim() === ''
					? undefined
					: liquid.compile(parameters.idempotencyKey.template, IDEMPOTENCY_KEY_FIELD),
		},
	};
}

class Aborted {
	constructor(
		readonly field: string,
		readonly reason?: string,
	) {}
}

/** Renders one field; the node passes its own when fields may fetch (connected_content). */
export type FieldRenderer = (template: CompiledTemplate, scope: LiquidScope) => RenderResult;

const renderSync: FieldRenderer = (template, scope) => template.render(scope);

function renderField(template: CompiledTemplate, scope: IDataObject, render: FieldRenderer): string | Aborted {
	if (template.isStatic) return template.source;
	const result = render(template, scope);
	if (result.kind === 'output') return result.output;
	if (result.kind === 'abort') return new Aborted(template.field, result.reason);
	throw result.error;
}

/**
 * Renders one item's request. Bad input throws RequestInputError or LiquidTemplateError, each naming
 * the field (and position); `abort_message` in any field aborts the whole request.
 */
export function renderWebhook(
	template: WebhookTemplate,
	scope: IDataObject,
	keySources?: IdempotencyKeySources,
	render: FieldRenderer = renderSync,
): RenderedWebhook {
	const renderedUrl = renderField(template.url, scope, render);
	if (renderedUrl instanceof Aborted) return aborted(renderedUrl);
	const url = checkUrl(renderedUrl, URL_FIELD, template.allowedHosts);
	const headers: Record<string, string> = {};
	for (const header of template.headers) {
		if (header.name === '') continue;
		const value = renderField(header.value, scope, render);
		if (value instanceof Aborted) return aborted(value);
		checkHeader(header.name, value, header.value.field);
		headers[header.name] = value;
	}
	const idempotencyKey = renderIdempotencyKey(template, scope, keySources, render);
	if (idempotencyKey instanceof Aborted) return aborted(idempotencyKey);
	if (idempotencyKey !== undefined && template.idempotencyKey) {
		setHeader(headers, template.idempotencyKey.headerName, idempotencyKey);
	}
	const contentTypeName = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
	let body: string | undefined;
	if (template.body.type === 'keyValue') {
		const object: Record<string, string> = {};
		for (const pair of template.body.pairs) {
			const key = renderField(pair.key, scope, render);
			if (key instanceof Aborted) return aborted(key);
			const value = renderField(pair.value, scope, render);
			if (value instanceof Aborted) return aborted(value);
			if (key !== '') object[key] = value;
		}
		body = JSON.stringify(object);
		if (!contentTypeName) headers['Content-Type'] = 'application/json';
		checkSize(body, 'Body', template.maxBodyBytes);
	} else if (template.body.type === 'raw') {
		const raw = renderField(template.body.template, scope, render);
		if (raw instanceof Aborted) return aborted(raw);
		body = raw;
		checkSize(body, RAW_BODY_FIELD, template.maxBodyBytes);
		if (contentTypeName && isJsonContentType(headers[contentTypeName])) checkJson(body, RAW_BODY_FIELD);
		if (!contentTypeName) headers['Content-Type'] = 'text/plain; charset=utf-8';
	}
	return {
		kind: 'request',
		request: { url: url.toString(), method: template.method, headers, body, credentialType: template.credentialType },
		...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
	};
}

function renderIdempotencyKey(
	template: WebhookTemplate,
	scope: IDataObject,
	sources: IdempotencyKeySources | undefined,
	render: FieldRenderer,
): string | Aborted | undefined {
	const setting = template.idempotencyKey;
	if (!setting || !sources) return undefined;
	let key = sources.carried;
	if (key === undefined && setting.value) {
		const rendered = renderField(setting.value, scope, render);
		if (rendered instanceof Aborted) return rendered;
		key = rendered.trim();
		if (key === '') throw new RequestInputError(IDEMPOTENCY_KEY_FIELD, 'rendered empty; every item needs a key');
	}
	key ??= sources.computed();
	checkHeader(setting.headerName, key, IDEMPOTENCY_KEY_FIELD);
	return key;
}

/** Sets a header, replacing one of the same name typed in another case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
	for (const existing of Object.keys(headers)) {
		if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
	}
	headers[name] = value;
}

function aborted(abort: Aborted): RenderedWebhook {
	return { kind: 'abort', field: abort.field, reason: abort.reason };
}

export function isBadInput(error: unknown): error is RequestInputError | LiquidTemplateError {
	return error instanceof RequestInputError || (error as Error)?.name === 'LiquidTemplateError';
}
