import type {
	IDataObject,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

/** What happened to one input item. Every item leaves the node exactly once with one of these. */
export type ItemStatus = 'sent' | 'deferred' | 'aborted' | 'failed' | 'dryRun';

/** The `delivery` object added to every output item: the public shape users' workflows read. */
export interface DeliveryJson extends IDataObject {
	status: ItemStatus;
}

/** The key under which the outcome is added to the item, next to the item's own fields. */
export const DELIVERY_KEY = 'delivery';

/**
 * The output item for an input item: the input's fields (so a deferred item can be routed through a
 * Wait node and back into the node unchanged) plus the outcome under `delivery`.
 */
export function resultItem(
	input: INodeExecutionData,
	itemIndex: number,
	delivery: DeliveryJson,
): INodeExecutionData {
	const output: INodeExecutionData = {
		json: { ...input.json, [DELIVERY_KEY]: delivery },
		pairedItem: { item: itemIndex },
	};
	if (input.binary) output.binary = input.binary;
	return output;
}

/**
 * A failed item when the node continues on failure (n8n's "Continue" or "Continue (using error
 * output)" settings): the error travels on the item so n8n routes it to the error output when the
 * user chose one, and stays on the main output with `error` set otherwise.
 */
export function failedItem(
	input: INodeExecutionData,
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
	delivery: DeliveryJson,
): INodeExecutionData {
	const output = resultItem(input, itemIndex, delivery);
	output.json.error = error.message;
	if (error.description) output.json.errorDescription = error.description;
	output.error = error;
	return output;
}
