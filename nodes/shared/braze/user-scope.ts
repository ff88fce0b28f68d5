/**
 * The Braze-shaped Liquid scope for one n8n item, shared by both nodes. Each item is one user:
 * - its top-level fields are the standard attributes (`{{${first_name}}}` reads `first_name`), with
 *   Braze's spellings filled from the /users/track ones (`user_id` from `external_id`, ...);
 * - each namespace comes from the item field of that name; `custom_attribute` from
 *   `custom_attributes` (the /users/track spelling) or `custom_attribute`;
 * - any of them can be replaced by an override object.
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
export const STANDARD_ALIASES: ReadonlyArray<[brazeName: string, itemField: string]> = [
	['user_id', 'external_id'],
	['email_address', 'email'],
	['phone_number', 'phone'],
	['date_of_birth', 'dob'],
];

type JsonObject = Record<string, unknown>;

/** Objects replacing a namespace's source (keys: Braze namespace names, or 'standard'). */
export type NamespaceOverrides = Partial<Record<string, JsonObject>>;

export function buildUserScope(json: JsonObject, overrides: NamespaceOverrides = {}): JsonObject {
	const standard = overrides.standard ?? json;
	// Namespace keys first, item fields after: adding 12+ keys to a copied object is ~10x slower on
	// Node 20 (n8n 1.x hosts) than filling keys the object already has.
	const scope: JsonObject = {};
	for (const { namespace } of NAMESPACE_SOURCES) scope[namespace] = undefined;
	Object.assign(scope, standard);
	for (const [brazeName, itemField] of STANDARD_ALIASES) {
		if (scope[brazeName] === undefined && standard[itemField] !== undefined) {
			scope[brazeName] = standard[itemField];
		}
	}
	for (const { namespace, fields } of NAMESPACE_SOURCES) {
		const override = overrides[namespace];
		scope[namespace] = override ?? fields.map((field) => json[field]).find(isObject) ?? {};
	}
	return scope;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
