import type {
	IDataObject,
	INode,
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
		// The outcome first, so n8n's Table view shows it in its first column.
		json: { [DELIVERY_KEY]: delivery, ...withoutDelivery(input.json) },
		pairedItem: { item: itemIndex },
	};
	if (input.binary) output.binary = input.binary;
	return output;
}

/** An item that comes back (e.g. a deferred item through a Wait node) gets its new outcome in front. */
function withoutDelivery(json: IDataObject): IDataObject {
	if (!(DELIVERY_KEY in json)) return json;
	const rest = { ...json };
	delete rest[DELIVERY_KEY];
	return rest;
}

/**
 * A failed item when the node continues on failure. With n8n's "Continue (using error output)" the
 * item must look like n8n's own error items (only `error` and `details`), so the engine routes it to
 * the error output and merges the input item's fields into it; with "Continue" it stays on the main
 * output as the input fields, `delivery` and `error`. (Setting `item.error` would make the engine
 * replace the whole JSON with the message, losing the outcome.)
 */
export function failedItem(
	input: INodeExecutionData,
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
	delivery: DeliveryJson,
	toErrorOutput: boolean,
): INodeExecutionData {
	if (toErrorOutput) {
		return {
			json: { error: error.message, details: { ...delivery, ...descriptionOf(error) } },
			pairedItem: { item: itemIndex },
		};
	}
	const output = resultItem(input, itemIndex, delivery);
	output.json.error = error.message;
	Object.assign(output.json, descriptionOf(error));
	return output;
}

function descriptionOf(error: NodeApiError | NodeOperationError): IDataObject {
	return error.description ? { errorDescription: error.description } : {};
}

/** Whether failed items go to n8n's error output (the node's "On Error" setting). */
export function usesErrorOutput(node: INode): boolean {
	return node.onError === 'continueErrorOutput';
}
