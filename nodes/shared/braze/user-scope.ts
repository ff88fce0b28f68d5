/**
 * The Braze-shaped Liquid scope for one n8n item, shared by both nodes. Each item is one user:
 * - its top-level fields are the standard attributes (`{{${first_name}}}` reads `first_name`), with
 *   Braze's spellings filled from the /users/track ones (`user_id` from `external_id`, ...);
 * - each namespace comes from the item field of that name; `custom_attribute` from
 *   `custom_attributes` (the /users/track spelling) or `custom_attribute`;
 * - any of them can be replaced by an override object.
 */
import { BRAZE_NAMESPACES, STANDARD_ALIASES } from './names';

type JsonObject = Record<string, unknown>;

/** Objects replacing a namespace's source (keys: Braze namespace names, or 'standard'). */
export type NamespaceOverrides = Partial<Record<string, JsonObject>>;

export function buildUserScope(json: JsonObject, overrides: NamespaceOverrides = {}): JsonObject {
	const standard = overrides.standard ?? json;
	// Namespace keys first, item fields after: adding 12+ keys to a copied object is ~10x slower on
	// Node 20 (n8n 1.x hosts) than filling keys the object already has.
	const scope: JsonObject = {};
	for (const { name } of BRAZE_NAMESPACES) scope[name] = undefined;
	Object.assign(scope, standard);
	for (const [brazeName, itemField] of STANDARD_ALIASES) {
		if (scope[brazeName] === undefined && standard[itemField] !== undefined) {
			scope[brazeName] = standard[itemField];
		}
	}
	for (const { name, itemFields } of BRAZE_NAMESPACES) {
		scope[name] = overrides[name] ?? itemFields.map((field) => json[field]).find(isObject) ?? {};
	}
	return scope;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
