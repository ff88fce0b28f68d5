import { buildIncrementObjects } from '../../nodes/BrazeToBraze/operations/incrementCustomAttribute';
import { buildTrackUserObjects } from '../../nodes/BrazeToBraze/operations/trackUser';
import { buildUserScope } from '../../nodes/shared/braze/user-scope';
import { attributeValue, brazeTime, buildIdentifier, ItemInputError, propertiesObject } from '../../nodes/BrazeToBraze/values';

const now = new Date('2026-05-01T12:00:00.000Z');
const identity = { external_id: 'u1', _update_existing_only: false };

describe('identifiers', () => {
	it('builds each Braze identifier', () => {
		expect(buildIdentifier({ type: 'external_id', value: ' u1 ' })).toEqual({ external_id: 'u1' });
		expect(buildIdentifier({ type: 'braze_id', value: 'b1' })).toEqual({ braze_id: 'b1' });
		expect(buildIdentifier({ type: 'email', value: 'a@b.co' })).toEqual({ email: 'a@b.co' });
		expect(buildIdentifier({ type: 'phone', value: '+14155550100' })).toEqual({ phone: '+14155550100' });
		expect(buildIdentifier({ type: 'external_id', value: 42 })).toEqual({ external_id: '42' });
		expect(buildIdentifier({ type: 'user_alias', aliasName: 'n', aliasLabel: 'l' })).toEqual({ user_alias: { alias_name: 'n', alias_label: 'l' } });
	});

	it('refuses empty identifiers in plain words', () => {
		expect(() => buildIdentifier({ type: 'external_id', value: '' })).toThrow(new ItemInputError('The External ID is empty for this item'));
		expect(() => buildIdentifier({ type: 'email', value: { a: 1 } })).toThrow('The Email is empty for this item');
		expect(() => buildIdentifier({ type: 'user_alias', aliasName: 'n', aliasLabel: '' })).toThrow('The user alias needs both an alias name and an alias label');
	});
});

describe('values', () => {
	it('types attribute values', () => {
		expect(attributeValue('string', 5, 'a')).toBe('5');
		expect(attributeValue('string', { x: 1 }, 'a')).toBe('{"x":1}');
		expect(attributeValue('number', '2.5', 'a')).toBe(2.5);
		expect(() => attributeValue('number', 'abc', 'a')).toThrow('Attribute "a" is not a number');
		expect(() => attributeValue('number', '', 'a')).toThrow('Attribute "a" is not a number');
		expect(attributeValue('boolean', 'false', 'a')).toBe(false);
		expect(() => attributeValue('boolean', 'yes', 'a')).toThrow('Attribute "a" is not a boolean');
		expect(attributeValue('json', '{"add":["x"]}', 'a')).toEqual({ add: ['x'] });
		expect(attributeValue('json', ['x'], 'a')).toEqual(['x']);
		expect(attributeValue('json', 'null', 'a')).toBeNull();
		expect(() => attributeValue('json', '{', 'a')).toThrow('Attribute "a" is not valid JSON');
	});

	it('reads times and properties', () => {
		expect(brazeTime('', now, 't')).toBe('2026-05-01T12:00:00.000Z');
		expect(brazeTime('2026-01-31T12:00:00Z', now, 't')).toBe('2026-01-31T12:00:00Z');
		expect(brazeTime(Date.UTC(2026, 0, 1), now, 't')).toBe('2026-01-01T00:00:00.000Z');
		expect(brazeTime({ toISO: () => '2026-02-02T02:02:02.000+01:00' }, now, 't')).toBe('2026-02-02T02:02:02.000+01:00');
		expect(() => brazeTime('yesterday', now, 'Event time')).toThrow('Event time is not a date Braze accepts');
		expect(propertiesObject('{}', 'p')).toBeUndefined();
		expect(propertiesObject('', 'p')).toBeUndefined();
		expect(propertiesObject({ a: 1 }, 'p')).toEqual({ a: 1 });
		expect(() => propertiesObject('[1]', 'Event properties')).toThrow('Event properties must be a JSON object');
	});
});

