import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { brazeToBrazeProperties } from './description';
import { runBrazeToBraze } from './run';

export class BrazeToBraze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Braze to Braze',
		name: 'brazeToBraze',
		icon: { light: 'file:braze.svg', dark: 'file:braze.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ {"trackUser": "Track User", "incrementCustomAttribute": "Increment Custom Attribute", "customRequestBody": "Custom Request Body"}[$parameter["operation"]] }}',
		description: "Update Braze user profiles through /users/track, batching many items into each request",
		defaults: { name: 'Braze to Braze' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'brazeApi', required: true }],
		properties: brazeToBrazeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runBrazeToBraze(this);
	}
}
