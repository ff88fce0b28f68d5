import {
	jsonParse,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
} from 'n8n-workflow';

import { BRAZE_WEBHOOK_AUTH_SECRET_FIELDS } from '../../credentials/BrazeWebhookAuthApi.credentials';
import { LiquidFieldText } from '../shared/liquid-fields/field-text';
import { evaluatePlain, ItemLiquidText, readLiquidField, readRawRows } from '../shared/n8n/liquid-parameters';
import { readFlatOptions } from '../shared/delivery';
import { forItem } from '../shared/n8n/item-errors';
import { readRunMode, type Preview } from '../shared/n8n/run-mode';
import { readIdempotencyKeySetting, type IdempotencyKeySetting } from '../shared/n8n/idempotency-key';
import { credentialSecretValues } from '../shared/n8n/secrets';
import { isSensitiveHeader, parseAllowedHosts } from './request/request-checks';
import { bodyPairField, headerField, RAW_BODY_FIELD, URL_FIELD } from './field-labels';
import { encodedSigningSecret, MALFORMED_SIGNING_SECRET, signingKey } from './request/standard-webhooks';
import { overrideParameters, type NamespaceOverrides } from './template-data';
import { WEBHOOK_OPTION_GROUPS } from './description';

export interface WebhookParameters {
	url: string;
	method: IHttpRequestMethods;
	credentialType?: string;
	bodyType: 'keyValue' | 'raw' | 'none';
	bodyPairs: Array<{ key: string; value: string }>;
	rawBody: string;
	headers: Array<{ name: string; value: string }>;
	allowedHosts: string[];
	maxBodyBytes: number;
	idempotencyKey?: IdempotencyKeySetting;
}

/** Parameters outside the Liquid fields that shape the request; when none is an expression they are read once. */
const PLAIN_REQUEST_PARAMETERS = ['method', 'authentication', 'bodyType', 'options', 'limits'];

function isExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(isExpression);
	if (value && typeof value === 'object') return Object.values(value).some(isExpression);
	return false;
}

/** The Liquid fields as the user wrote them, read once; n8n's `{{ $… }}` in them are evaluated per item. */
interface LiquidFields {
	url: LiquidFieldText;
	rawBody: LiquidFieldText;
	headers: Array<{ name: unknown; value: LiquidFieldText }>;
	bodyPairs: Array<{ key: LiquidFieldText; value: LiquidFieldText }>;
}

const labelOf = (raw: unknown) => String(raw ?? '').replace(/^=/, '').trim();

function readLiquidFields(ctx: IExecuteFunctions): LiquidFields {
	return {
		url: readLiquidField(ctx, 'url', URL_FIELD),
		rawBody: readLiquidField(ctx, 'rawBody', RAW_BODY_FIELD),
		headers: readRawRows(ctx, 'headers.header').map((row) => ({
			name: row.name,
			value: LiquidFieldText.fromParameter(headerField(labelOf(row.name)), row.value),
		})),
		bodyPairs: readRawRows(ctx, 'bodyPairs.pair').map((row) => ({
			key: LiquidFieldText.fromParameter(`${bodyPairField(labelOf(row.key))} key`, row.key),
			value: LiquidFieldText.fromParameter(bodyPairField(labelOf(row.key)), row.value),
		})),
	};
}

function liquidFieldsAreStatic(fields: LiquidFields): boolean {
	return (
		fields.url.isSameForEveryItem &&
		fields.rawBody.isSameForEveryItem &&
		fields.headers.every((h) => !isExpression(h.name) && h.value.isSameForEveryItem) &&
		fields.bodyPairs.every((p) => p.key.isSameForEveryItem && p.value.isSameForEveryItem)
	);
}

/** One item's parameters: the Liquid sources with n8n's values spliced in, and the way back to the user's text. */
export interface ItemParameters {
	parameters: WebhookParameters;
	text: ItemLiquidText;
}

function readParameters(ctx: IExecuteFunctions, fields: LiquidFields, itemIndex: number): ItemParameters {
	const text = new ItemLiquidText(ctx, itemIndex);
	const options = readFlatOptions(ctx, itemIndex, WEBHOOK_OPTION_GROUPS);
	const authentication = ctx.getNodeParameter('authentication', itemIndex, 'none') as string;
	const bodyType = ctx.getNodeParameter('bodyType', itemIndex, 'keyValue') as WebhookParameters['bodyType'];
	const parameters: WebhookParameters = {
		url: text.text(fields.url),
		method: ctx.getNodeParameter('method', itemIndex, 'POST') as IHttpRequestMethods,
		credentialType: authentication === 'none' ? undefined : authentication,
		bodyType,
		bodyPairs:
			bodyType === 'keyValue'
				? fields.bodyPairs.map((p) => ({ key: text.text(p.key), value: text.text(p.value) }))
				: [],
		rawBody: bodyType === 'raw' ? text.text(fields.rawBody) : '',
		headers: fields.headers.map((h) => ({ name: evaluatePlain(ctx, h.name, itemIndex), value: text.text(h.value) })),
		allowedHosts: parseAllowedHosts(options.allowedHosts as string | undefined),
		maxBodyBytes: Math.max(1, Number(options.maxBodyKb ?? 1024)) * 1024,
		idempotencyKey: readIdempotencyKeySetting(options),
	};
	return { parameters, text };
}

