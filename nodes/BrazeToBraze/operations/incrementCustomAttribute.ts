import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BrazeObject, UsersTrackBody } from '../../shared/braze/users-track';
import { checkAttributeName, ItemInputError } from '../values';
import type { ItemPlan } from './common';

const show = { show: { operation: ['incrementCustomAttribute'] } };

export const incrementCustomAttributeProperties: INodeProperties[] = [
	{
		displayName: 'Attribute Name',
		name: 'attributeName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. messages_seen',
		displayOptions: show,
		description: 'The integer custom attribute to change; Braze creates it at 0 when the profile has none',
	},
	{
		displayName: 'Increment By',
		name: 'incrementBy',
		type: 'number',
		default: 1,
		typeOptions: { numberPrecision: 0 },
		displayOptions: show,
		description:
			'Whole number to add; a negative number subtracts. Braze applies it atomically ({"inc": n}), unlike a read-modify-write in Liquid.',
	},
];

/** `{ ...identity, [name]: { inc: n } }`. Pure. */
export function buildIncrementObjects(identity: BrazeObject, name: unknown, incrementBy: unknown): UsersTrackBody {
	const attribute = checkAttributeName(name);
	const amount = typeof incrementBy === 'string' && incrementBy.trim() !== '' ? Number(incrementBy) : incrementBy;
	if (typeof amount !== 'number' || !Number.isInteger(amount)) {
		throw new ItemInputError('Increment By must be a whole number', `Braze only increments integers. Got ${JSON.stringify(incrementBy)}.`);
	}
	return { attributes: [{ ...identity, [attribute]: { inc: amount } }] };
}

export function planIncrement(ctx: IExecuteFunctions, itemIndex: number, identity: BrazeObject): ItemPlan {
	return {
		kind: 'objects',
		objects: buildIncrementObjects(
			identity,
			ctx.getNodeParameter('attributeName', itemIndex),
			ctx.getNodeParameter('incrementBy', itemIndex),
		),
	};
}
