import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BrazeObject, UsersTrackBody } from '../../shared/braze/users-track';
import {
	attributeValue,
	brazeTime,
	checkAttributeName,
	ItemInputError,
	propertiesObject,
	type AttributeValueType,
} from '../values';
import { readRawRows } from '../../shared/n8n/liquid-parameters';
import type { LiquidValues } from '../liquid-values';
import type { ItemPlan, PlanContext } from './common';
import { LIQUID_EDITOR } from '../../shared/liquid-fields/editor';

const show = { show: { operation: ['trackUser'] } };

const valueField = (type: AttributeValueType, field: INodeProperties): INodeProperties => ({
	...field,
	displayOptions: { show: { type: [type] } },
});

export const trackUserProperties: INodeProperties[] = [
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		placeholder: 'Add Attribute',
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { operation: ['trackUser', 'triggerCanvas', 'triggerCampaign'] } },
		default: {},
		description:
			'Standard or custom attributes to set on the profile (for a trigger: before the message is sent). A JSON null removes an attribute.',
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. first_name or favorite_color',
						description: 'Standard attribute (first_name, email, country, ...) or custom attribute name',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: 'JSON', value: 'json', description: 'Arrays, nested objects, null, or operations like {"add": ["x"]}' },
							{ name: 'Number', value: 'number' },
							{ name: 'String', value: 'string', description: 'Text, also dates in ISO 8601' },
						],
						default: 'string',
					},
					valueField('string', { displayName: 'Value', name: 'stringValue', type: 'string', typeOptions: LIQUID_EDITOR, default: '' }),
					valueField('number', { displayName: 'Value', name: 'numberValue', type: 'number', default: 0 }),
					valueField('boolean', {
						displayName: 'Value',
						name: 'booleanValue',
						type: 'boolean',
						default: false,
						description: 'Whether the attribute is true',
					}),
					valueField('json', { displayName: 'Value', name: 'jsonValue', type: 'json', default: 'null' }),
				],
			},
		],
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'fixedCollection',
		placeholder: 'Add Event',
		displayOptions: show,
		default: {},
		description: 'A custom event to record for the user',
		options: [
			{
				displayName: 'Event',
				name: 'details',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. cart_abandoned' },
					{
						displayName: 'Time',
						name: 'time',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $now }} or 2026-01-31T12:00:00Z',
						description: 'When the event happened (ISO 8601); empty means now',
					},
					{
						displayName: 'Properties',
						name: 'properties',
						type: 'json',
						default: '{}',
						description: 'Event properties as a JSON object',
					},
				],
			},
		],
	},
	{
		displayName: 'Purchase',
		name: 'purchase',
		type: 'fixedCollection',
		placeholder: 'Add Purchase',
		displayOptions: show,
		default: {},
		description: 'A purchase to record for the user',
		options: [
			{
				displayName: 'Purchase',
				name: 'details',
				values: [
					{
						displayName: 'Currency',
						name: 'currency',
						type: 'string',
						default: 'USD',
						description: 'ISO 4217 currency code',
					},
					{ displayName: 'Price', name: 'price', type: 'number', default: 0, typeOptions: { numberPrecision: 2 } },
					{ displayName: 'Product ID', name: 'productId', type: 'string', default: '' },
					{
						displayName: 'Properties',
						name: 'properties',
						type: 'json',
						default: '{}',
						description: 'Purchase properties as a JSON object',
					},
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 1, maxValue: 100 },
					},
					{
						displayName: 'Time',
						name: 'time',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $now }} or 2026-01-31T12:00:00Z',
						description: 'When the purchase happened (ISO 8601); empty means now',
					},
				],
			},
		],
	},
];

export interface AttributeEntry {
	name?: unknown;
	type?: AttributeValueType;
	stringValue?: unknown;
	numberValue?: unknown;
	booleanValue?: unknown;
	jsonValue?: unknown;
}

export interface TrackUserInput {
	identity: BrazeObject;
	attributes: AttributeEntry[];
	event?: { name?: unknown; time?: unknown; properties?: unknown };
	purchase?: {
		productId?: unknown;
		currency?: unknown;
		price?: unknown;
		quantity?: unknown;
		time?: unknown;
		properties?: unknown;
	};
	now: Date;
}

