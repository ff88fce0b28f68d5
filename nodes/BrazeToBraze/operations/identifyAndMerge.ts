/**
 * Identify Users and Merge Users: which profile each names (an alias, an email or a phone, with
 * Braze's `prioritization` for the last two; Merge also by external ID), their fields and their
 * entries. Without the newer choices (saved workflows) they read as before: Identify by alias, Merge
 * by external ID.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { userKey } from '../endpoints/spec';
import type { LiquidValues } from '../liquid-values';
import { buildIdentifier, checkContactIdentifier, ItemInputError, type IdentifierType } from '../values';
import { liquidField } from './common';

type ProfileType = Extract<IdentifierType, 'email' | 'external_id' | 'phone' | 'user_alias'>;

/** Braze's orderings: which of several profiles with one email or phone is meant (first rule that leaves one wins). */
const PRIORITIZATION_VALUES = ['identified', 'unidentified', 'most_recently_updated', 'least_recently_updated'];

const ordering = (name: string, value: string, description?: string) => ({ name, value, ...(description ? { description } : {}) });
const IDENTIFY_ORDERINGS = [
	ordering('Unidentified Only', 'unidentified', 'If several unidentified profiles have it, Braze identifies none'),
	ordering('Unidentified, Then Least Recently Updated', 'unidentified,least_recently_updated'),
	ordering('Unidentified, Then Most Recently Updated', 'unidentified,most_recently_updated'),
];
const MERGE_ORDERINGS = [
	ordering('Identified, Then Least Recently Updated', 'identified,least_recently_updated'),
	ordering('Identified, Then Most Recently Updated', 'identified,most_recently_updated'),
	ordering('Least Recently Updated', 'least_recently_updated'),
	ordering('Most Recently Updated', 'most_recently_updated'),
	ordering('Unidentified, Then Least Recently Updated', 'unidentified,least_recently_updated'),
	ordering('Unidentified, Then Most Recently Updated', 'unidentified,most_recently_updated'),
];
const PRIORITIZATION_DESCRIPTION =
	"Braze's prioritization: which profile is meant when several have this email or phone. Braze applies the rules in order; if more than one profile is left, it does nothing.";

const CONTACT_FIELDS = { email: { label: 'Email', placeholder: 'name@email.com' }, phone: { label: 'Phone', placeholder: '+14155550100' } };

const identifyShow = (identifyBy: ProfileType[]) => ({ displayOptions: { show: { operation: ['identifyUsers'], identifyBy } } });

const identifyProperties: INodeProperties[] = [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'An email-only profile (emails_to_identify)' },
			{ name: 'Phone', value: 'phone', description: 'A phone-only profile, E.164 (phone_numbers_to_identify)' },
			{ name: 'User Alias', value: 'user_alias', description: 'An alias-only profile (aliases_to_identify)' },
		],
		default: 'user_alias',
		description: 'Which unidentified profile gets the external ID. An expression may choose per item (user_alias, email or phone); the kinds share requests.',
		displayOptions: { show: { operation: ['identifyUsers'] } },
	},
	liquidField('External ID', 'externalId', ['identifyUsers'], { placeholder: 'e.g. {{ $json.userId }}', description: 'The external ID the unidentified user gets' }),
	liquidField('Alias Name', 'aliasName', ['identifyUsers'], identifyShow(['user_alias'])),
	liquidField('Alias Label', 'aliasLabel', ['identifyUsers'], identifyShow(['user_alias'])),
	...(['email', 'phone'] as const).map((type) =>
		liquidField(CONTACT_FIELDS[type].label, type, ['identifyUsers'], { placeholder: CONTACT_FIELDS[type].placeholder, ...identifyShow([type]) }),
	),
	{
		displayName: 'Prioritization',
		name: 'prioritization',
		type: 'options',
		options: IDENTIFY_ORDERINGS,
		default: 'unidentified,most_recently_updated',
		description: PRIORITIZATION_DESCRIPTION,
		...identifyShow(['email', 'phone']),
	},
];

const MERGE_TYPE_OPTIONS = [
	{ name: 'Email', value: 'email' },
	{ name: 'External ID', value: 'external_id' },
	{ name: 'Phone', value: 'phone', description: 'E.164' },
	{ name: 'User Alias', value: 'user_alias', description: 'Alias name and alias label' },
];

