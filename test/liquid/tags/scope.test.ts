import { engine, output } from '../helpers';

describe('Braze tags', () => {
	test('counters do not write into the shared scope', () => {
		const scope = { first_name: 'A' };
		const liquid = engine();
		expect(output('{% increment n %}{% increment n %}', scope, liquid)).toBe('01');
		expect(output('{% increment n %}', scope, liquid)).toBe('0');
		expect(scope).toEqual({ first_name: 'A' });
	});

	test('assign does not write into the scope', () => {
		const scope = { custom_attribute: { count: 1 } };
		output('{% assign custom_attribute = 5 %}{% assign y = 2 %}', scope);
		expect(scope).toEqual({ custom_attribute: { count: 1 } });
	});
});