describe('Track User objects', () => {
	it('builds only what is asked for', () => {
		expect(buildTrackUserObjects({ identity, attributes: [{ name: 'a', type: 'number', numberValue: 1 }], now })).toEqual({
			attributes: [{ ...identity, a: 1 }],
		});
		expect(buildTrackUserObjects({ identity, attributes: [], event: { name: 'e' }, now })).toEqual({
			events: [{ ...identity, name: 'e', time: '2026-05-01T12:00:00.000Z' }],
		});
		expect(buildTrackUserObjects({ identity, attributes: [], purchase: { productId: 'p', currency: 'gbp', price: '3', quantity: '' }, now })).toEqual({
			purchases: [{ ...identity, product_id: 'p', currency: 'GBP', price: 3, quantity: 1, time: '2026-05-01T12:00:00.000Z' }],
		});
	});

	it('refuses what Braze would refuse, before sending', () => {
		expect(() => buildTrackUserObjects({ identity, attributes: [], now })).toThrow('Nothing to track');
		expect(() => buildTrackUserObjects({ identity, attributes: [{ name: 'external_id', stringValue: 'x' }], now })).toThrow('"external_id" cannot be set as an attribute');
		expect(() => buildTrackUserObjects({ identity, attributes: [{ name: ' ', stringValue: 'x' }], now })).toThrow('An attribute has no name');
		expect(() => buildTrackUserObjects({ identity, attributes: [], event: { name: '' }, now })).toThrow('The event has no name');
		expect(() => buildTrackUserObjects({ identity, attributes: [], purchase: { productId: 'p', currency: 'dollars', price: 1 }, now })).toThrow(
			'The purchase currency must be a three-letter ISO 4217 code',
		);
		expect(() => buildTrackUserObjects({ identity, attributes: [], purchase: { productId: 'p', currency: 'USD', price: 1, quantity: 101 }, now })).toThrow(
			'The purchase quantity must be a whole number from 1 to 100',
		);
		expect(() => buildTrackUserObjects({ identity, attributes: [], purchase: { productId: 'p', currency: 'USD', price: '' }, now })).toThrow(
			'The purchase price is not a number',
		);
	});
});

describe('Increment objects', () => {
	it('uses inc, whole numbers only', () => {
		expect(buildIncrementObjects(identity, 'count', -3)).toEqual({ attributes: [{ ...identity, count: { inc: -3 } }] });
		expect(buildIncrementObjects(identity, 'count', '2')).toEqual({ attributes: [{ ...identity, count: { inc: 2 } }] });
		expect(() => buildIncrementObjects(identity, 'count', 1.5)).toThrow('Increment By must be a whole number');
		expect(() => buildIncrementObjects(identity, '', 1)).toThrow('An attribute has no name');
	});
});

describe('Braze-shaped Liquid scope from an item', () => {
	it('maps top-level fields, REST-style names and namespaces', () => {
		const scope = buildUserScope({
			external_id: 'u1',
			email: 'a@b.co',
			first_name: 'Ada',
			custom_attributes: { n: 1 },
			event_properties: { p: 'x' },
			canvas_entry_properties: 'not an object',
		});
		expect(scope).toMatchObject({
			external_id: 'u1',
			user_id: 'u1',
			email_address: 'a@b.co',
			first_name: 'Ada',
			custom_attribute: { n: 1 },
			event_properties: { p: 'x' },
			canvas_entry_properties: {},
			context: {},
		});
		expect(buildUserScope({ user_id: 'given', external_id: 'other', custom_attribute: { m: 2 } })).toMatchObject({
			user_id: 'given',
			external_id: 'other',
			custom_attribute: { m: 2 },
		});
		expect(buildUserScope({ first_name: 'A' }, { custom_attribute: { plan: 'pro' }, standard: { first_name: 'B' } })).toMatchObject({
			first_name: 'B',
			custom_attribute: { plan: 'pro' },
		});
	});
});
