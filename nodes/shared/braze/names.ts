/**
 * Braze's Liquid vocabulary, kept once: the namespaces Braze exposes as `{{namespace.${name}}}`, the
 * standard attributes it exposes as `{{${name}}}`, where each is read from in an n8n item, and which
 * Template Data parameter replaces it. The user scope, the Template Data options and the detection
 * of Liquid in a field all derive from these tables.
 */
export interface BrazeNamespace {
	/** The Liquid name: `{{custom_attribute.${plan}}}`. */
	name: string;
	/** Item fields it is read from; the first one holding an object wins. */
	itemFields: readonly string[];
	/** The Template Data parameter that replaces it, and that parameter's label. */
	overrideParameter: string;
	overrideLabel: string;
	/** An n8n expression shown as an example of an override. */
	overrideExample: string;
}

export const BRAZE_NAMESPACES: readonly BrazeNamespace[] = Object.freeze([
	namespace('custom_attribute', ['custom_attributes', 'custom_attribute'], 'customAttributes', 'Custom Attributes', '{{ $json.profile.attributes }}'),
	namespace('event_properties', ['event_properties'], 'eventProperties', 'Event Properties', '{{ $json.event.properties }}'),
	namespace('canvas_entry_properties', ['canvas_entry_properties'], 'canvasEntryProperties', 'Canvas Entry Properties', '{{ $json.entry }}'),
	namespace('context', ['context'], 'context', 'Context', '{{ $json.context }}'),
	namespace('api_trigger_properties', ['api_trigger_properties'], 'apiTriggerProperties', 'API Trigger Properties', '{{ $json.trigger }}'),
	namespace('campaign', ['campaign'], 'campaign', 'Campaign', '{{ $json.campaign }}'),
	namespace('canvas', ['canvas'], 'canvas', 'Canvas', '{{ $json.canvas }}'),
	namespace('subscribed_state', ['subscribed_state'], 'subscribedState', 'Subscribed State', '{{ $json.subscriptions }}'),
	namespace('most_recently_used_device', ['most_recently_used_device'], 'mostRecentlyUsedDevice', 'Most Recently Used Device', '{{ $json.device }}'),
	namespace('targeted_device', ['targeted_device'], 'targetedDevice', 'Targeted Device', '{{ $json.device }}'),
	namespace('card', ['card'], 'card', 'Card', '{{ $json.card }}'),
	namespace('app', ['app'], 'app', 'App', '{{ $json.app }}'),
]);

/** The namespace names alone, in the order above. */
export const BRAZE_NAMESPACE_NAMES: readonly string[] = Object.freeze(BRAZE_NAMESPACES.map((entry) => entry.name));

/** Attributes Braze exposes at the top level as `{{${name}}}`. */
export const STANDARD_ATTRIBUTES: readonly string[] = Object.freeze([
	'city',
	'country',
	'date_of_birth',
	'email_address',
	'first_name',
	'gender',
	'language',
	'last_name',
	'last_used_app_date',
	'most_recent_app_version',
	'most_recent_locale',
	'most_recent_location',
	'phone_number',
	'time_zone',
	'user_id',
	'braze_id',
	'random_bucket_number',
]);

/** Braze's standard attribute names that n8n data usually spells the /users/track way. */
export const STANDARD_ALIASES: ReadonlyArray<readonly [brazeName: string, itemField: string]> = Object.freeze([
	['user_id', 'external_id'],
	['email_address', 'email'],
	['phone_number', 'phone'],
	['date_of_birth', 'dob'],
] as const);

/** The Template Data parameter that replaces the standard attributes (the item's top level). */
export const STANDARD_OVERRIDE = Object.freeze({
	key: 'standard',
	overrideParameter: 'standardAttributes',
	overrideLabel: 'Standard Attributes',
	overrideExample: '{{ $json.profile }}',
});

function namespace(
	name: string,
	itemFields: string[],
	overrideParameter: string,
	overrideLabel: string,
	overrideExample: string,
): BrazeNamespace {
	return Object.freeze({ name, itemFields: Object.freeze(itemFields), overrideParameter, overrideLabel, overrideExample });
}
