import type { IDataObject, INodeProperties } from 'n8n-workflow';

export { buildUserScope, type NamespaceOverrides } from '../shared/braze/user-scope';

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

/** Which override parameters (by parameter name) the user set. */
export function overrideParameters(templateData: IDataObject): Array<[namespace: string, parameter: string]> {
	return Object.entries(OVERRIDE_PARAMETER).filter(([, parameter]) => templateData[parameter] !== undefined);
}
