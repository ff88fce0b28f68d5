import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { BRAZE_NAMESPACES, STANDARD_OVERRIDE } from '../shared/braze/names';

export { buildUserScope, type NamespaceOverrides } from '../shared/braze/user-scope';

const OVERRIDES: ReadonlyArray<{ key: string; overrideParameter: string; overrideLabel: string; overrideExample: string }> = [
	STANDARD_OVERRIDE,
	...BRAZE_NAMESPACES.map((entry) => ({ ...entry, key: entry.name })),
];

function overrideField(displayName: string, parameter: string, example: string): INodeProperties {
	return {
		displayName,
		name: parameter,
		type: 'json',
		default: '{}',
		description: `An object to use instead of the default, usually an expression such as ${example}`,
	};
}

export const templateDataProperty: INodeProperties = {
	displayName: 'Template Data',
	name: 'templateData',
	type: 'collection',
	placeholder: 'Point a Namespace Elsewhere',
	default: {},
	description:
		'Each input item is one user. By default {{${name}}} reads the item field "name", custom_attribute reads "custom_attributes", event_properties reads "event_properties", and so on. Point any namespace elsewhere here.',
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
