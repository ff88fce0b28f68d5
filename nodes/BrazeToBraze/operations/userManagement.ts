/**
 * The user-management calls: Identify (alias to external ID), New Alias, Merge, Delete (behind a
 * confirmation, irreversible) and Set Subscription Status (v2). Each item is one entry of its
 * endpoint's array; the identifier fields are Braze Liquid like the rest of the node.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIQUID_EDITOR, LIQUID_RULE_HINT } from '../../shared/liquid-fields/editor';
import { userKey, type EndpointEntry } from '../endpoints/spec';
import type { LiquidValues } from '../liquid-values';
import { buildIdentifier, ItemInputError, type IdentifierType } from '../values';
import type { ItemPlan } from './common';
import { identifierChoiceProperties, readIdentifier } from './identity';

const liquidField = (displayName: string, name: string, operations: string[], extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	typeOptions: LIQUID_EDITOR,
	hint: LIQUID_RULE_HINT,
	required: true,
	default: '',
	displayOptions: { show: { operation: operations } },
	...extra,
});

export const DELETE_WARNING =
	'Deleting users is permanent: Braze removes the profiles and their history and cannot restore them. Turn on Confirm Delete to send.';

export const userManagementProperties: INodeProperties[] = [
	liquidField('External ID', 'externalId', ['identifyUsers'], { placeholder: 'e.g. {{ $json.userId }}', description: 'The external ID the alias-only user gets' }),
	liquidField('Alias Name', 'aliasName', ['identifyUsers', 'newUserAlias']),
	liquidField('Alias Label', 'aliasLabel', ['identifyUsers', 'newUserAlias']),
	liquidField('External ID', 'externalId', ['newUserAlias'], {
		required: false,
		description: 'The user who gets the alias; empty creates a new alias-only user',
	}),
	liquidField('External ID to Merge', 'identifierToMerge', ['mergeUsers'], {
		description: 'The user merged away (and then removed by Braze)',
	}),
	liquidField('External ID to Keep', 'identifierToKeep', ['mergeUsers'], { description: 'The user who keeps the merged data' }),
	{
		displayName: DELETE_WARNING,
		name: 'deleteNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['deleteUsers'] } },
	},
	{
		displayName: 'Confirm Delete',
		name: 'confirmDelete',
		type: 'boolean',
		default: false,
		description: 'Whether you mean to delete these users permanently. Without it the node deletes nothing (a dry run still shows the requests).',
		displayOptions: { show: { operation: ['deleteUsers'] } },
	},
	...identifierChoiceProperties(['deleteUsers'], ['braze_id', 'email', 'external_id', 'phone', 'user_alias'], 'Which identifier names the users to delete (one type per request)'),
	{
		displayName: 'Subscription Group ID',
		name: 'subscriptionGroupId',
		type: 'string',
		required: true,
		default: '',
		description: "The email or SMS subscription group's ID (Audience > Subscriptions)",
		displayOptions: { show: { operation: ['setSubscriptionStatus'] } },
	},
	{
		displayName: 'Subscription State',
		name: 'subscriptionState',
		type: 'options',
		options: [
			{ name: 'Subscribed', value: 'subscribed' },
			{ name: 'Unsubscribed', value: 'unsubscribed' },
		],
		default: 'unsubscribed',
		displayOptions: { show: { operation: ['setSubscriptionStatus'] } },
	},
	...identifierChoiceProperties(['setSubscriptionStatus'], ['email', 'external_id', 'phone'], 'Which identifier names the users'),
];

/** Where delete and subscription entries go, per identifier type. */
const DELETE_LISTS: Record<IdentifierType, string> = {
	braze_id: 'braze_ids',
	email: 'email_addresses',
	external_id: 'external_ids',
	phone: 'phone_numbers',
	user_alias: 'user_aliases',
};
const SUBSCRIPTION_LISTS: Partial<Record<IdentifierType, string>> = { email: 'emails', external_id: 'external_ids', phone: 'phones' };

export function checkDeleteGuard(ctx: IExecuteFunctions, dryRun: boolean): void {
	if (dryRun || ctx.getNodeParameter('confirmDelete', 0, false) === true) return;
	throw new ItemInputError('Confirm Delete is off: no user was deleted', DELETE_WARNING);
}

