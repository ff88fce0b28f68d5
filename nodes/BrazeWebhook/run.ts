import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import {
	DeliverySession,
	mapWithConcurrency,
	readDeliverySettings,
	type DeliveryRequest,
	type DeliveryResult,
} from '../shared/delivery';
import { isSensitiveHeader, redactHeaders } from './request/request-checks';
import { BrazeLiquid } from '../shared/liquid';
import { failedItem, resultItem, usesErrorOutput, type DeliveryJson } from '../shared/n8n/item-results';
import { SecretScrubber } from '../shared/n8n/secrets';
import {
	expressionModeError,
	liquidFieldInExpressionMode,
	overrideReader,
	readParameters,
	readRunOptions,
	requestParametersAreStatic,
} from './parameters';
import { compileWebhook, isBadInput, renderWebhook, type WebhookTemplate } from './request-template';
import { buildUserScope } from './template-data';

const ITEMS_IN_PROGRESS = 1000;

interface PendingSend {
	itemIndex: number;
	request: DeliveryRequest;
}

export async function executeWebhook(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const runOptions = readRunOptions(ctx);
	const stopOnFailure = !ctx.continueOnFail();
	const toErrorOutput = usesErrorOutput(ctx.getNode());
	const liquid = new BrazeLiquid({ timezone: ctx.getTimezone() });
	const outputs: Array<INodeExecutionData | undefined> = new Array(items.length);

	const expressionModeField = liquidFieldInExpressionMode(ctx);
	const sharedTemplate = requestParametersAreStatic(ctx) ? prepareOnce(ctx, liquid) : undefined;
	const overridesFor = overrideReader(ctx);
	const scrubber = new SecretScrubber([...(await credentialSecrets(ctx)), ...typedHeaderSecrets(ctx)]);

	const fail = (itemIndex: number, error: NodeApiError | NodeOperationError, delivery: DeliveryJson) => {
		if (stopOnFailure) throw error;
		outputs[itemIndex] = failedItem(items[itemIndex], itemIndex, error, scrubber.deep(delivery), toErrorOutput);
	};

	const pending: PendingSend[] = [];
	// With Allowed Hosts, a redirect could lead to any host: redirects are then not followed.
	let restrictsHosts = false;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			if (expressionModeField) throw expressionModeError(ctx, expressionModeField, itemIndex);
			const template =
				sharedTemplate?.template ?? compileWebhook(liquid, readParameters(ctx, itemIndex));
			if (sharedTemplate?.error) throw sharedTemplate.error;
			if ((template as WebhookTemplate).allowedHosts.length > 0) restrictsHosts = true;
			const scope = buildUserScope(items[itemIndex].json, overridesFor(itemIndex)) as IDataObject;
			const rendered = renderWebhook(template as WebhookTemplate, scope);
			if (rendered.kind === 'abort') {
				outputs[itemIndex] = resultItem(items[itemIndex], itemIndex, {
					status: 'aborted',
					reason: rendered.reason ?? 'abort_message called',
					field: rendered.field,
				});
			} else if (runOptions.dryRun) {
				outputs[itemIndex] = resultItem(items[itemIndex], itemIndex, dryRunJson(rendered.request));
			} else {
				pending.push({ itemIndex, request: rendered.request });
			}
		} catch (error) {
			const itemError = asItemError(ctx, error, itemIndex);
			fail(itemIndex, itemError, {
				status: 'failed',
				reason: 'invalid-input',
				message: itemError.message,
			});
		}
	}

	if (pending.length > 0) {
		const settings = readDeliverySettings(ctx);
		if (restrictsHosts) settings.followRedirects = false;
		// The request slots bound what is on the wire; many more items may be in progress, because an
		// item sleeping through a backoff holds no slot.
		const session = new DeliverySession(ctx, settings, { maxConcurrentRequests: runOptions.concurrency });
		const itemsInProgress = Math.max(runOptions.concurrency, ITEMS_IN_PROGRESS);
		let stopError: NodeApiError | undefined;
		try {
			await mapWithConcurrency(pending, itemsInProgress, async ({ itemIndex, request }) => {
				if (stopError) return;
				const result = await session.send(request);
				if (stopError) return;
				if (result.status === 'failed') {
					const error = deliveryError(ctx, result, itemIndex, scrubber);
					if (stopOnFailure) {
						stopError = error;
						session.stop();
						return;
					}
					fail(itemIndex, error, deliveryJson(result, scrubber));
					return;
				}
				outputs[itemIndex] = resultItem(items[itemIndex], itemIndex, deliveryJson(result, scrubber));
			});
		} finally {
			session.finish();
		}
		if (stopError) throw stopError;
	}

	return [outputs.filter((item): item is INodeExecutionData => item !== undefined)];
}

function prepareOnce(
	ctx: IExecuteFunctions,
	liquid: BrazeLiquid,
): { template?: WebhookTemplate; error?: unknown } {
	try {
		return { template: compileWebhook(liquid, readParameters(ctx, 0)) };
	} catch (error) {
		return { error };
	}
}

function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (isBadInput(error)) {
		return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${(error as Error).message}`, {
			itemIndex,
			description:
				'This item was not sent. Fix the template or the item data; the other items are not affected.',
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

function dryRunJson(request: DeliveryRequest): DeliveryJson {
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

function deliveryJson(result: DeliveryResult, scrubber: SecretScrubber): DeliveryJson {
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

function deliveryError(
	ctx: IExecuteFunctions,
	result: Extract<DeliveryResult, { status: 'failed' }>,
	itemIndex: number,
	scrubber: SecretScrubber,
): NodeApiError {
	const message = scrubber.text(result.message);
	const response = scrubber.deep(result.body);
	return new NodeApiError(
		ctx.getNode(),
		{ message, ...(result.statusCode ? { httpCode: String(result.statusCode) } : {}) } as JsonObject,
		{
			itemIndex,
			message: `Item ${itemIndex}: ${message}`,
			description:
				response === undefined || response === ''
					? `After ${result.attempts} attempt(s).`
					: `After ${result.attempts} attempt(s). Response: ${truncate(typeof response === 'string' ? response : JSON.stringify(response))}`,
			...(result.statusCode ? { httpCode: String(result.statusCode) } : {}),
		},
	);
}

function truncate(text: string): string {
	return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The credential's secret values, so outputs can be scrubbed of them (no request is made here). */
async function credentialSecrets(ctx: IExecuteFunctions): Promise<string[]> {
	const authentication = ctx.getNodeParameter('authentication', 0, 'none') as string;
	if (authentication === 'none') return [];
	const credentials = await ctx.getCredentials(authentication);
	const values = [credentials.token, credentials.password, credentials.headerSecret].map((v) =>
		typeof v === 'string' ? v : undefined,
	);
	if (typeof credentials.username === 'string' && typeof credentials.password === 'string') {
		values.push(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
	}
	return values.filter((v): v is string => v !== undefined);
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
