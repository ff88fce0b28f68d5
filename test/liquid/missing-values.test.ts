import { output } from './helpers';

describe('missing values and default (braze.md §3.3)', () => {
	test('a missing attribute renders blank', () => {
		expect(output('[{{custom_attribute.${nope}}}][{{${first_name}}}][{{campaign.${name}}}]')).toBe('[][][]');
	});

	test.each([
		['nil', null, 'Valued User'],
		['missing', undefined, 'Valued User'],
		['false', false, 'Valued User'],
		['empty string', '', 'Valued User'],
		['empty array', [], 'Valued User'],
		['empty object', {}, 'Valued User'],
		['blank string', ' ', ' '],
		['zero', 0, '0'],
		['text', 'Ann', 'Ann'],
	])('default on %s', (_label, value, expected) => {
		expect(output("{{ ${first_name} | default: 'Valued User' }}", value === undefined ? {} : { first_name: value })).toBe(expected);
	});

	test('and/or evaluate right to left', () => {
		expect(output('{% if false and false or true %}T{% else %}F{% endif %}')).toBe('F');
	});
});
