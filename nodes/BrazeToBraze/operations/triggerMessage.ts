/**
 * Trigger Canvas and Trigger Campaign: each item is one recipient (external ID or user alias) with its
 * own entry or trigger properties and optional attributes; a broadcast or a connected audience is a
 * request of its own per item, only behind an explicit confirmation.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isPlainObject } from '../../shared/braze/users-track';
import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../../shared/liquid-fields/editor';
import { BROADCAST_BUDGET, PER_AUDIENCE_REQUESTS_PER_MINUTE, userKey, type EndpointEntry } from '../endpoints/spec';
import { stableJson } from '../endpoints/packing';
import type { LiquidValues } from '../liquid-values';
import { ItemInputError, parseJsonValue, tryParseJson } from '../values';
import type { ItemPlan } from './common';
import { identifierChoiceProperties, readIdentifier } from './identity';
import { readAttributesObject } from './trackUser';

type TriggerOperation = 'triggerCanvas' | 'triggerCampaign';
const OPERATIONS: TriggerOperation[] = ['triggerCanvas', 'triggerCampaign'];
const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: OPERATIONS, ...extra } });

/** Braze's cap on a recipient's entry or trigger properties. */
export const MAX_PROPERTIES_BYTES = 50 * 1024;

export const BROADCAST_WARNING =
	'A broadcast reaches every user in the Canvas or campaign segment, and a connected audience every user who matches it: thousands of messages from one item. Braze allows 250 such requests a minute, and 10 a minute per unique audience.';

export const triggerMessageProperties: INodeProperties[] = [
	{
		displayName: 'Canvas ID',
		name: 'canvasId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 6b7d4f1c-...',
		description: "The Canvas's API identifier (Canvas details, at the bottom). The Canvas must use API-triggered entry.",
		displayOptions: { show: { operation: ['triggerCanvas'] } },
	},
	{
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '',
		description: "The API-triggered campaign's identifier (campaign details)",
		displayOptions: { show: { operation: ['triggerCampaign'] } },
	},
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Each Item as a Recipient', value: 'recipients', description: 'Up to 50 recipients per request' },
			{ name: 'Broadcast to the Segment', value: 'broadcast', description: 'Everyone in the segment, one request per item' },
			{ name: 'Connected Audience', value: 'audience', description: 'Everyone matching an audience filter, one request per item' },
		],
		default: 'recipients',
		displayOptions: show(),
	},
	{
		displayName: BROADCAST_WARNING,
		name: 'broadcastNotice',
		type: 'notice',
		default: '',
		displayOptions: show({ sendTo: ['broadcast', 'audience'] }),
	},
	{
		displayName: 'Confirm Broadcast',
		name: 'confirmBroadcast',
		type: 'boolean',
		default: false,
		description: 'Whether you mean to message a whole segment or audience. Without it the node sends nothing.',
		displayOptions: show({ sendTo: ['broadcast', 'audience'] }),
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'json',
		default: '{\n  "AND": [\n    { "custom_attribute": { "custom_attribute_name": "plan", "comparison": "equals", "value": "gold" } }\n  ]\n}',
		description: "Braze's connected audience object",
		displayOptions: show({ sendTo: ['audience'] }),
	},
	...identifierChoiceProperties(OPERATIONS, ['external_id', 'user_alias'], 'Which Braze identifier names the recipient', {
		sendTo: ['recipients'],
	}),
	{
		displayName: 'Properties From',
		name: 'propertiesSource',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Item Fields', value: 'itemFields', description: 'Copy the named fields of the item, with their types' },
			{ name: 'JSON in Braze Liquid', value: 'liquidJson', description: 'A JSON object written in Braze Liquid, rendered per item' },
		],
		default: 'none',
		description:
			"The Canvas entry properties (context) or the campaign's trigger properties: {{context.${name}}} and {{api_trigger_properties.${name}}} in Braze",
		displayOptions: show(),
	},
	{
		displayName: 'Item Fields',
		name: 'propertyFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. event_name, amount, order.total',
		description: 'Comma-separated item fields (dots reach into objects); each becomes a property of the same last name',
		displayOptions: show({ propertiesSource: ['itemFields'] }),
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'string',
		typeOptions: { ...LIQUID_EDITOR, rows: 6 },
		hint: LIQUID_RULE_HINT,
		default: '{\n  "source": "{{event_properties.${source}}}"\n}',
		description: 'Must render to a JSON object of at most 50 KB',
		displayOptions: show({ propertiesSource: ['liquidJson'] }),
	},
	{
		displayName: 'Entry Properties Key',
		name: 'entryPropertiesKey',
		type: 'options',
		options: [
			{ name: 'Context (Current)', value: 'context' },
			{ name: 'Canvas Entry Properties (Legacy)', value: 'canvas_entry_properties' },
		],
		default: 'context',
		description: 'Braze renamed canvas_entry_properties to context; both are accepted',
		displayOptions: { show: { operation: ['triggerCanvas'], propertiesSource: ['itemFields', 'liquidJson'] } },
	},
	{
		displayName: 'Send To Existing Only',
		name: 'sendToExistingOnly',
		type: 'boolean',
		default: true,
		description:
			'Whether to message only users who already exist. When off, add attributes: Braze then creates the user first. Not sent for user aliases (Braze refuses it there).',
		displayOptions: show({ sendTo: ['recipients'], identifierType: ['external_id'] }),
	},
];

