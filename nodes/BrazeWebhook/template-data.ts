import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { BRAZE_NAMESPACES, STANDARD_OVERRIDE } from '../shared/braze/names';

export { buildUserScope, type NamespaceOverrides } from '../shared/braze/user-scope';

const OVERRIDES: ReadonlyArray<{ key: string; overrideParameter: string; overrideLabel: string; overrideExample: string }> = [
	STANDARD_OVERRIDE,
	...BRAZE_NAMESPACES.map((entry) => ({ ...entry, key: entry.name })),
];

function overrideField(label: string, parameter: string, example: string): INodeProperties {
	return {
		displayName: `Where to Read ${label} From`,
		name: parameter,
		type: 'json',
		default: '{}',
		hint: `For example ${example}`,
		description: `An object to read ${label.toLowerCase()} from instead of the item's own field, usually an expression such as ${example}`,
	};
}

export const templateDataProperty: INodeProperties = {
	displayName: 'Template Data',
	name: 'templateData',
	type: 'collection',
	placeholder: 'Read From Another Field',
	default: {},
	description:
		'Each input item is one user. By default {{${first_name}}} reads the item field "first_name", {{custom_attribute.${plan}}} reads "custom_attributes.plan", event_properties reads "event_properties", and so on. Add an entry here when your data keeps them somewhere else.',
	options: OVERRIDES.map((entry) => overrideField(entry.overrideLabel, entry.overrideParameter, entry.overrideExample)).sort(
		(a, b) => a.displayName.localeCompare(b.displayName),
	),
};

/** Which override parameters (by parameter name) the user set. */
export function overrideParameters(templateData: IDataObject): Array<[namespace: string, parameter: string]> {
	return OVERRIDES.filter((entry) => templateData[entry.overrideParameter] !== undefined).map((entry) => [
		entry.key,
		entry.overrideParameter,
	]);
}
