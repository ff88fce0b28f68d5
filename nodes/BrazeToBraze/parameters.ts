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
	dryRun: boolean;
	/** Which items a dry run plans and batches. */
	preview: Preview;
}

export function readRun(ctx: IExecuteFunctions): BrazeToBrazeRun {
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const options = readFlatOptions(ctx, 0, BRAZE_TO_BRAZE_OPTION_GROUPS);
	const limits = readLimits(ctx, options);
	return { operation, limits, ...readRunMode(ctx) };
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
