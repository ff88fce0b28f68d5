import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export class BrazeWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Braze-style Webhook',
		name: 'brazeWebhook',
		icon: { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Braze-style Webhook',
		defaults: { name: 'Braze-style Webhook' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Not built yet');
	}
}
