import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { testNamedCredentials } from '../shared/liquid-network/credential-test';
import { runWebhook } from './run';
import { webhookProperties } from './description';

export class BrazeWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Braze-Style Webhook',
		name: 'brazeWebhook',
		icon: { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
		description:
			'Send one HTTP request per item, written in Braze Liquid, with Braze retry rules and a per-host cooldown',
		defaults: { name: 'Braze-Style Webhook' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'brazeWebhookAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['brazeWebhookAuthApi'] } },
			},
			// Named credentials for connected_content's :basic_auth and :auth_credentials.
			{ name: 'brazeConnectedContentApi', required: false, testedBy: 'brazeConnectedContentApiTest' },
			// Content Blocks and catalog_items from the Braze workspace.
			{ name: 'brazeApi', required: false },
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
		properties: webhookProperties,
		hints: [
			{
				message:
					'A request header looks like it holds a secret. Put API keys and tokens in a Braze-Style Webhook Auth credential instead: headers typed here are saved in the workflow.',
				type: 'warning',
				location: 'ndv',
				whenToDisplay: 'always',
				displayCondition:
					'={{ ($parameter.headers?.header ?? []).some(h => /^(authorization|x-api-key|api-key)$/i.test(String(h.name ?? "").trim())) }}',
			},
		],
	};

	methods = { credentialTest: { brazeConnectedContentApiTest: testNamedCredentials } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runWebhook(this);
	}
}
