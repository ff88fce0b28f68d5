/**
 * The node's run: render every item's request (or fail, abort or show it), then send the rendered
 * ones through one delivery session, and hand every input item back exactly once with its outcome.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency, readDeliverySettings, type DeliveryRequest, type SendRequest } from '../shared/delivery';
import { BrazeLiquid } from '../shared/liquid';
import { earlierTries, type EarlierTries } from '../shared/n8n/earlier-tries';
import { carriedIdempotencyKey, computedIdempotencyKeys } from '../shared/n8n/idempotency-key';
import { deliveryFailureError, toItemError } from '../shared/n8n/item-errors';
import { ItemOutputs, withDeliverySession } from '../shared/n8n/item-outputs';
import { PreviewSelection } from '../shared/n8n/run-mode';
import { SecretScrubber } from '../shared/n8n/secrets';
import {
	abortedJson,
	badInputWording,
	deliveryFailure,
	deliveryJson,
	dryRunJson,
	invalidInputJson,
	withSigningNote,
} from './outcome';
import { readRun, type ItemParameters, type WebhookRun } from './parameters';
import {
	compileWebhook,
	renderWebhook,
	type IdempotencyKeySources,
	type RenderedWebhook,
	type WebhookTemplate,
} from './request-template';
import { standardWebhookHeaders, webhookMessageId } from './request/standard-webhooks';
import { buildUserScope } from './template-data';

const ITEMS_IN_PROGRESS = 1000;

interface PendingSend {
	itemIndex: number;
	request: DeliveryRequest;
	idempotencyKey?: string;
}

/** Renders one item's request: n8n's values spliced into its Liquid fields, Liquid errors located in the user's text. */
type ItemRenderer = (itemIndex: number, keySources?: IdempotencyKeySources) => { rendered: RenderedWebhook; template: WebhookTemplate };

export async function runWebhook(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const run = await readRun(ctx);
	const liquid = new BrazeLiquid({ timezone: ctx.getTimezone() });
	const sharedTemplate = run.parametersAreStatic ? prepareOnce(run, liquid) : undefined;
	const scrubber = new SecretScrubber(run.secrets);
	const outputs = new ItemOutputs(ctx, items, { scrubber });
	const inputWording = badInputWording({ stopsOnFailure: outputs.stopsOnFailure, everyItemError: sharedTemplate?.error });
	const tries = run.dryRun ? undefined : earlierTries(ctx);
	let computedKeys: ((itemIndex: number) => string) | undefined;
	const keySourcesFor = (itemIndex: number): IdempotencyKeySources => ({
		carried: carriedIdempotencyKey(items[itemIndex].json),
		computed: () => (computedKeys ??= computedIdempotencyKeys(ctx))(itemIndex),
	});
	const preview = new PreviewSelection(run.preview, items.length);
	const previewProblem = run.dryRun ? preview.problem() : undefined;
	if (previewProblem) throw new NodeOperationError(ctx.getNode(), previewProblem, { itemIndex: 0 });
	const render = itemRenderer(run, liquid, sharedTemplate, (itemIndex) => preview.userOf(itemIndex, items[itemIndex].json));

	const pending: PendingSend[] = [];
	// With Allowed Hosts, a redirect could lead to any host: redirects are then not followed.
	let restrictsHosts = false;
	outputs.forEachItem(
		(itemIndex) => {
			const earlier = tries?.recall(itemIndex);
			if (earlier) {
				outputs.succeed(itemIndex, earlier.delivery);
				return;
			}
			if (run.dryRun && !preview.includes(itemIndex)) {
				outputs.succeed(itemIndex, preview.notPreviewed());
				return;
			}
			const { rendered, template } = render(itemIndex, keySourcesFor(itemIndex));
			if (template.allowedHosts.length > 0) restrictsHosts = true;
			if (rendered.kind === 'abort') {
				const delivery = abortedJson(rendered.reason, rendered.field);
				tries?.remember(itemIndex, { delivery });
				outputs.succeed(itemIndex, delivery);
			} else if (run.dryRun) {
				const signing = signedMessageId(ctx, run, itemIndex);
				const delivery = withSigningNote(dryRunJson(rendered.request, rendered.idempotencyKey), signing);
				outputs.succeed(itemIndex, preview.annotate(itemIndex, delivery));
			} else pending.push({ itemIndex, request: rendered.request, idempotencyKey: rendered.idempotencyKey });
		},
		(error, itemIndex) => {
			const itemError = toItemError(ctx.getNode(), error, itemIndex, inputWording);
			return { error: itemError, delivery: invalidInputJson(itemError) };
		},
	);

	if (pending.length > 0) await sendPending(ctx, run, pending, restrictsHosts, { outputs, scrubber, tries });
	if (!outputs.anyFailed) tries?.release();
	return outputs.collect();
}

