/** Which Braze user an operation's objects are for: the identifier fields, and reading them per item. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BrazeObject } from '../../shared/braze/users-track';
import { buildIdentifier, type IdentifierType } from '../values';
import { LIQUID_EDITOR } from '../../shared/liquid-fields/editor';
import type { LiquidValues } from '../liquid-values';
import type { Operation } from './common';

/** Identifier fields, shown for the operations that build their objects from fields. */
export function identifierProperties(operations: Operation[]): INodeProperties[] {
	const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: operations, ...extra } });
	return [
		{
			displayName: 'Identify User By',
			name: 'identifierType',
			type: 'options',
			noDataExpression: true,
			displayOptions: show(),
			options: [
				{ name: 'Braze ID', value: 'braze_id', description: 'The identifier Braze assigned to the profile' },
				{ name: 'Email', value: 'email', description: 'Used for lookup when no primary identifier is given' },
				{ name: 'External ID', value: 'external_id', description: 'Your own user ID' },
				{ name: 'Phone', value: 'phone', description: 'Used for lookup when no primary identifier or email is given (E.164)' },
				{ name: 'User Alias', value: 'user_alias', description: 'An alias name together with its alias label' },
			],
			default: 'external_id',
			description: 'Which Braze identifier the objects carry',
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			required: true,
			default: '',
			placeholder: 'e.g. {{ $json.userId }}',
			displayOptions: show({ identifierType: ['external_id'] }),
		},
		{
			displayName: 'Braze ID',
			name: 'brazeId',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			required: true,
			default: '',
			displayOptions: show({ identifierType: ['braze_id'] }),
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			placeholder: 'name@email.com',
			required: true,
			default: '',
			displayOptions: show({ identifierType: ['email'] }),
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			required: true,
			default: '',
			placeholder: '+14155550100',
			displayOptions: show({ identifierType: ['phone'] }),
		},
		{
			displayName: 'Alias Name',
			name: 'aliasName',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			required: true,
			default: '',
			displayOptions: show({ identifierType: ['user_alias'] }),
		},
		{
			displayName: 'Alias Label',
			name: 'aliasLabel',
			type: 'string',
			typeOptions: LIQUID_EDITOR,
			required: true,
			default: '',
			displayOptions: show({ identifierType: ['user_alias'] }),
		},
		{
			displayName: 'Update Existing Only',
			name: 'updateExistingOnly',
			type: 'boolean',
			default: false,
			displayOptions: show(),
			description:
				"Whether to only update profiles that already exist (Braze's _update_existing_only). When off, Braze creates a profile for an unknown identifier, also for a user alias.",
		},
	];
}

const IDENTIFIER_PARAMETER: Record<Exclude<IdentifierType, 'user_alias'>, string> = {
	braze_id: 'brazeId',
	email: 'email',
	external_id: 'externalId',
	phone: 'phone',
};

const FIELD_LABEL: Record<string, string> = {
	brazeId: 'Braze ID',
	email: 'Email',
	externalId: 'External ID',
	phone: 'Phone',
	aliasName: 'Alias Name',
	aliasLabel: 'Alias Label',
};

/** The item's identifier plus `_update_existing_only`: the start of every object it builds. */
export function readIdentity(ctx: IExecuteFunctions, values: LiquidValues, itemIndex: number): BrazeObject {
	const type = ctx.getNodeParameter('identifierType', itemIndex) as IdentifierType;
	const read = (parameter: string) => values.read(parameter, FIELD_LABEL[parameter], itemIndex);
	const identifier =
		type === 'user_alias'
			? buildIdentifier({ type, aliasName: read('aliasName'), aliasLabel: read('aliasLabel') })
			: buildIdentifier({ type, value: read(IDENTIFIER_PARAMETER[type]) });
	const updateExistingOnly = ctx.getNodeParameter('updateExistingOnly', itemIndex, false) as boolean;
	return { ...identifier, _update_existing_only: updateExistingOnly };
}
