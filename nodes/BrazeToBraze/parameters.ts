/** What one run of the node reads from its parameters before any item is planned. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { USERS_TRACK_MAX_OBJECTS } from '../shared/braze/users-track';
import type { BatchLimits, LimitMode } from './batching';
import type { Operation } from './operations/common';
import { BRAZE_TO_BRAZE_OPTION_GROUPS } from './description';
import { readFlatOptions } from '../shared/delivery';
import { readRunMode, type Preview } from '../shared/n8n/run-mode';

export interface BrazeToBrazeRun {
	operation: Operation;
	limits: BatchLimits;
	/** Entries per request for the endpoints other than /users/track (their cap is 50). */
	maxEntries: number;
	/** Requests on the wire at once; one user's requests still go in item order. */
	concurrency: number;
	dryRun: boolean;
	/** Which items a dry run plans and batches. */
	preview: Preview;
}

export const DEFAULT_CONCURRENT_REQUESTS = 10;
export const MAX_CONCURRENT_REQUESTS = 50;

export function readRun(ctx: IExecuteFunctions): BrazeToBrazeRun {
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const options = readFlatOptions(ctx, 0, BRAZE_TO_BRAZE_OPTION_GROUPS);
	const limits = readLimits(ctx, options);
	const concurrency = options.concurrentRequests === undefined ? DEFAULT_CONCURRENT_REQUESTS : Number(options.concurrentRequests);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENT_REQUESTS) {
		throw new NodeOperationError(ctx.getNode(), `Concurrent Requests must be a whole number from 1 to ${MAX_CONCURRENT_REQUESTS}`, {
			itemIndex: 0,
		});
	}
	return { operation, limits, maxEntries: Math.min(limits.max, 50), concurrency, ...readRunMode(ctx) };
}

function readLimits(ctx: IExecuteFunctions, options: IDataObject): BatchLimits {
	const mode: LimitMode = options.objectLimit === 'perArray' ? 'perArray' : 'total';
	const max = options.batchSize === undefined ? USERS_TRACK_MAX_OBJECTS : Number(options.batchSize);
	if (!Number.isInteger(max) || max < 1 || max > USERS_TRACK_MAX_OBJECTS) {
		throw new NodeOperationError(ctx.getNode(), `Batch Size must be a whole number from 1 to ${USERS_TRACK_MAX_OBJECTS}`, {
			itemIndex: 0,
		});
	}
	return { mode, max };
}
