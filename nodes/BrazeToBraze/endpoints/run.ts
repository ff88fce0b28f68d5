/**
 * Runs an operation on an endpoint other than /users/track: packs the items' entries into requests,
 * shows them (dry run) or sends them concurrently with each user's requests in item order, within
 * Braze's documented request pools and its rate-limit headers, and gives every item its outcome.
 */
import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { readDeliverySettings, type DeliveryResult } from '../../shared/delivery';
import type { EarlierTries } from '../../shared/n8n/earlier-tries';
import { deliveryFailureError } from '../../shared/n8n/item-errors';
import { withDeliverySession, type ItemOutputs } from '../../shared/n8n/item-outputs';
import type { DeliveryJson } from '../../shared/n8n/item-results';
import { rememberOutcome } from '../outcome';
import { RequestBudgets } from '../request-budgets';
import { readConnection, sendBrazeRequest } from '../transport/usersTrack';
import { runInUserOrder } from '../user-order';
import { endpointOutcomes } from './outcome';
import { packEntries, type EndpointBatch } from './packing';
import { ENDPOINTS, type EndpointEntry, type EndpointOperation } from './spec';

export interface EndpointRun {
	operation: EndpointOperation;
	/** Entries per request, at most the endpoint's cap. */
	maxEntries: number;
	concurrency: number;
	dryRun: boolean;
}

export async function runEndpointOperation(
	ctx: IExecuteFunctions,
	run: EndpointRun,
	entries: EndpointEntry[],
	outputs: ItemOutputs,
	tries: EarlierTries | undefined,
): Promise<void> {
	const spec = ENDPOINTS[run.operation];
	const batches = packEntries(entries, Math.min(run.maxEntries, spec.maxEntries), spec.body, spec.listsShareRequest);
	if (batches.length === 0) return;
	const connection = await readConnection(ctx);
	const url = connection.scrubber.text(`${connection.base}${spec.path}`);
	if (run.dryRun) {
		const entryOf = new Map(entries.map((entry) => [entry.itemIndex, entry]));
		for (const batch of batches) {
			batch.itemIndexes.forEach((itemIndex, position) => {
				const own = entryOf.get(itemIndex);
				const delivery: DeliveryJson = {
					status: 'dryRun',
					endpoint: spec.path,
					batch: batch.number,
					batchCount: batches.length,
					...(own?.entry !== undefined ? { entry: own.entry as IDataObject } : {}),
					// Where requests carry several arrays, which one holds the item's entry.
					...(spec.listsShareRequest && own?.listKey ? { list: own.listKey } : {}),
				};
				if (position === 0) {
					delivery.request = {
						method: 'POST',
						url,
						headers: { 'Content-Type': 'application/json', Authorization: 'Bearer <the API key from the Braze API credential>' },
						entryCount: batch.itemIndexes.length,
						body: batch.body as IDataObject,
					};
				}
				outputs.succeed(itemIndex, delivery);
			});
		}
		return;
	}

	const budgets = new RequestBudgets();
	const signal = ctx.getExecutionCancelSignal();
	const settings = readDeliverySettings(ctx);
	const startedAt = Date.now();
	await withDeliverySession(ctx, settings, {}, async (session) => {
		const send = async (batch: EndpointBatch): Promise<void> => {
			const now = Date.now();
			const at = budgets.reserve([spec.budget, ...batch.budgets], now);
			// Braze's pool is used up for longer than this execution may wait: defer, as the pacer does.
			let result: DeliveryResult;
			if (at - startedAt > settings.waitBudgetMs) {
				result = poolDeferred(at, spec.label);
			} else {
				if (at > now) await sleep(at - now, signal);
				result = await sendBrazeRequest(session, connection, spec.path, batch.body);
			}
			const outcomes = endpointOutcomes(spec, batch, result, batches.length);
			for (const outcome of outcomes) rememberOutcome(tries, outcome);
			for (const outcome of outcomes) {
				if (outcome.failure) {
					if (outputs.stopsOnFailure) session.stop();
					outputs.failInFlight(outcome.itemIndex, deliveryFailureError(ctx.getNode(), outcome.failure, outcome.itemIndex), outcome.delivery);
				} else {
					outputs.succeed(outcome.itemIndex, outcome.delivery);
				}
			}
		};
		await runInUserOrder(batches, run.concurrency, send, () => !outputs.stopped && !signal?.aborted, (ms) => session.pause(ms));
	});
	outputs.throwIfStopped();
}

function poolDeferred(at: number, label: string): DeliveryResult {
	return {
		status: 'deferred',
		reason: 'rate-limit',
		retryAt: new Date(at).toISOString(),
		attempts: 0,
		message: `Braze's request limit for ${label} is used up until ${new Date(at).toISOString()}, beyond this execution's wait budget`,
	};
}
