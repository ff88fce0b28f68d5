/**
 * The n8n errors a node reports for one item: a bad input (the item was not sent) and a failed
 * delivery. Both nodes build them here so a failed item reads the same whichever node made it.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

export type ItemError = NodeApiError | NodeOperationError;

/**
 * An item's error message that names the item once. n8n's editor appends " [item N]" to a message
 * that does not hold "item N" itself, so a prefix such as "Item 0: " would be said twice.
 */
export function forItem(message: string, itemIndex: number): string {
	return `${message} [item ${itemIndex}]`;
}

/** How a node words one of its own input errors; `undefined` when the error is not one of them. */
export type InputErrorWording = (
	error: unknown,
	itemIndex: number,
) => { message: string; description?: string } | undefined;

/**
 * The item's n8n error for anything thrown while preparing it. n8n errors pass through (given the
 * item index when they have none); the node's own input errors get its wording; anything else is
 * wrapped as it is.
 */
export function toItemError(
	node: INode,
	error: unknown,
	itemIndex: number,
	wording?: InputErrorWording,
): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const worded = wording?.(error, itemIndex);
	if (worded) {
		return new NodeOperationError(node, worded.message, { itemIndex, description: worded.description });
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/** Why an item's delivery failed, free of n8n: the node's outcome code describes it, this file makes the error. */
export interface DeliveryFailure {
	/** `api` for an answer (or a failure) of the remote API, `operation` for everything else. */
	kind: 'api' | 'operation';
	message: string;
	description?: string;
	httpCode?: string;
	/** What NodeApiError is built from: the remote answer, or a summary of it. */
	response?: IDataObject;
}

/** The item's n8n error for a failed delivery. */
export function deliveryFailureError(node: INode, failure: DeliveryFailure, itemIndex: number): ItemError {
	if (failure.kind === 'api') {
		return new NodeApiError(node, (failure.response ?? {}) as JsonObject, {
			message: failure.message,
			description: failure.description,
			httpCode: failure.httpCode,
			itemIndex,
		});
	}
	return new NodeOperationError(node, failure.message, { itemIndex, description: failure.description });
}