/** Builds the item's attributes, event and purchase objects. Pure. */
export function buildTrackUserObjects(input: TrackUserInput): UsersTrackBody {
	const objects: UsersTrackBody = {};
	if (input.attributes.length > 0) {
		const attributes: BrazeObject = { ...input.identity };
		for (const entry of input.attributes) {
			const name = checkAttributeName(entry.name);
			const type = entry.type ?? 'string';
			const raw = { string: entry.stringValue, number: entry.numberValue, boolean: entry.booleanValue, json: entry.jsonValue }[type];
			attributes[name] = attributeValue(type, raw, name);
		}
		objects.attributes = [attributes];
	}
	if (input.event) {
		const name = typeof input.event.name === 'string' ? input.event.name.trim() : '';
		if (!name) throw new ItemInputError('The event has no name');
		const event: BrazeObject = { ...input.identity, name, time: brazeTime(input.event.time, input.now, 'Event time') };
		const properties = propertiesObject(input.event.properties, 'Event properties');
		if (properties) event.properties = properties;
		objects.events = [event];
	}
	if (input.purchase) {
		const purchase = input.purchase;
		const productId = typeof purchase.productId === 'string' || typeof purchase.productId === 'number' ? String(purchase.productId).trim() : '';
		if (!productId) throw new ItemInputError('The purchase has no product ID');
		const currency = typeof purchase.currency === 'string' ? purchase.currency.trim().toUpperCase() : '';
		if (!/^[A-Z]{3}$/.test(currency)) {
			throw new ItemInputError('The purchase currency must be a three-letter ISO 4217 code', `Got ${JSON.stringify(purchase.currency)}.`);
		}
		const price = Number(purchase.price);
		if (purchase.price === '' || purchase.price === null || !Number.isFinite(price)) {
			throw new ItemInputError('The purchase price is not a number', `Got ${JSON.stringify(purchase.price)}.`);
		}
		const quantity = purchase.quantity === undefined || purchase.quantity === '' ? 1 : Number(purchase.quantity);
		if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100) {
			throw new ItemInputError('The purchase quantity must be a whole number from 1 to 100', `Got ${JSON.stringify(purchase.quantity)}.`);
		}
		const object: BrazeObject = {
			...input.identity,
			product_id: productId,
			currency,
			price,
			quantity,
			time: brazeTime(purchase.time, input.now, 'Purchase time'),
		};
		const properties = propertiesObject(purchase.properties, 'Purchase properties');
		if (properties) object.properties = properties;
		objects.purchases = [object];
	}
	if (!objects.attributes && !objects.events && !objects.purchases) {
		throw new ItemInputError('Nothing to track', 'Add at least one attribute, an event or a purchase.');
	}
	return objects;
}

export function planTrackUser(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identity: BrazeObject,
	values: LiquidValues,
	shared: PlanContext,
): ItemPlan {
	const rows = readRawRows(ctx, 'attributes.attribute');
	const attributes = rows.map((_, row) => readAttribute(ctx, values, itemIndex, row));
	const event = (ctx.getNodeParameter('event', itemIndex, {}) as { details?: IDataObject }).details;
	const purchase = (ctx.getNodeParameter('purchase', itemIndex, {}) as { details?: IDataObject }).details;
	return {
		kind: 'objects',
		objects: buildTrackUserObjects({ identity, attributes, event, purchase, now: shared.now }),
	};
}

/** The item's attribute rows as one object, without an identifier (a trigger recipient's `attributes`). */
export function readAttributesObject(ctx: IExecuteFunctions, values: LiquidValues, itemIndex: number): BrazeObject | undefined {
	const rows = readRawRows(ctx, 'attributes.attribute');
	if (rows.length === 0) return undefined;
	const attributes: BrazeObject = {};
	rows.forEach((_, row) => {
		const entry = readAttribute(ctx, values, itemIndex, row);
		const name = checkAttributeName(entry.name);
		const type = entry.type ?? 'string';
		const raw = { string: entry.stringValue, number: entry.numberValue, boolean: entry.booleanValue, json: entry.jsonValue }[type];
		attributes[name] = attributeValue(type, raw, name);
	});
	return attributes;
}

/** One attribute row; a string value is a Liquid field, the other kinds are read as n8n gives them. */
function readAttribute(ctx: IExecuteFunctions, values: LiquidValues, itemIndex: number, row: number): AttributeEntry {
	const path = `attributes.attribute[${row}]`;
	const type = ctx.getNodeParameter(`${path}.type`, itemIndex, 'string') as AttributeValueType;
	const name = ctx.getNodeParameter(`${path}.name`, itemIndex, '');
	const valueKey = `${type}Value` as const;
	const value =
		type === 'string'
			? values.read(`${path}.stringValue`, `Attribute "${String(name)}"`, itemIndex)
			: ctx.getNodeParameter(`${path}.${valueKey}`, itemIndex, undefined);
	return { name, type, [valueKey]: value };
}
