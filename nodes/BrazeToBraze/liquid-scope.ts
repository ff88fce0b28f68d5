/**
 * The Braze-shaped Liquid scope for one n8n item. Pure.
 *
 * - Standard attributes come from the item's top level (`${first_name}` reads `json.first_name`).
 *   Items shaped for the REST API also work: `user_id` falls back to `external_id`,
 *   `email_address` to `email`, `phone_number` to `phone`, `date_of_birth` to `dob`.
 * - `custom_attribute` comes from `custom_attributes` (the REST-style plural) or `custom_attribute`.
 * - Every other namespace (`event_properties`, `canvas_entry_properties`, `context`,
 *   `api_trigger_properties`, `campaign`, `canvas`, ...) comes from the item field of that name.
 */
const LIQUID_ALIASES: ReadonlyArray<[liquidName: string, restName: string]> = [
	['user_id', 'external_id'],
	['email_address', 'email'],
	['phone_number', 'phone'],
	['date_of_birth', 'dob'],
];

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildBrazeScope(json: Record<string, unknown>, namespaces: readonly string[]): Record<string, unknown> {
	const scope: Record<string, unknown> = { ...json };
	for (const [liquidName, restName] of LIQUID_ALIASES) {
		if (scope[liquidName] === undefined && json[restName] !== undefined) scope[liquidName] = json[restName];
	}
	for (const namespace of namespaces) {
		const source =
			namespace === 'custom_attribute'
				? isObject(json.custom_attributes)
					? json.custom_attributes
					: json.custom_attribute
				: json[namespace];
		scope[namespace] = isObject(source) ? source : {};
	}
	return scope;
}
