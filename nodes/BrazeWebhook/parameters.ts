import {
	jsonParse,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
} from 'n8n-workflow';

import { BRAZE_WEBHOOK_AUTH_SECRET_FIELDS } from '../../credentials/BrazeWebhookAuthApi.credentials';
import { BRAZE_NAMESPACE_NAMES } from '../shared/braze/names';
import { readIdempotencyKeySetting, type IdempotencyKeySetting } from '../shared/n8n/idempotency-key';
import { credentialSecretValues } from '../shared/n8n/secrets';
import { isSensitiveHeader, parseAllowedHosts } from './request/request-checks';
import { overrideParameters, type NamespaceOverrides } from './template-data';

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

/** The parameters rendered with Liquid, with the field names users see. */
const LIQUID_PARAMETERS: ReadonlyArray<[parameter: string, label: string]> = [
	['url', 'Webhook URL'],
	['bodyPairs', 'Body Pairs'],
	['rawBody', 'Raw Body'],
	['headers', 'Request Headers'],
];

/** Parameters whose value shapes the request; when none is an expression they are read once. */
const REQUEST_PARAMETERS = ['url', 'method', 'authentication', 'bodyType', 'bodyPairs', 'rawBody', 'headers', 'options'];

// Liquid that n8n's expression engine cannot have produced: Braze attributes, tags, or filters.
const LIQUID_MARKERS = new RegExp(
	`\\$\\{|\\{%|\\{\\{[^}]*(?<!\\|)\\|(?!\\|)\\s*[a-z_]+|\\{\\{\\s*(${BRAZE_NAMESPACE_NAMES.join('|')})\\.`,
);

function rawValue(ctx: IExecuteFunctions, parameter: string): unknown {
	return ctx.getNodeParameter(parameter, 0, null, { rawExpressions: true });
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

function containsLiquidExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=') && LIQUID_MARKERS.test(value);
	if (Array.isArray(value)) return value.some(containsLiquidExpression);
	if (value && typeof value === 'object') return Object.values(value).some(containsLiquidExpression);
	return false;
}

/** True when no request parameter is an n8n expression, so every item gets the same templates. */
function requestParametersAreStatic(ctx: IExecuteFunctions): boolean {
	return !REQUEST_PARAMETERS.some((parameter) => containsExpression(rawValue(ctx, parameter)));
}

/**
 * n8n evaluates `{{ }}` in a field switched to Expression mode before the node sees it, which breaks
 * Braze Liquid. Returns the label of the first Liquid field in that state.
 */
function liquidFieldInExpressionMode(ctx: IExecuteFunctions): string | undefined {
	return LIQUID_PARAMETERS.find(([parameter]) => containsLiquidExpression(rawValue(ctx, parameter)))?.[1];
}

export function expressionModeError(ctx: IExecuteFunctions, label: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`${label} holds Braze Liquid but is in Expression mode, so n8n evaluated its {{ }} before Liquid could`,
		{
			itemIndex,
			description:
				'Switch the field to Fixed mode (hover it and choose "Fixed"): this node renders Liquid itself, once per item. To mix in n8n data, reference item fields from Liquid, e.g. {{${first_name}}} reads $json.first_name.',
		},
	);
}

function readParameters(ctx: IExecuteFunctions, itemIndex: number): WebhookParameters {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const authentication = ctx.getNodeParameter('authentication', itemIndex, 'none') as string;
	const bodyType = ctx.getNodeParameter('bodyType', itemIndex, 'keyValue') as WebhookParameters['bodyType'];
	const pairs = ctx.getNodeParameter('bodyPairs.pair', itemIndex, []) as Array<{ key?: string; value?: string }>;
	const headers = ctx.getNodeParameter('headers.header', itemIndex, []) as Array<{ name?: string; value?: string }>;
	return {
		url: String(ctx.getNodeParameter('url', itemIndex, '')),
		method: ctx.getNodeParameter('method', itemIndex, 'POST') as IHttpRequestMethods,
		credentialType: authentication === 'none' ? undefined : authentication,
		bodyType,
		bodyPairs:
			bodyType === 'keyValue' ? pairs.map((p) => ({ key: String(p.key ?? ''), value: String(p.value ?? '') })) : [],
		rawBody: bodyType === 'raw' ? String(ctx.getNodeParameter('rawBody', itemIndex, '')) : '',
		headers: headers.map((h) => ({ name: String(h.name ?? ''), value: String(h.value ?? '') })),
		allowedHosts: parseAllowedHosts(options.allowedHosts as string | undefined),
		maxBodyBytes: Math.max(1, Number(options.maxBodyKb ?? 1024)) * 1024,
		idempotencyKey: readIdempotencyKeySetting(options),
	};
}

export interface RunOptions {
	dryRun: boolean;
	concurrency: number;
}

function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		dryRun: options.dryRun === true,
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
						`Item ${itemIndex}: Template Data: ${parameter} is not valid JSON (${(error as Error).message})`,
						{ itemIndex },
					);
				}
			}
			if (object === null || typeof object !== 'object' || Array.isArray(object)) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: Template Data: ${parameter} must be an object (got ${Array.isArray(object) ? 'an array' : typeof object})`,
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
	/** The label of a Liquid field left in Expression mode: every item fails with it. */
	expressionModeField?: string;
	/** True when no request parameter is an n8n expression: the templates are compiled once. */
	parametersAreStatic: boolean;
	parametersFor: (itemIndex: number) => WebhookParameters;
	overridesFor: (itemIndex: number) => NamespaceOverrides;
	/** Values to keep out of every output: the credential's secrets and secret-looking typed headers. */
	secrets: string[];
}

export async function readRun(ctx: IExecuteFunctions): Promise<WebhookRun> {
	const runOptions = readRunOptions(ctx);
	const expressionModeField = liquidFieldInExpressionMode(ctx);
	const parametersAreStatic = requestParametersAreStatic(ctx);
	const overridesFor = overrideReader(ctx);
	const secrets = [...(await credentialSecrets(ctx)), ...typedHeaderSecrets(ctx)];
	return {
		...runOptions,
		expressionModeField,
		parametersAreStatic,
		parametersFor: (itemIndex) => readParameters(ctx, itemIndex),
		overridesFor,
		secrets,
	};
}

/** The credential's secret values, so outputs can be scrubbed of them (no request is made here). */
async function credentialSecrets(ctx: IExecuteFunctions): Promise<string[]> {
	const authentication = ctx.getNodeParameter('authentication', 0, 'none') as string;
	if (authentication === 'none') return [];
	const credentials = await ctx.getCredentials(authentication);
	const values = credentialSecretValues(credentials, BRAZE_WEBHOOK_AUTH_SECRET_FIELDS);
	if (typeof credentials.username === 'string' && typeof credentials.password === 'string') {
		values.push(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
	}
	return values;
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
