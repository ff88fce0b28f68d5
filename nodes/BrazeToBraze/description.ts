import type { INodeProperties } from 'n8n-workflow';

import {
	deliveryOptions,
	groupProperty,
	hostCooldownGroup,
	limitsGroup,
	retriesGroup,
	reuseConnectionsOption,
	type OptionGroup,
} from '../shared/delivery';
import { runModeProperties } from '../shared/n8n/run-mode';
import { onlyInVersions } from '../shared/n8n/versions';
import { customRequestBodyProperties } from './operations/customRequestBody';
import { identifierProperties } from './operations/identity';
import { incrementCustomAttributeProperties } from './operations/incrementCustomAttribute';
import { trackUserProperties } from './operations/trackUser';

const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 75 },
	default: 75,
	description:
		'Most objects in one /users/track request (per array with the legacy limit). Lower it if your Braze contract allows fewer.',
};

const objectLimitOption: INodeProperties = {
	displayName: 'Object Limit',
	name: 'objectLimit',
	type: 'options',
	options: [
		{
			name: 'Per Array (Legacy)',
			value: 'perArray',
			description: 'At most Batch Size objects in each array, up to three times that per request',
		},
		{
			name: 'Per Request (Current)',
			value: 'total',
			description: 'At most Batch Size objects in a request, attributes, events and purchases together',
		},
	],
	default: 'total',
	description: "How Braze counts /users/track objects for your account: 75 in total, or 75 per array on legacy rate limits",
};

const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

// Version 1's Options, read exactly as saved before version 2 (Dry Run among them).
const version1Options: INodeProperties[] = (
	[
		batchSizeOption,
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to build and batch the requests without sending them. Each item shows its objects and batch number; the first item of each batch shows the whole request body.',
		},
		objectLimitOption,
		...deliveryOptions,
	] as INodeProperties[]
).sort(byName);

/** Version 2's option groups; parameters.ts reads them back in version 1's flat names. */
export const BRAZE_TO_BRAZE_OPTION_GROUPS: OptionGroup[] = [retriesGroup, hostCooldownGroup, limitsGroup()];

const version2Options: INodeProperties[] = [
	batchSizeOption,
	objectLimitOption,
	reuseConnectionsOption,
].sort(byName);

const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});

/** The node's parameters: the operation, who the objects are for, each operation's fields, the options. */
export const brazeToBrazeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Custom Request Body',
				value: 'customRequestBody',
				description: 'Send a /users/track body written in Braze Liquid, rendered for each item',
				action: 'Send a custom request body',
			},
			{
				name: 'Increment Custom Attribute',
				value: 'incrementCustomAttribute',
				description: 'Add to or subtract from an integer custom attribute, atomically',
				action: 'Increment a custom attribute',
			},
			{
				name: 'Track User',
				value: 'trackUser',
				description: 'Set attributes and record an event or a purchase',
				action: 'Track a user',
			},
		],
		default: 'trackUser',
	},
	...onlyInVersions([2], runModeProperties('Send the objects to Braze in /users/track batches')),
	...identifierProperties(['trackUser', 'incrementCustomAttribute']),
	...trackUserProperties,
	...incrementCustomAttributeProperties,
	...customRequestBodyProperties,
	...onlyInVersions([1], [optionsCollection(version1Options)]),
	...onlyInVersions([2], BRAZE_TO_BRAZE_OPTION_GROUPS.map(groupProperty)),
	...onlyInVersions([2], [optionsCollection(version2Options)]),
];