export interface RunOptions {
	dryRun: boolean;
	/** Which items a dry run renders. */
	preview: Preview;
	concurrency: number;
}

function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = readFlatOptions(ctx, 0, WEBHOOK_OPTION_GROUPS);
	return {
		...readRunMode(ctx),
		concurrency: Math.min(200, Math.max(1, Math.floor(Number(options.concurrency ?? 10)) || 10)),
	};
}

/** The namespace overrides the user set, as a reader of one item's resolved objects. */
function overrideReader(ctx: IExecuteFunctions): (itemIndex: number) => NamespaceOverrides {
	const templateData = ctx.getNodeParameter('templateData', 0, {}, { rawExpressions: true }) as IDataObject;
	const chosen = overrideParameters(templateData);
	if (chosen.length === 0) return () => ({});
	return (itemIndex) => {
		const overrides: NamespaceOverrides = {};
		for (const [namespace, parameter] of chosen) {
			const value = ctx.getNodeParameter(`templateData.${parameter}`, itemIndex, {}) as unknown;
			let object = value;
			if (typeof value === 'string') {
				try {
					object = jsonParse<unknown>(value || '{}');
				} catch (error) {
					throw new NodeOperationError(
						ctx.getNode(),
						forItem(`Template Data: ${parameter} is not valid JSON (${(error as Error).message})`, itemIndex),
						{ itemIndex },
					);
				}
			}
			if (object === null || typeof object !== 'object' || Array.isArray(object)) {
				throw new NodeOperationError(
					ctx.getNode(),
					forItem(
						`Template Data: ${parameter} must be an object (got ${Array.isArray(object) ? 'an array' : typeof object})`,
						itemIndex,
					),
					{ itemIndex },
				);
			}
			overrides[namespace] = object as IDataObject;
		}
		return overrides;
	};
}

/** What one run of the node reads from its parameters and its credential, before any item is rendered. */
export interface WebhookRun extends RunOptions {
	/** True when no request parameter holds an n8n expression: the templates are compiled once. */
	parametersAreStatic: boolean;
	parametersFor: (itemIndex: number) => ItemParameters;
	overridesFor: (itemIndex: number) => NamespaceOverrides;
	/** Values to keep out of every output: the credential's secrets and secret-looking typed headers. */
	secrets: string[];
	/** The HMAC key when the credential signs requests (Standard Webhooks). */
	signingKey?: Buffer;
}

export async function readRun(ctx: IExecuteFunctions): Promise<WebhookRun> {
	const runOptions = readRunOptions(ctx);
	const fields = readLiquidFields(ctx);
	const parametersAreStatic =
		liquidFieldsAreStatic(fields) &&
		!PLAIN_REQUEST_PARAMETERS.some((parameter) => isExpression(ctx.getNodeParameter(parameter, 0, null, { rawExpressions: true })));
	const overridesFor = overrideReader(ctx);
	const credentials = await readCredentials(ctx);
	const secrets = [...credentialSecrets(credentials), ...typedHeaderSecrets(ctx)];
	return {
		...runOptions,
		parametersAreStatic,
		parametersFor: (itemIndex) => readParameters(ctx, fields, itemIndex),
		overridesFor,
		secrets,
		signingKey: credentials ? readSigningKey(ctx, credentials) : undefined,
	};
}

async function readCredentials(ctx: IExecuteFunctions): Promise<ICredentialDataDecryptedObject | undefined> {
	const authentication = ctx.getNodeParameter('authentication', 0, 'none') as string;
	if (authentication === 'none') return undefined;
	return await ctx.getCredentials<ICredentialDataDecryptedObject>(authentication);
}

/** The credential's secret values, so outputs can be scrubbed of them (no request is made here). */
function credentialSecrets(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	const values = credentialSecretValues(credentials, BRAZE_WEBHOOK_AUTH_SECRET_FIELDS);
	if (typeof credentials.username === 'string' && typeof credentials.password === 'string') {
		values.push(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
	}
	if (typeof credentials.signingSecret === 'string') {
		values.push(encodedSigningSecret(credentials.signingSecret));
	}
	return values;
}

function readSigningKey(ctx: IExecuteFunctions, credentials: ICredentialDataDecryptedObject): Buffer | undefined {
	if (credentials.signRequests !== true) return undefined;
	const key = signingKey(String(credentials.signingSecret ?? ''));
	if (key) return key;
	// The message never repeats the secret.
	throw new NodeOperationError(ctx.getNode(), MALFORMED_SIGNING_SECRET, {
		description: 'Fix the Signing Secret in the Braze-Style Webhook Auth credential, or turn Sign Requests off.',
	});
}

/**
 * Secret-looking header values typed into the node (as Braze's own docs tell users to do), so a host
 * echoing them back cannot put them in the output either. Liquid values are rendered per item and
 * cannot be known here.
 */
function typedHeaderSecrets(ctx: IExecuteFunctions): string[] {
	const headers = ctx.getNodeParameter('headers.header', 0, [], { rawExpressions: true }) as Array<{
		name?: unknown;
		value?: unknown;
	}>;
	const secrets: string[] = [];
	for (const { name, value } of headers) {
		if (typeof value !== 'string' || !isSensitiveHeader(String(name ?? '')) || value.includes('{')) continue;
		secrets.push(value);
		const credential = /^(?:bearer|basic|token)\s+(.+)$/i.exec(value.trim());
		if (credential) secrets.push(credential[1]);
	}
	return secrets;
}
