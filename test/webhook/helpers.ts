import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { executeNode, WEBHOOK_TYPE, type ExecuteOptions, type NodeSpec } from '../harness/engine';

/**
 * Delivery options that keep tests fast: millisecond backoff, no long waits. The timeout is generous
 * on purpose: an answer the server sent must never race it on a loaded machine; a test about
 * timeouts uses a server that never answers.
 */
export const FAST_DELIVERY: IDataObject = {
	initialRetryDelayMs: 5,
	maxRetryDelayMs: 20,
	timeoutMs: 30_000,
	waitBudgetMs: 5000,
};

export function webhookParameters(parameters: INodeParameters): INodeParameters {
	return {
		method: 'POST',
		bodyType: 'none',
		...parameters,
		options: { ...FAST_DELIVERY, ...((parameters.options as IDataObject | undefined) ?? {}) } as INodeParameters,
	};
}

export async function runWebhook(
	parameters: INodeParameters,
	items: IDataObject[],
	options: ExecuteOptions & Partial<Pick<NodeSpec, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>> = {},
) {
	return await executeNode(
		{
			type: WEBHOOK_TYPE,
			parameters: webhookParameters(parameters),
			onError: options.onError,
			retryOnFail: options.retryOnFail,
			maxTries: options.maxTries,
			waitBetweenTries: options.waitBetweenTries,
			credentials: Object.fromEntries(
				Object.keys(options.credentials ?? {}).map((type) => [type, { id: `cred-${type}`, name: type }]),
			),
		},
		items,
		options,
	);
}

export function deliveries(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json.delivery as IDataObject);
}

export function statuses(items: INodeExecutionData[]): string[] {
	return deliveries(items).map((delivery) => String(delivery.status));
}

/** Every string anywhere in the execution result, to search for leaked secrets. */
export function everything(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v instanceof Error ? { message: v.message, description: (v as { description?: string }).description, stack: v.stack } : v,
	);
}
