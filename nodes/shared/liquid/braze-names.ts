/** Objects Braze exposes as `{{namespace.${name}}}`; the scope holds each one as an object. */
export const BRAZE_NAMESPACES: readonly string[] = Object.freeze([
	'custom_attribute',
	'event_properties',
	'canvas_entry_properties',
	'context',
	'api_trigger_properties',
	'campaign',
	'canvas',
	'subscribed_state',
	'most_recently_used_device',
	'targeted_device',
	'card',
	'app',
]);

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
