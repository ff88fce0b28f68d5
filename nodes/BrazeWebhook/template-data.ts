import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * Where each Braze namespace comes from by default: the item's field of that name. Braze's
 * `custom_attribute` namespace is read from `custom_attributes` (the /users/track spelling) or
 * `custom_attribute`.
 */
export const NAMESPACE_SOURCES: ReadonlyArray<{ namespace: string; fields: readonly string[] }> = [
	{ namespace: 'custom_attribute', fields: ['custom_attributes', 'custom_attribute'] },
	{ namespace: 'event_properties', fields: ['event_properties'] },
	{ namespace: 'canvas_entry_properties', fields: ['canvas_entry_properties'] },
	{ namespace: 'context', fields: ['context'] },
	{ namespace: 'api_trigger_properties', fields: ['api_trigger_properties'] },
	{ namespace: 'campaign', fields: ['campaign'] },
	{ namespace: 'canvas', fields: ['canvas'] },
	{ namespace: 'subscribed_state', fields: ['subscribed_state'] },
	{ namespace: 'most_recently_used_device', fields: ['most_recently_used_device'] },
	{ namespace: 'targeted_device', fields: ['targeted_device'] },
	{ namespace: 'card', fields: ['card'] },
	{ namespace: 'app', fields: ['app'] },
];

/** Braze's standard attribute names that n8n data usually spells the /users/track way. */
const STANDARD_ALIASES: ReadonlyArray<[brazeName: string, itemField: string]> = [
	['user_id', 'external_id'],
	['email_address', 'email'],
	['phone_number', 'phone'],
	['date_of_birth', 'dob'],
];

const OVERRIDE_PARAMETER: Record<string, string> = {
	standard: 'standardAttributes',
	custom_attribute: 'customAttributes',
	event_properties: 'eventProperties',
	canvas_entry_properties: 'canvasEntryProperties',
	context: 'context',
	api_trigger_properties: 'apiTriggerProperties',
	campaign: 'campaign',
	canvas: 'canvas',
	subscribed_state: 'subscribedState',
	most_recently_used_device: 'mostRecentlyUsedDevice',
	targeted_device: 'targetedDevice',
	card: 'card',
	app: 'app',
};

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
	options: [
		overrideField('API Trigger Properties', 'apiTriggerProperties', '{{ $json.trigger }}'),
		overrideField('App', 'app', '{{ $json.app }}'),
		overrideField('Campaign', 'campaign', '{{ $json.campaign }}'),
		overrideField('Canvas', 'canvas', '{{ $json.canvas }}'),
		overrideField('Canvas Entry Properties', 'canvasEntryProperties', '{{ $json.entry }}'),
		overrideField('Card', 'card', '{{ $json.card }}'),
		overrideField('Context', 'context', '{{ $json.context }}'),
		overrideField('Custom Attributes', 'customAttributes', '{{ $json.profile.attributes }}'),
		overrideField('Event Properties', 'eventProperties', '{{ $json.event.properties }}'),
		overrideField('Most Recently Used Device', 'mostRecentlyUsedDevice', '{{ $json.device }}'),
		overrideField('Standard Attributes', 'standardAttributes', '{{ $json.profile }}'),
		overrideField('Subscribed State', 'subscribedState', '{{ $json.subscriptions }}'),
		overrideField('Targeted Device', 'targetedDevice', '{{ $json.device }}'),
	],
};

/** Namespace overrides for one item, as resolved objects (keys are Braze namespace names or 'standard'). */
export type NamespaceOverrides = Partial<Record<string, IDataObject>>;

/** Which override parameters (by parameter name) the user set. */
export function overrideParameters(templateData: IDataObject): Array<[namespace: string, parameter: string]> {
	return Object.entries(OVERRIDE_PARAMETER).filter(([, parameter]) => templateData[parameter] !== undefined);
}

/**
 * The Liquid scope for one item: its fields at the top level (standard attributes and plain
 * variables), Braze's spellings of standard attributes filled from the /users/track ones, and every
 * namespace from its source field or override.
 */
export function buildScope(json: IDataObject, overrides: NamespaceOverrides = {}): IDataObject {
	const standard = overrides.standard ?? json;
	const scope: IDataObject = { ...standard };
	for (const [brazeName, itemField] of STANDARD_ALIASES) {
		if (scope[brazeName] === undefined && standard[itemField] !== undefined) {
			scope[brazeName] = standard[itemField];
		}
	}
	for (const { namespace, fields } of NAMESPACE_SOURCES) {
		const override = overrides[namespace];
		if (override !== undefined) {
			scope[namespace] = override;
			continue;
		}
		const source = fields.map((field) => json[field]).find((value) => value !== undefined);
		scope[namespace] = isObject(source) ? source : {};
	}
	return scope;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
