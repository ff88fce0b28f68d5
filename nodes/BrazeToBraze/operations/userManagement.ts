/**
 * The user-management calls: Identify (alias, email or phone to external ID), New Alias, Merge,
 * Delete (behind a confirmation, irreversible) and Set Subscription Status (v2). Each item is one
 * entry of its endpoint's array; the identifier fields are Braze Liquid like the rest of the node.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userKey, type EndpointEntry } from '../endpoints/spec';
import type { LiquidValues } from '../liquid-values';
import { buildIdentifier, checkContactIdentifier, ItemInputError, type IdentifierType } from '../values';
import { liquidField, type ItemPlan } from './common';
import { identifyAndMergeProperties, planIdentify, planMerge } from './identifyAndMerge';
import { identifierChoiceProperties, readIdentifier } from './identity';

export const DELETE_WARNING =
	'Deleting users is permanent: Braze removes the profiles and their history and cannot restore them. Turn on Confirm Delete to send.';

export const userManagementProperties: INodeProperties[] = [
	...identifyAndMergeProperties,
	liquidField('Alias Name', 'aliasName', ['newUserAlias']),
	liquidField('Alias Label', 'aliasLabel', ['newUserAlias']),
	liquidField('External ID', 'externalId', ['newUserAlias'], {
		required: false,
		description: 'The user who gets the alias; empty creates a new alias-only user',
	}),
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
	const option = (name: string, fallback: string) => String(ctx.getNodeParameter(name, itemIndex, fallback) ?? fallback);
	switch (operation) {
		case 'identifyUsers': {
			const { listKey, value, users } = planIdentify(values, itemIndex, option);
			return entry(listKey, value, users);
		}
		case 'newUserAlias': {
			const alias = buildIdentifier({ type: 'user_alias', aliasName: read('aliasName', 'Alias Name'), aliasLabel: read('aliasLabel', 'Alias Label') });
			const externalId = read('externalId', 'External ID');
			const value = { ...(externalId ? { external_id: externalId } : {}), ...(alias.user_alias as IDataObject) };
			const users = [userKey('user_alias', alias.user_alias), ...(externalId ? [userKey('external_id', externalId)] : [])];
			return entry('user_aliases', value, users);
		}
		case 'mergeUsers': {
			const { listKey, value, users } = planMerge(values, itemIndex, option);
			return entry(listKey, value, users);
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
