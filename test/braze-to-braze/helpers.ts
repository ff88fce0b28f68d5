import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { BRAZE_TO_BRAZE_TYPE, executeNode, type ExecuteOptions, type NodeSpec } from '../harness/engine';
import type { BrazeStandIn } from './braze-stand-in';

export const API_KEY = 'braze-rest-key-5f3c9a7e-0d1b-4c2e-9f8a-1234567890ab';

/** Delivery options that keep the suite fast: short backoff, small budgets; a timeout no answer the stand-in sent can race. */
export const FAST: IDataObject = {
	initialRetryDelayMs: 20,
	maxRetryDelayMs: 100,
	waitBudgetMs: 10_000,
	timeoutMs: 30_000,
};

export function resetDeliveryState(): void {
	resetProcessState();
}

export async function runBrazeToBraze(
	braze: BrazeStandIn | { url: string },
	parameters: INodeParameters,
	items: IDataObject[] | INodeExecutionData[],
	extra: Partial<NodeSpec> & { options?: ExecuteOptions; apiKey?: string } = {},
) {
	const { options, apiKey, ...spec } = extra;
	const withFast: INodeParameters = { ...parameters, options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) } as INodeParameters };
	return await executeNode(
		{
			type: BRAZE_TO_BRAZE_TYPE,
			parameters: withFast,
			credentials: { brazeApi: { id: '1', name: 'Braze' } },
			...spec,
		},
		items,
		{
			...options,
			credentials: { brazeApi: { apiKey: apiKey ?? API_KEY, instance: 'custom', customUrl: braze.url } },
		},
	);
}

export function deliveries(output: INodeExecutionData[] | undefined): IDataObject[] {
	return (output ?? []).map((item) => item.json.delivery as IDataObject);
}