/** The two sides of a merge; `externalId` is the parameter released before the other types existed. */
const SIDES = [
	{ prefix: 'merge', title: 'to Merge', externalId: 'identifierToMerge', defaultOrdering: 'unidentified,most_recently_updated', role: 'The user merged away (and then removed by Braze)' },
	{ prefix: 'keep', title: 'to Keep', externalId: 'identifierToKeep', defaultOrdering: 'identified,most_recently_updated', role: 'The user who keeps the merged data' },
] as const;
type Side = (typeof SIDES)[number];

const sideParameter = (side: Side, field: 'AliasName' | 'AliasLabel' | 'Email' | 'Phone' | 'Prioritization' | 'IdentifierType') => `${side.prefix}${field}`;

function mergeSideProperties(side: Side): INodeProperties[] {
	const { defaultOrdering } = side;
	const show = (types: ProfileType[]) => ({ displayOptions: { show: { operation: ['mergeUsers'], [sideParameter(side, 'IdentifierType')]: types } } });
	return [
		{
			displayName: `Identify User ${side.title} By`,
			name: sideParameter(side, 'IdentifierType'),
			type: 'options',
			options: MERGE_TYPE_OPTIONS,
			default: 'external_id',
			description: side.role,
			displayOptions: { show: { operation: ['mergeUsers'] } },
		},
		liquidField(`External ID ${side.title}`, side.externalId, ['mergeUsers'], { description: side.role, ...show(['external_id']) }),
		liquidField(`Alias Name ${side.title}`, sideParameter(side, 'AliasName'), ['mergeUsers'], show(['user_alias'])),
		liquidField(`Alias Label ${side.title}`, sideParameter(side, 'AliasLabel'), ['mergeUsers'], show(['user_alias'])),
		liquidField(`Email ${side.title}`, sideParameter(side, 'Email'), ['mergeUsers'], { placeholder: 'name@email.com', ...show(['email']) }),
		liquidField(`Phone ${side.title}`, sideParameter(side, 'Phone'), ['mergeUsers'], { placeholder: '+14155550100', ...show(['phone']) }),
		{
			displayName: `Prioritization ${side.title}`,
			name: sideParameter(side, 'Prioritization'),
			type: 'options',
			options: MERGE_ORDERINGS,
			default: defaultOrdering,
			description: PRIORITIZATION_DESCRIPTION,
			...show(['email', 'phone']),
		},
	];
}

export const identifyAndMergeProperties: INodeProperties[] = [...identifyProperties, ...SIDES.flatMap(mergeSideProperties)];

/** An item's entry for Identify or Merge: where it goes, what it is, whom it names (for per-user order). */
export interface ProfileEntry {
	listKey: string;
	value: IDataObject;
	users: string[];
}

type Reader = (parameter: string, label: string) => string;
type OptionReader = (parameter: string, fallback: string) => string;

const IDENTIFY_LISTS: Record<Exclude<ProfileType, 'external_id'>, string> = {
	user_alias: 'aliases_to_identify',
	email: 'emails_to_identify',
	phone: 'phone_numbers_to_identify',
};

export function planIdentify(values: LiquidValues, itemIndex: number, option: OptionReader): ProfileEntry {
	const read: Reader = (parameter, label) => values.read(parameter, label, itemIndex).trim();
	const type = option('identifyBy', 'user_alias') as ProfileType;
	if (!Object.keys(IDENTIFY_LISTS).includes(type)) throw new ItemInputError(`Identify By is "${type}"`, 'Identify takes a user alias, an email or a phone.');
	const externalId = required(read('externalId', 'External ID'), 'External ID');
	const profile = readProfile(type as Exclude<ProfileType, 'external_id'>, read, option, {
		aliasName: ['aliasName', 'Alias Name'],
		aliasLabel: ['aliasLabel', 'Alias Label'],
		contact: [type, CONTACT_FIELDS[type as 'email' | 'phone']?.label ?? ''],
		prioritization: ['prioritization', 'Prioritization', 'unidentified,most_recently_updated'],
	});
	return {
		listKey: IDENTIFY_LISTS[type as keyof typeof IDENTIFY_LISTS],
		value: { external_id: externalId, ...profile.identifier },
		users: [userKey('external_id', externalId), profile.user],
	};
}

