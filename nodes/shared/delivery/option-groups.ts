/**
 * Version 2's options, grouped by purpose: Retries, Host Cooldown and Limits, each its own collection
 * next to Options, with units in the labels (seconds where version 1 had milliseconds). Saved as
 * `<group>.<field>` parameters; `flattenOptionGroups` turns them into version 1's flat names and
 * units, so one reader validates both versions. The fields are option-fields.ts's delivery options,
 * each in its group. (One collection per group, not groups inside Options: n8n's editor cuts the
 * labels of fields nested two levels deep.)
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DELIVERY_OPTIONS, type DeliveryGroupName } from './option-fields';

/** One field of a group, and the flat (version 1) option it stands for. */
export interface GroupedField {
	property: INodeProperties;
	/** Version 1's option name; the field's own name when absent. */
	flatName?: string;
	/** Multiplier from the field's unit to the flat option's (seconds to milliseconds: 1000). */
	scale?: number;
}

export interface OptionGroup {
	name: string;
	displayName: string;
	placeholder: string;
	description: string;
	fields: GroupedField[];
}

/** Version 2's fields of one group, built from the delivery options' entries. */
function groupFields(group: DeliveryGroupName): GroupedField[] {
	return DELIVERY_OPTIONS.filter((option) => option.group === group).map(({ flat, grouped, scale }) => ({
		property: grouped ? { ...flat, ...grouped } : flat,
		flatName: flat.name,
		scale,
	}));
}

export const RETRY_FIELDS = groupFields('retries');

export const COOLDOWN_FIELDS = groupFields('hostCooldown');

/** The Limits both nodes have; a node adds its own (concurrency, body size, hosts) with `limitsGroup`. */
export const SHARED_LIMIT_FIELDS = groupFields('limits');

export const retriesGroup: OptionGroup = {
	name: 'retries',
	displayName: 'Retries',
	placeholder: 'Add Retry Option',
	description: 'How often and how long failed requests are retried',
	fields: RETRY_FIELDS,
};

export const hostCooldownGroup: OptionGroup = {
	name: 'hostCooldown',
	displayName: 'Host Cooldown',
	placeholder: 'Add Cooldown Option',
	description:
		'Pausing a host that keeps failing, as Braze does (on by default). The settings apply while Pause Unhealthy Hosts is on.',
	fields: COOLDOWN_FIELDS,
};

/** The Limits group: the node's own limits first, then the shared ones. */
export function limitsGroup(nodeFields: GroupedField[] = []): OptionGroup {
	return {
		name: 'limits',
		displayName: 'Limits',
		placeholder: 'Add Limit',
		description: 'How much is sent at once, how long an attempt may take, and where requests may go',
		fields: [...nodeFields, ...SHARED_LIMIT_FIELDS],
	};
}

/** A group as a collection of its own: its header shows, and "Add" lists its fields. */
export function groupProperty(group: OptionGroup): INodeProperties {
	return {
		displayName: group.displayName,
		name: group.name,
		type: 'collection',
		placeholder: group.placeholder,
		default: {},
		description: group.description,
		options: group.fields.map((field) => field.property).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * Version 2's parameters (`options` and one collection per group) as version 1's flat Options: names
 * and units; options outside the groups pass through.
 */
export function flattenOptionGroups(parameters: IDataObject, groups: OptionGroup[]): IDataObject {
	const flat: IDataObject = { ...((parameters.options ?? {}) as IDataObject) };
	// A grouped option is read from its group only, never from a flat name left in Options.
	for (const group of groups) for (const field of group.fields) delete flat[field.flatName ?? field.property.name];
	for (const group of groups) {
		const values = (parameters[group.name] ?? {}) as IDataObject;
		for (const field of group.fields) {
			const value = values[field.property.name];
			if (value === undefined) continue;
			const scaled = field.scale && typeof value === 'number' ? Math.round(value * field.scale) : value;
			flat[field.flatName ?? field.property.name] = scaled;
		}
	}
	return flat;
}

/** The label and unit scale of a flat option in version 2, for error messages. */
export function groupedLabel(flatName: string, groups: OptionGroup[]): { label: string; scale: number } | undefined {
	for (const group of groups) {
		const field = group.fields.find((candidate) => (candidate.flatName ?? candidate.property.name) === flatName);
		if (field) return { label: `${group.displayName}: ${field.property.displayName}`, scale: field.scale ?? 1 };
	}
	return undefined;
}

/** The groups whose fields the delivery session reads; a node's own Limits fields are read by the node. */
export const DELIVERY_GROUPS: OptionGroup[] = [retriesGroup, hostCooldownGroup, limitsGroup()];

/**
 * A node's Options in version 1's flat names and units, whichever version the node is: version 1's
 * collection as saved, version 2's groups flattened.
 */
export function readFlatOptions(ctx: IExecuteFunctions, itemIndex: number, groups: OptionGroup[]): IDataObject {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (!usesOptionGroups(ctx)) return options;
	const parameters: IDataObject = { options };
	for (const group of groups) parameters[group.name] = ctx.getNodeParameter(group.name, itemIndex, {}) as IDataObject;
	return flattenOptionGroups(parameters, groups);
}

export function usesOptionGroups(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().typeVersion >= 2;
}
