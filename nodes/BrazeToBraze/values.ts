/**
 * Turns parameter values (as n8n resolved them, per item) into `/users/track` values. Pure: a bad
 * value throws ItemInputError, which the node turns into a failed item.
 */
import { isPlainObject, type BrazeJson, type BrazeObject } from '../shared/braze/users-track';

/** A value of one item that cannot become a Braze object. The message is shown to the user. */
export class ItemInputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'ItemInputError';
	}
}

/** A Liquid field of the item ran `{% abort_message %}` (or a `:retry` fetch gave up): the item is not sent. */
export class ItemAborted extends Error {
	constructor(readonly reason?: string) {
		super(reason ?? 'The item was aborted');
		this.name = 'ItemAborted';
	}
}

export type AttributeValueType = 'boolean' | 'json' | 'number' | 'string';

/** The identifier a Braze object uses; the parameter values are Braze's own key names. */
export type IdentifierType = 'braze_id' | 'email' | 'external_id' | 'phone' | 'user_alias';

export interface IdentifierInput {
	type: IdentifierType;
	value?: unknown;
	aliasName?: unknown;
	aliasLabel?: unknown;
}

const IDENTIFIER_LABELS: Record<IdentifierType, string> = {
	braze_id: 'Braze ID',
	email: 'Email',
	external_id: 'External ID',
	phone: 'Phone',
	user_alias: 'User Alias',
};

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '';
}

export function buildIdentifier(input: IdentifierInput): BrazeObject {
	if (input.type === 'user_alias') {
		const aliasName = text(input.aliasName);
		const aliasLabel = text(input.aliasLabel);
		if (!aliasName || !aliasLabel) {
			throw new ItemInputError('The user alias needs both an alias name and an alias label', `Got name "${aliasName}" and label "${aliasLabel}".`);
		}
		return { user_alias: { alias_name: aliasName, alias_label: aliasLabel } };
	}
	if (!(input.type in IDENTIFIER_LABELS)) throw new ItemInputError(`Unknown identifier type "${String(input.type)}"`);
	const value = text(input.value);
	if (!value) {
		throw new ItemInputError(
			`The ${IDENTIFIER_LABELS[input.type]} is empty for this item`,
			'Every Braze object needs an identifier; check the expression that gives it.',
		);
	}
	return { [input.type]: value };
}

/** Braze refuses a malformed email or phone for the whole request: catch it on the item. `field` names it in the message. */
export function checkContactIdentifier(type: IdentifierType, value: unknown, field?: string): void {
	const where = field ? `${field}: ` : '';
	if (type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(value))) {
		throw new ItemInputError(`${where}"${String(value)}" is not an email address`, 'Braze needs name@domain.tld.');
	}
	if (type === 'phone' && !/^\+[1-9]\d{6,14}$/.test(String(value))) {
		throw new ItemInputError(`${where}"${String(value)}" is not a phone number in E.164 format`, 'Braze needs + and the country code, such as +14155550100.');
	}
}

/** Identifier keys, which the identifier fields set and attributes must not overwrite. */
const RESERVED_ATTRIBUTE_NAMES = ['external_id', 'user_alias', 'braze_id', '_update_existing_only'];

export function checkAttributeName(name: unknown): string {
	const clean = text(name);
	if (!clean) throw new ItemInputError('An attribute has no name');
	if (RESERVED_ATTRIBUTE_NAMES.includes(clean)) {
		throw new ItemInputError(`"${clean}" cannot be set as an attribute`, 'Use the identifier fields and the Update Existing Only switch instead.');
	}
	return clean;
}

export function parseJsonValue(raw: unknown, field: string): BrazeJson {
	if (typeof raw !== 'string') return toBrazeJson(raw, field);
	const parsed = tryParseJson(raw);
	if (!parsed.ok) throw new ItemInputError(`${field} is not valid JSON`, parsed.problem);
	return parsed.value as BrazeJson;
}

/** JSON.parse without throwing: the caller decides what a bad text means. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, problem: error instanceof Error ? error.message : String(error) };
	}
}

function toBrazeJson(raw: unknown, field: string): BrazeJson {
	if (raw === undefined) return null;
	let text: string | undefined;
	try {
		text = JSON.stringify(raw);
	} catch {
		text = undefined;
	}
	if (text === undefined) throw new ItemInputError(`${field} cannot be written as JSON`);
	return JSON.parse(text) as BrazeJson;
}

export function attributeValue(type: AttributeValueType, raw: unknown, name: string): BrazeJson {
	switch (type) {
		case 'string':
			if (raw === undefined || raw === null) return '';
			return typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
		case 'number': {
			const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
			if (!Number.isFinite(number)) throw new ItemInputError(`Attribute "${name}" is not a number`, `Got ${JSON.stringify(raw)}.`);
			return number;
		}
		case 'boolean':
			if (typeof raw === 'boolean') return raw;
			if (raw === 'true' || raw === 'false') return raw === 'true';
			throw new ItemInputError(`Attribute "${name}" is not a boolean`, `Got ${JSON.stringify(raw)}.`);
		case 'json':
			return parseJsonValue(raw, `Attribute "${name}"`);
		default:
			throw new ItemInputError(`Attribute "${name}" has an unknown type "${String(type)}"`);
	}
}

/** Event and purchase properties: a JSON object (text or object); empty means none. */
export function propertiesObject(raw: unknown, field: string): BrazeObject | undefined {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
	const value = parseJsonValue(raw, field);
	if (!isPlainObject(value)) throw new ItemInputError(`${field} must be a JSON object`);
	return Object.keys(value).length > 0 ? (value as BrazeObject) : undefined;
}

/**
 * A time for Braze (ISO 8601). Empty means `now`. Accepts ISO text, a Date or a Luxon DateTime
 * (what `{{ $now }}` gives), or epoch milliseconds.
 */
export function brazeTime(raw: unknown, now: Date, field: string): string {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return now.toISOString();
	if (raw instanceof Date) {
		if (Number.isNaN(raw.getTime())) throw new ItemInputError(`${field} is not a valid date`);
		return raw.toISOString();
	}
	if (typeof raw === 'object' && typeof (raw as { toISO?: unknown }).toISO === 'function') {
		const iso = (raw as { toISO: () => string | null }).toISO();
		if (iso) return iso;
		throw new ItemInputError(`${field} is not a valid date`);
	}
	if (typeof raw === 'number' && Number.isFinite(raw)) return new Date(raw).toISOString();
	if (typeof raw === 'string' && !Number.isNaN(Date.parse(raw.trim()))) return raw.trim();
	throw new ItemInputError(`${field} is not a date Braze accepts`, `Use ISO 8601, for example 2026-01-31T12:00:00Z. Got ${JSON.stringify(raw)}.`);
}