export function planMerge(values: LiquidValues, itemIndex: number, option: OptionReader): ProfileEntry {
	const read: Reader = (parameter, label) => values.read(parameter, label, itemIndex).trim();
	const [from, to] = SIDES.map((side): Profile => {
		const type = option(sideParameter(side, 'IdentifierType'), 'external_id') as ProfileType;
		if (!MERGE_TYPE_OPTIONS.some((o) => o.value === type)) throw new ItemInputError(`Identify User ${side.title} By is "${type}"`, 'Merge takes external_id, user_alias, email or phone.');
		return readProfile(type, read, option, {
			externalId: [side.externalId, `External ID ${side.title}`],
			aliasName: [sideParameter(side, 'AliasName'), `Alias Name ${side.title}`],
			aliasLabel: [sideParameter(side, 'AliasLabel'), `Alias Label ${side.title}`],
			contact: [sideParameter(side, type === 'phone' ? 'Phone' : 'Email'), `${type === 'phone' ? 'Phone' : 'Email'} ${side.title}`],
			prioritization: [sideParameter(side, 'Prioritization'), `Prioritization ${side.title}`, side.defaultOrdering],
		});
	});
	// The same identifier twice names one profile; one email with two prioritizations may name two.
	if (JSON.stringify(from.identifier) === JSON.stringify(to.identifier)) {
		throw new ItemInputError(`${from.label} to Merge and ${to.label} to Keep are both ${from.shown}`, 'A user cannot be merged into itself.');
	}
	return {
		listKey: 'merge_updates',
		value: { identifier_to_merge: from.identifier, identifier_to_keep: to.identifier },
		users: [from.user, to.user],
	};
}

interface ProfileFields {
	externalId?: [string, string];
	aliasName: [string, string];
	aliasLabel: [string, string];
	contact: [string, string];
	prioritization: [string, string, string];
}

interface Profile {
	identifier: IDataObject;
	/** The ordering key of the user it names. */
	user: string;
	/** What names the user, for messages: `External ID`, `Alias`, `Email`, `Phone`. */
	label: string;
	/** Its value, for messages. */
	shown: string;
}

/** One identifier object as Braze takes it: `{external_id}`, `{user_alias}`, or `{email|phone, prioritization}`. */
function readProfile(type: ProfileType, read: Reader, option: OptionReader, fields: ProfileFields): Profile {
	if (type === 'user_alias') {
		const [nameParameter, nameLabel] = fields.aliasName;
		const [labelParameter, labelLabel] = fields.aliasLabel;
		const name = required(read(nameParameter, nameLabel), nameLabel);
		const label = required(read(labelParameter, labelLabel), labelLabel);
		const alias = buildIdentifier({ type, aliasName: name, aliasLabel: label }).user_alias as IDataObject;
		return { identifier: { user_alias: alias }, user: userKey('user_alias', alias), label: 'Alias', shown: `"${name}" (label "${label}")` };
	}
	if (type === 'external_id') {
		const [parameter, label] = fields.externalId ?? ['externalId', 'External ID'];
		const value = required(read(parameter, label), label);
		return { identifier: { external_id: value }, user: userKey('external_id', value), label: 'External ID', shown: `"${value}"` };
	}
	const [parameter, label] = fields.contact;
	const value = required(read(parameter, label), label);
	checkContactIdentifier(type, value, label);
	const [orderParameter, orderLabel, fallback] = fields.prioritization;
	const prioritization = parsePrioritization(option(orderParameter, fallback), orderLabel);
	return {
		identifier: { [type]: value, prioritization },
		user: userKey(type, value),
		label: type === 'email' ? 'Email' : 'Phone',
		shown: `"${value}" with the same prioritization (${prioritization.join(', ')})`,
	};
}

/** The options' values are Braze's rules joined by commas; an expression may give any text, so check it. */
function parsePrioritization(raw: string, label: string): string[] {
	const rules = raw
		.split(',')
		.map((rule) => rule.trim())
		.filter(Boolean);
	const unknown = rules.filter((rule) => !PRIORITIZATION_VALUES.includes(rule));
	if (rules.length === 0 || unknown.length > 0 || new Set(rules).size !== rules.length) {
		throw new ItemInputError(
			`${label} "${raw}" is not a prioritization Braze takes`,
			`Give one or more of ${PRIORITIZATION_VALUES.join(', ')}, each once, in order, separated by commas.`,
		);
	}
	return rules;
}

export function required(value: string, label: string): string {
	if (!value) throw new ItemInputError(`The ${label} is empty for this item`, 'Check the expression or Liquid that gives it.');
	return value;
}
