import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { testNamedCredentials } from '../shared/liquid-network/credential-test';
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
		description: "Braze's REST API: track users, trigger Canvases and campaigns, and manage users, batching many items into each request",
		defaults: { name: 'Braze to Braze' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'brazeApi', required: true },
			// Named credentials for connected_content's :basic_auth and :auth_credentials.
			{ name: 'brazeConnectedContentApi', required: false, testedBy: 'brazeConnectedContentApiTest' },
			{
				name: 'sharedCooldownUpstashApi',
				required: true,
				displayOptions: { show: { sharedCooldownStore: ['upstash'] } },
			},
			{
				name: 'sharedCooldownWebdisApi',
				required: true,
				displayOptions: { show: { sharedCooldownStore: ['webdis'] } },
			},
		],
		properties: brazeToBrazeProperties,
	};

	methods = { credentialTest: { brazeConnectedContentApiTest: testNamedCredentials } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runBrazeToBraze(this);
	}
}
