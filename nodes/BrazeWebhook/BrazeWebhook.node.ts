import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runWebhook } from './run';
import { BODY_TYPES, webhookProperties } from './description';

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
				// n8n draws the credential selector just above the last parameter named here: naming Request
				// Body (every value) puts it under Authentication, the choice that makes it appear.
				displayOptions: { show: { authentication: ['brazeWebhookAuthApi'], bodyType: BODY_TYPES } },
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
			{
				message:
					'Deferred items (host cooling down, or a retry beyond the wait budget) carry delivery.retryAt: route them with an If node to a Wait node and back into this node.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
				displayCondition: '={{ $parameter.mode !== "dryRun" && $parameter.options?.dryRun !== true }}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runWebhook(this);
	}
}