/** Checks the broadcast guard once per run: a broadcast without confirmation sends nothing. */
export function checkBroadcastGuard(ctx: IExecuteFunctions): void {
	const sendTo = ctx.getNodeParameter('sendTo', 0, 'recipients') as string;
	if (sendTo === 'recipients') return;
	if (ctx.getNodeParameter('confirmBroadcast', 0, false) !== true) {
		throw new ItemInputError(
			`Send To is "${sendTo === 'broadcast' ? 'Broadcast to the Segment' : 'Connected Audience'}" but Confirm Broadcast is off: nothing was sent`,
			BROADCAST_WARNING,
		);
	}
}

export function planTriggerMessage(
	ctx: IExecuteFunctions,
	operation: TriggerOperation,
	itemIndex: number,
	values: LiquidValues,
): ItemPlan {
	const isCanvas = operation === 'triggerCanvas';
	const idName = isCanvas ? 'canvasId' : 'campaignId';
	const id = String(ctx.getNodeParameter(idName, itemIndex, '') ?? '').trim();
	if (!id) throw new ItemInputError(`The ${isCanvas ? 'Canvas ID' : 'Campaign ID'} is empty for this item`);
	const idKey = isCanvas ? 'canvas_id' : 'campaign_id';
	const propertiesKey = isCanvas ? (ctx.getNodeParameter('entryPropertiesKey', itemIndex, 'context') as string) : 'trigger_properties';
	const properties = readProperties(ctx, itemIndex, values);
	const sendTo = ctx.getNodeParameter('sendTo', itemIndex, 'recipients') as string;

	if (sendTo !== 'recipients') {
		const request: IDataObject = { [idKey]: id };
		if (sendTo === 'broadcast') request.broadcast = true;
		else request.audience = readAudience(ctx, itemIndex);
		if (properties) request[propertiesKey] = properties;
		const audienceKey = `${idKey}:${id}:${sendTo === 'broadcast' ? 'segment' : stableJson(request.audience)}`;
		const entry: EndpointEntry = {
			itemIndex,
			request,
			users: [],
			budgets: [BROADCAST_BUDGET, { key: `audience ${audienceKey}`, requests: PER_AUDIENCE_REQUESTS_PER_MINUTE, windowMs: 60_000 }],
		};
		return { kind: 'entry', entry };
	}

	const { type, identifier } = readIdentifier(ctx, values, itemIndex);
	const recipient: IDataObject =
		type === 'user_alias' ? { user_alias: identifier.user_alias as IDataObject } : { external_user_id: identifier.external_id as string };
	if (properties) recipient[propertiesKey] = properties;
	const attributes = readAttributesObject(ctx, values, itemIndex);
	if (attributes) recipient.attributes = attributes as IDataObject;
	if (type === 'external_id') {
		const existingOnly = ctx.getNodeParameter('sendToExistingOnly', itemIndex, true) !== false;
		if (!existingOnly && !attributes) {
			throw new ItemInputError(
				'Send To Existing Only is off but the item has no attributes',
				'Braze creates a user only from attributes sent with the recipient: add at least one attribute, or turn Send To Existing Only on.',
			);
		}
		recipient.send_to_existing_only = existingOnly;
	}
	const user = type === 'user_alias' ? userKey('user_alias', identifier.user_alias) : userKey('external_id', identifier.external_id);
	return { kind: 'entry', entry: { itemIndex, request: { [idKey]: id }, listKey: 'recipients', entry: recipient, users: [user] } };
}

function readProperties(ctx: IExecuteFunctions, itemIndex: number, values: LiquidValues): IDataObject | undefined {
	const source = ctx.getNodeParameter('propertiesSource', itemIndex, 'none') as string;
	let properties: IDataObject | undefined;
	if (source === 'itemFields') properties = fromItemFields(ctx, itemIndex);
	if (source === 'liquidJson') {
		const text = values.read('propertiesJson', 'Properties (JSON)', itemIndex);
		const parsed = tryParseJson(text);
		if (!parsed.ok) {
			throw new ItemInputError('Properties (JSON) did not render to valid JSON', `${parsed.problem}. Rendered (first 300 characters): ${text.slice(0, 300)}`);
		}
		if (!isPlainObject(parsed.value)) throw new ItemInputError('Properties (JSON) must render to a JSON object');
		properties = parsed.value as IDataObject;
	}
	if (!properties || Object.keys(properties).length === 0) return undefined;
	const bytes = utf8Length(JSON.stringify(properties));
	if (bytes > MAX_PROPERTIES_BYTES) {
		throw new ItemInputError(
			`The properties of this item are ${bytes} bytes, more than Braze's 50 KB (${MAX_PROPERTIES_BYTES} bytes)`,
			'Braze refuses entry and trigger properties over 50 KB; send less, or an ID to look the rest up with.',
		);
	}
	return properties;
}

function fromItemFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const list = String(ctx.getNodeParameter('propertyFields', itemIndex, '') ?? '');
	const json = ctx.getInputData()[itemIndex].json;
	const properties: IDataObject = {};
	for (const path of list.split(',').map((name) => name.trim()).filter(Boolean)) {
		let value: unknown = json;
		for (const part of path.split('.')) {
			value = isPlainObject(value) ? (value as IDataObject)[part] : undefined;
		}
		if (value === undefined) {
			throw new ItemInputError(`The item has no field "${path}" (Item Fields)`, `Item fields: ${Object.keys(json).slice(0, 20).join(', ')}`);
		}
		properties[path.split('.').pop()!] = value as IDataObject[string];
	}
	return properties;
}

function readAudience(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('audience', itemIndex, '');
	const value = parseJsonValue(raw, 'Audience');
	if (!isPlainObject(value) || Object.keys(value).length === 0) throw new ItemInputError('Audience must be a non-empty JSON object');
	return value as IDataObject;
}

function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code < 0xdc00) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}
