import type { INodeProperties } from 'n8n-workflow';

import {
	deliveryOptions,
	groupProperty,
	hostCooldownGroup,
	limitsGroup,
	retriesGroup,
	reuseConnectionsOption,
	sharedCooldownStoreProperty,
	type OptionGroup,
} from '../shared/delivery';
import { connectedContentProperty } from '../shared/liquid-network/parameters';
import { runModeProperties } from '../shared/n8n/run-mode';
import { onlyInVersions } from '../shared/n8n/versions';
import { customRequestBodyProperties } from './operations/customRequestBody';
import { identifierProperties } from './operations/identity';
import { incrementCustomAttributeProperties } from './operations/incrementCustomAttribute';
import { trackUserProperties } from './operations/trackUser';
import { triggerMessageProperties } from './operations/triggerMessage';
import { userManagementProperties } from './operations/userManagement';

const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 75 },
	default: 75,
	description:
		'Most objects in one /users/track request (per array with the legacy limit). Lower it if your Braze contract allows fewer. The other endpoints take at most 50 entries per request, or this number when lower.',
};

const concurrentRequestsOption: INodeProperties = {
	displayName: 'Concurrent Requests',
	name: 'concurrentRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: 10,
	description:
		"Requests on the wire at once. One user's requests still go out in the order of their items; 1 sends one request at a time.",
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
		concurrentRequestsOption,
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
export const BRAZE_TO_BRAZE_OPTION_GROUPS: OptionGroup[] = [
	retriesGroup,
	hostCooldownGroup,
	limitsGroup([{ property: concurrentRequestsOption }]),
];

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
				name: 'Delete Users',
				value: 'deleteUsers',
				description: 'Delete users permanently (/users/delete), behind a confirmation',
				action: 'Delete users',
			},
			{
				name: 'Identify Users',
				value: 'identifyUsers',
				description: 'Give alias-only users an external ID (/users/identify)',
				action: 'Identify users',
			},
			{
				name: 'Increment Custom Attribute',
				value: 'incrementCustomAttribute',
				description: 'Add to or subtract from an integer custom attribute, atomically',
				action: 'Increment a custom attribute',
			},
			{
				name: 'Merge Users',
				value: 'mergeUsers',
				description: 'Merge one user into another (/users/merge)',
				action: 'Merge users',
			},
			{
				name: 'New User Alias',
				value: 'newUserAlias',
				description: 'Add an alias to a user, or create an alias-only user (/users/alias/new)',
				action: 'Create a user alias',
			},
			{
				name: 'Set Subscription Status',
				value: 'setSubscriptionStatus',
				description: 'Subscribe or unsubscribe users from an email or SMS group (/v2/subscription/status/set)',
				action: 'Set subscription status',
			},
			{
				name: 'Track User',
				value: 'trackUser',
				description: 'Set attributes and record an event or a purchase',
				action: 'Track a user',
			},
			{
				name: 'Trigger Campaign',
				value: 'triggerCampaign',
				description: 'Send an API-triggered campaign to each item (/campaigns/trigger/send)',
				action: 'Trigger a campaign',
			},
			{
				name: 'Trigger Canvas',
				value: 'triggerCanvas',
				description: 'Enter each item into an API-triggered Canvas (/canvas/trigger/send)',
				action: 'Trigger a canvas',
			},
		],
		default: 'trackUser',
	},
	...onlyInVersions([2], runModeProperties('Send the requests to Braze, batched per endpoint')),
	...identifierProperties(['trackUser', 'incrementCustomAttribute']),
	...trackUserProperties,
	...incrementCustomAttributeProperties,
	...customRequestBodyProperties,
	...triggerMessageProperties,
	...userManagementProperties,
	connectedContentProperty,
	sharedCooldownStoreProperty,
	...onlyInVersions([1], [optionsCollection(version1Options)]),
	...onlyInVersions([2], BRAZE_TO_BRAZE_OPTION_GROUPS.map(groupProperty)),
	...onlyInVersions([2], [optionsCollection(version2Options)]),
];
