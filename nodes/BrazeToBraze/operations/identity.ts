/** Which Braze user an operation's objects are for: the identifier fields, and reading them per item. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BrazeObject } from '../../shared/braze/users-track';
import { buildIdentifier, type IdentifierType } from '../values';
import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../../shared/liquid-fields/editor';
import type { LiquidValues } from '../liquid-values';
import type { Operation } from './common';

/** The identifier text fields: Liquid fields, each shown for its identifier type. */
const IDENTIFIER_FIELDS: Array<{ displayName: string; name: string; shownFor: IdentifierType; placeholder?: string }> = [
	{ displayName: 'External ID', name: 'externalId', shownFor: 'external_id', placeholder: 'e.g. {{${user_id}}} or {{ $json.userId }}' },
	{ displayName: 'Braze ID', name: 'brazeId', shownFor: 'braze_id' },
	{ displayName: 'Email', name: 'email', shownFor: 'email', placeholder: 'name@email.com' },
	{ displayName: 'Phone', name: 'phone', shownFor: 'phone', placeholder: '+14155550100' },
	{ displayName: 'Alias Name', name: 'aliasName', shownFor: 'user_alias' },
	{ displayName: 'Alias Label', name: 'aliasLabel', shownFor: 'user_alias' },
];

const TYPE_OPTIONS: Array<{ name: string; value: IdentifierType; description: string }> = [
	{ name: 'Braze ID', value: 'braze_id', description: 'The identifier Braze assigned to the profile' },
	{ name: 'Email', value: 'email', description: 'Used for lookup when no primary identifier is given' },
	{ name: 'External ID', value: 'external_id', description: 'Your own user ID' },
	{ name: 'Phone', value: 'phone', description: 'Used for lookup when no primary identifier or email is given (E.164)' },
	{ name: 'User Alias', value: 'user_alias', description: 'An alias name together with its alias label' },
];

/** Identifier fields, shown for the operations that build their objects from fields. */
export function identifierProperties(operations: Operation[]): INodeProperties[] {
	const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: operations, ...extra } });
	return [
		...identifierChoiceProperties(operations, TYPE_OPTIONS.map((option) => option.value), 'Which Braze identifier the objects carry'),
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

/** The identifier type and its fields, for operations that accept only some identifier types. */
export function identifierChoiceProperties(
	operations: Operation[],
	types: IdentifierType[],
	description: string,
	extraShow: Record<string, string[]> = {},
): INodeProperties[] {
	const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: operations, ...extraShow, ...extra } });
	return [
		{
			displayName: 'Identify User By',
			name: 'identifierType',
			type: 'options',
			noDataExpression: true,
			displayOptions: show(),
			options: TYPE_OPTIONS.filter((option) => types.includes(option.value)),
			default: 'external_id',
			description,
		},
		...IDENTIFIER_FIELDS.filter(({ shownFor }) => types.includes(shownFor)).map(
			({ displayName, name, shownFor, placeholder }): INodeProperties => ({
				displayName,
				name,
				type: 'string',
				typeOptions: LIQUID_EDITOR,
				required: true,
				default: '',
				...(placeholder ? { placeholder } : {}),
				...(name === 'externalId' || name === 'aliasName' ? { hint: LIQUID_RULE_HINT } : {}),
				displayOptions: show({ identifierType: [shownFor] }),
			}),
		),
	];
}

const IDENTIFIER_PARAMETER: Record<Exclude<IdentifierType, 'user_alias'>, string> = {
	braze_id: 'brazeId',
	email: 'email',
	external_id: 'externalId',
	phone: 'phone',
};

const FIELD_LABEL: Record<string, string> = Object.fromEntries(IDENTIFIER_FIELDS.map((f) => [f.name, f.displayName]));

/** The item's identifier: `{ external_id: "…" }`, `{ user_alias: { alias_name, alias_label } }`, ... */
export function readIdentifier(ctx: IExecuteFunctions, values: LiquidValues, itemIndex: number): { type: IdentifierType; identifier: BrazeObject } {
	const type = ctx.getNodeParameter('identifierType', itemIndex) as IdentifierType;
	const read = (parameter: string) => values.read(parameter, FIELD_LABEL[parameter], itemIndex);
	const identifier =
		type === 'user_alias'
			? buildIdentifier({ type, aliasName: read('aliasName'), aliasLabel: read('aliasLabel') })
			: buildIdentifier({ type, value: read(IDENTIFIER_PARAMETER[type]) });
	return { type, identifier };
}

/** The item's identifier plus `_update_existing_only`: the start of every object it builds. */
export function readIdentity(ctx: IExecuteFunctions, values: LiquidValues, itemIndex: number): BrazeObject {
	const { identifier } = readIdentifier(ctx, values, itemIndex);
	const updateExistingOnly = ctx.getNodeParameter('updateExistingOnly', itemIndex, false) as boolean;
	return { ...identifier, _update_existing_only: updateExistingOnly };
}
