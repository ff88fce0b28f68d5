import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export class BrazeToBraze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Braze to Braze',
		name: 'brazeToBraze',
		icon: { light: 'file:braze.svg', dark: 'file:braze.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Braze to Braze',
		defaults: { name: 'Braze to Braze' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Not built yet');
	}
}