type UserOperation = 'identifyUsers' | 'newUserAlias' | 'mergeUsers' | 'deleteUsers' | 'setSubscriptionStatus';

export function planUserManagement(ctx: IExecuteFunctions, operation: UserOperation, itemIndex: number, values: LiquidValues): ItemPlan {
	const read = (name: string, label: string) => values.read(name, label, itemIndex).trim();
	const entry = (listKey: string, value: unknown, users: string[], request: IDataObject = {}): ItemPlan => ({
		kind: 'entry',
		entry: { itemIndex, request, listKey, entry: value, users } satisfies EndpointEntry,
	});
	switch (operation) {
		case 'identifyUsers': {
			const externalId = required(read('externalId', 'External ID'), 'External ID');
			const alias = buildIdentifier({ type: 'user_alias', aliasName: read('aliasName', 'Alias Name'), aliasLabel: read('aliasLabel', 'Alias Label') });
			return entry('aliases_to_identify', { external_id: externalId, user_alias: alias.user_alias }, [
				userKey('external_id', externalId),
				userKey('user_alias', alias.user_alias),
			]);
		}
		case 'newUserAlias': {
			const alias = buildIdentifier({ type: 'user_alias', aliasName: read('aliasName', 'Alias Name'), aliasLabel: read('aliasLabel', 'Alias Label') });
			const externalId = read('externalId', 'External ID');
			const value = { ...(externalId ? { external_id: externalId } : {}), ...(alias.user_alias as IDataObject) };
			const users = [userKey('user_alias', alias.user_alias), ...(externalId ? [userKey('external_id', externalId)] : [])];
			return entry('user_aliases', value, users);
		}
		case 'mergeUsers': {
			const from = required(read('identifierToMerge', 'External ID to Merge'), 'External ID to Merge');
			const to = required(read('identifierToKeep', 'External ID to Keep'), 'External ID to Keep');
			if (from === to) throw new ItemInputError(`External ID to Merge and External ID to Keep are both "${from}"`, 'A user cannot be merged into itself.');
			return entry('merge_updates', { identifier_to_merge: { external_id: from }, identifier_to_keep: { external_id: to } }, [
				userKey('external_id', from),
				userKey('external_id', to),
			]);
		}
		case 'deleteUsers': {
			const { type, identifier } = readIdentifier(ctx, values, itemIndex);
			const value = identifier[type];
			checkContactIdentifier(type, value);
			return entry(DELETE_LISTS[type], value, [userKey(type, value)]);
		}
		case 'setSubscriptionStatus': {
			const { type, identifier } = readIdentifier(ctx, values, itemIndex);
			const listKey = SUBSCRIPTION_LISTS[type];
			if (!listKey) throw new ItemInputError(`Set Subscription Status takes an external ID, an email or a phone, not "${type}"`);
			const value = identifier[type];
			checkContactIdentifier(type, value);
			const groupId = String(ctx.getNodeParameter('subscriptionGroupId', itemIndex, '') ?? '').trim();
			if (!groupId) throw new ItemInputError('The Subscription Group ID is empty for this item');
			const state = ctx.getNodeParameter('subscriptionState', itemIndex, 'unsubscribed') as string;
			return entry(listKey, value, [userKey(type, value)], { subscription_group_id: groupId, subscription_state: state });
		}
	}
}

function required(value: string, label: string): string {
	if (!value) throw new ItemInputError(`The ${label} is empty for this item`, 'Check the expression or Liquid that gives it.');
	return value;
}

/** Braze refuses a malformed email or phone for the whole request: catch it on the item. */
function checkContactIdentifier(type: IdentifierType, value: unknown): void {
	if (type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(value))) {
		throw new ItemInputError(`"${String(value)}" is not an email address`, 'Braze needs name@domain.tld.');
	}
	if (type === 'phone' && !/^\+[1-9]\d{6,14}$/.test(String(value))) {
		throw new ItemInputError(`"${String(value)}" is not a phone number in E.164 format`, 'Braze needs + and the country code, such as +14155550100.');
	}
}
