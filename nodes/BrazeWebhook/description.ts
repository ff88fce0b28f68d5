import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	deliveryOptions,
	groupProperty,
	hostCooldownGroup,
	limitsGroup,
	retriesGroup,
	reuseConnectionsOption,
	sharedCooldownStoreProperty,
	type GroupedField,
	type OptionGroup,
} from '../shared/delivery';
import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../shared/liquid-fields/editor';
import { idempotencyKeyOption } from '../shared/n8n/idempotency-key';
import { onlyInVersions } from '../shared/n8n/versions';
import { runModeProperties } from '../shared/n8n/run-mode';
import { connectedContentProperty } from '../shared/liquid-network/parameters';
import { templateDataProperty } from './template-data';

const LIQUID_HINT =
	"Braze Liquid, e.g. {{${user_id}}} or {{custom_attribute.${plan}}}. A {{ }} that uses an n8n variable, like {{ $json.email }}, is n8n's and is evaluated first.";

const BODY_TYPE_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'JSON Key/Value Pairs',
		value: 'keyValue',
		description: 'A JSON object of string values, as in Braze',
	},
	{ name: 'None', value: 'none' },
	{
		name: 'Raw Text',
		value: 'raw',
		description: 'Any text, e.g. a JSON document with Liquid; set Content-Type in the headers',
	},
];

const requestProperties: INodeProperties[] = [
	{
		displayName: 'Webhook URL',
		name: 'url',
		type: 'string',
		typeOptions: LIQUID_EDITOR,
		default: '',
		required: true,
		placeholder: 'https://api.example.com/users/{{${user_id}}}',
		hint: LIQUID_RULE_HINT,
		description: 'The URL to send each item to, in Braze Liquid',
	},
	{
		displayName: 'HTTP Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Braze-Style Webhook Auth',
				value: 'brazeWebhookAuthApi',
				description: 'Bearer token, basic auth or a custom header, kept in an n8n credential',
			},
			{ name: 'None', value: 'none' },
		],
		default: 'none',
		description: 'Secrets belong in a credential, never in headers typed into the node',
	},
	// Where n8n's editor draws the credential selector (as n8n's Notion node does): under the
	// Authentication choice that makes it appear, not above it. Nothing is saved for it.
	{
		displayName: '',
		name: 'credentials',
		type: 'credentials',
		default: '',
	},
	{
		displayName: 'Request Body',
		name: 'bodyType',
		type: 'options',
		options: BODY_TYPE_OPTIONS,
		default: 'keyValue',
	},
	{
		displayName: 'Body Pairs',
		name: 'bodyPairs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Pair',
		default: {},
		displayOptions: { show: { bodyType: ['keyValue'] } },
		options: [
			{
				displayName: 'Pair',
				name: 'pair',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', typeOptions: LIQUID_EDITOR, default: '' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						typeOptions: LIQUID_EDITOR,
						default: '',
						placeholder: '{{${first_name} | default: "there"}}',
						description: LIQUID_HINT,
					},
				],
			},
		],
	},
	{
		displayName: 'Raw Body',
		name: 'rawBody',
		type: 'string',
		typeOptions: { ...LIQUID_EDITOR, rows: 10 },
		hint: LIQUID_RULE_HINT,
		default: '',
		placeholder: '{"attributes":[{"external_id":"{{${user_id}}}"}]}',
		displayOptions: { show: { bodyType: ['raw'] } },
		description: `The request body. ${LIQUID_HINT} With a JSON Content-Type the rendered body must be valid JSON.`,
	},
	{
		displayName: 'Request Headers',
		name: 'headers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Header',
		default: {},
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Content-Type' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						typeOptions: LIQUID_EDITOR,
						default: '',
						placeholder: 'application/json',
						description: LIQUID_HINT,
					},
				],
			},
		],
	},
	templateDataProperty,
	connectedContentProperty,
	sharedCooldownStoreProperty,
];

// Version 1's Options, read exactly as saved before version 2 (Dry Run among them).
const allowedHostsOption: INodeProperties = {
	displayName: 'Allowed Hosts',
	name: 'allowedHosts',
	type: 'string',
	default: '',
	placeholder: 'api.example.com, *.crm.example.com',
	description:
		'Comma-separated host names this node may call (a leading *. matches subdomains). Empty allows any host.',
};

const maxBodySizeOption: INodeProperties = {
	displayName: 'Max Body Size (KB)',
	name: 'maxBodyKb',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1024,
	description: 'A rendered body larger than this fails its item instead of being sent',
};

const concurrencyOption: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 200 },
	default: 10,
	description: 'How many requests may be in flight at once',
};

const version1Options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		allowedHostsOption,
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to render each request and output it without sending it (secrets redacted), to build templates in the editor',
		},
		idempotencyKeyOption,
		maxBodySizeOption,
		concurrencyOption,
		...deliveryOptions,
	],
};

/** The webhook's own Limits, before the shared ones (timeout, redirects). */
const WEBHOOK_LIMIT_FIELDS: GroupedField[] = [
	{ property: concurrencyOption },
	{ property: maxBodySizeOption },
	{ property: allowedHostsOption },
];

/** Version 2's option groups; parameters.ts reads them back in version 1's flat names. */
export const WEBHOOK_OPTION_GROUPS: OptionGroup[] = [retriesGroup, hostCooldownGroup, limitsGroup(WEBHOOK_LIMIT_FIELDS)];

const version2Options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [idempotencyKeyOption, reuseConnectionsOption],
};

export const webhookProperties: INodeProperties[] = [
	...onlyInVersions([2], runModeProperties('Send one request per item')),
	...requestProperties,
	...onlyInVersions([1], [version1Options]),
	...onlyInVersions([2], WEBHOOK_OPTION_GROUPS.map(groupProperty)),
	...onlyInVersions([2], [version2Options]),
];
