/**
 * The node's run: render every item's request (or fail, abort or show it), then send the rendered
 * ones through one delivery session, and hand every input item back exactly once with its outcome.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	mapWithConcurrency,
	readDeliverySettings,
	readFlatOptions,
	type DeliveryRequest,
	type SendRequest,
} from '../shared/delivery';
import { BrazeLiquid } from '../shared/liquid';
import { earlierTries, type EarlierTries } from '../shared/n8n/earlier-tries';
import { carriedIdempotencyKey, computedIdempotencyKeys } from '../shared/n8n/idempotency-key';
import { deliveryFailureError, toItemError } from '../shared/n8n/item-errors';
import { ItemOutputs, withDeliverySession } from '../shared/n8n/item-outputs';
import { PreviewSelection } from '../shared/n8n/run-mode';
import { SecretScrubber } from '../shared/n8n/secrets';
import { LiquidNetworkRun } from '../shared/liquid-network/liquid-network-run';
import { DialectError } from '../shared/liquid/errors/dialect-error';
import {
	abortedJson,
	badInputWording,
	deliveryFailure,
	deliveryJson,
	dryRunJson,
	invalidInputJson,
	withSigningNote,
} from './outcome';
import { WEBHOOK_OPTION_GROUPS } from './description';
import { readRun, type ItemParameters, type WebhookRun } from './parameters';
import {
	compileWebhook,
	renderWebhook,
	type FieldRenderer,
	type IdempotencyKeySources,
	type RenderedWebhook,
	type WebhookTemplate,
} from './request-template';
import { hostAllowed, parseAllowedHosts } from './request/request-checks';
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
	const network = await LiquidNetworkRun.start(ctx, { dryRun: run.dryRun, checkHost: allowedHostCheck(ctx), concurrency: run.concurrency });
	const liquid = new BrazeLiquid({ timezone: ctx.getTimezone(), contentBlocks: network?.contentBlocks });
	const sharedTemplate = run.parametersAreStatic ? prepareOnce(run, liquid) : undefined;
	const scrubber = new SecretScrubber([...run.secrets, ...(network?.secrets ?? [])]);
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
	const render = itemRenderer(run, liquid, sharedTemplate, (itemIndex) => preview.userOf(itemIndex, items[itemIndex].json), network);
	if (network) {
		const toPrepare = items
			.map((_, itemIndex) => itemIndex)
			.filter((itemIndex) => !tries?.recall(itemIndex) && (!run.dryRun || preview.includes(itemIndex)));
		await network.prepareAhead(toPrepare, run.concurrency, (itemIndex) => render(itemIndex, keySourcesFor(itemIndex)));
	}

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
				const calls = network?.callsOf(itemIndex);
				const shown = preview.annotate(itemIndex, dryRunJson(rendered.request, rendered.idempotencyKey));
				if (calls) shown.connectedContent = calls;
				// What a fetch returned may echo a named credential's secret into the rendered request.
				outputs.succeed(itemIndex, withSigningNote(network ? scrubber.deep(shown) : shown, signing));
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
	network: LiquidNetworkRun | undefined,
): ItemRenderer {
	return (itemIndex, keySources) => {
		const renderField: FieldRenderer | undefined = network && ((t, scope) => network.renders.render(t, scope, itemIndex));
		if (sharedTemplate?.error) throw sharedTemplate.error;
		const item: ItemParameters | undefined = sharedTemplate ? undefined : run.parametersFor(itemIndex);
		try {
			const template = sharedTemplate?.template ?? compileWebhook(liquid, (item as ItemParameters).parameters);
			const scope = buildUserScope(jsonOf(itemIndex), run.overridesFor(itemIndex)) as IDataObject;
			const sources = template.idempotencyKey ? keySources : undefined;
			return { rendered: renderWebhook(template, scope, sources, renderField), template };
		} catch (error) {
			throw item ? item.text.locate(error) : error;
		}
	};
}

async function sendPending(
	ctx: IExecuteFunctions,
	run: WebhookRun,
	pending: Array<PendingSend | undefined>,
	restrictsHosts: boolean,
	{ outputs, scrubber, tries }: { outputs: ItemOutputs; scrubber: SecretScrubber; tries?: EarlierTries },
): Promise<void> {
	const settings = readDeliverySettings(ctx);
	if (restrictsHosts) settings.followRedirects = false;
	// The request slots bound what is on the wire; many more items may be in progress, because an
	// item sleeping through a backoff holds no slot.
	const itemsInProgress = Math.max(run.concurrency, ITEMS_IN_PROGRESS);
	await withDeliverySession(ctx, settings, { maxConcurrentRequests: run.concurrency }, async (session) => {
		// By position, so that each rendered request can be let go once its item is settled: with
		// 100,000 items, holding every request to the end was the largest part of the live heap.
		const positions = Array.from(pending, (_, position) => position);
		await mapWithConcurrency(positions, itemsInProgress, async (position) => {
			const { itemIndex, request, idempotencyKey } = pending[position]!;
			pending[position] = undefined;
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

/** connected_content obeys the node's Allowed Hosts like the webhook itself. */
function allowedHostCheck(ctx: IExecuteFunctions): (url: URL) => void {
	const allowed = parseAllowedHosts(readFlatOptions(ctx, 0, WEBHOOK_OPTION_GROUPS).allowedHosts as string | undefined);
	return (url) => {
		if (allowed.length > 0 && !hostAllowed(url.hostname, allowed)) {
			throw new DialectError('render', `connected_content: host "${url.hostname}" is not in this node's Allowed Hosts (${allowed.join(', ')})`);
		}
	};
}

function prepareOnce(run: WebhookRun, liquid: BrazeLiquid): { template?: WebhookTemplate; error?: unknown } {
	try {
		return { template: compileWebhook(liquid, run.parametersFor(0).parameters) };
	} catch (error) {
		return { error };
	}
}