function itemRenderer(
	run: WebhookRun,
	liquid: BrazeLiquid,
	sharedTemplate: { template?: WebhookTemplate; error?: unknown } | undefined,
	jsonOf: (itemIndex: number) => IDataObject,
): ItemRenderer {
	return (itemIndex, keySources) => {
		if (sharedTemplate?.error) throw sharedTemplate.error;
		const item: ItemParameters | undefined = sharedTemplate ? undefined : run.parametersFor(itemIndex);
		try {
			const template = sharedTemplate?.template ?? compileWebhook(liquid, (item as ItemParameters).parameters);
			const scope = buildUserScope(jsonOf(itemIndex), run.overridesFor(itemIndex)) as IDataObject;
			const sources = template.idempotencyKey ? keySources : undefined;
			return { rendered: renderWebhook(template, scope, sources), template };
		} catch (error) {
			throw item ? item.text.locate(error) : error;
		}
	};
}

async function sendPending(
	ctx: IExecuteFunctions,
	run: WebhookRun,
	pending: PendingSend[],
	restrictsHosts: boolean,
	{ outputs, scrubber, tries }: { outputs: ItemOutputs; scrubber: SecretScrubber; tries?: EarlierTries },
): Promise<void> {
	const settings = readDeliverySettings(ctx);
	if (restrictsHosts) settings.followRedirects = false;
	// The request slots bound what is on the wire; many more items may be in progress, because an
	// item sleeping through a backoff holds no slot.
	const itemsInProgress = Math.max(run.concurrency, ITEMS_IN_PROGRESS);
	await withDeliverySession(ctx, settings, { maxConcurrentRequests: run.concurrency }, async (session) => {
		await mapWithConcurrency(pending, itemsInProgress, async ({ itemIndex, request, idempotencyKey }) => {
			if (outputs.stopped) return;
			const result = await session.send(signed(ctx, run, itemIndex, request));
			const delivery = deliveryJson(result, scrubber, idempotencyKey);
			// Also once the node stopped: a request that went out must not go out again in n8n's next try.
			if (result.status !== 'failed') tries?.remember(itemIndex, { delivery });
			if (outputs.stopped) return;
			if (result.status === 'failed') {
				const error = deliveryFailureError(ctx.getNode(), deliveryFailure(result, itemIndex, scrubber), itemIndex);
				outputs.failInFlight(itemIndex, error, delivery);
				if (outputs.stopped) session.stop();
				return;
			}
			outputs.succeed(itemIndex, delivery);
		});
	});
	outputs.throwIfStopped();
}

/** The Standard Webhooks id of an item's delivery, when the credential signs requests. */
function signedMessageId(ctx: IExecuteFunctions, run: WebhookRun, itemIndex: number): string | undefined {
	if (!run.signingKey) return undefined;
	return webhookMessageId({
		workflowId: ctx.getWorkflow().id,
		executionId: ctx.getExecutionId(),
		nodeId: ctx.getNode().id,
		itemIndex,
	});
}

/** The request with a signature computed afresh for each attempt, over one id for all of them. */
function signed(ctx: IExecuteFunctions, run: WebhookRun, itemIndex: number, request: DeliveryRequest): SendRequest {
	const key = run.signingKey;
	const messageId = signedMessageId(ctx, run, itemIndex);
	if (!key || !messageId) return request;
	return { ...request, headersForAttempt: (body, nowMs) => standardWebhookHeaders(key, messageId, nowMs, body) };
}

function prepareOnce(run: WebhookRun, liquid: BrazeLiquid): { template?: WebhookTemplate; error?: unknown } {
	try {
		return { template: compileWebhook(liquid, run.parametersFor(0).parameters) };
	} catch (error) {
		return { error };
	}
}
