import { engine } from '../helpers';

describe('compile once, render many', () => {
	test('the same (field, source) is cached; another field is not', () => {
		const liquid = engine();
		const a = liquid.compile('Hi {{${first_name}}}', 'Body');
		expect(liquid.compile('Hi {{${first_name}}}', 'Body')).toBe(a);
		expect(liquid.compile('Hi {{${first_name}}}', 'URL')).not.toBe(a);
		expect(a.field).toBe('Body');
		expect(a.source).toBe('Hi {{${first_name}}}');
		expect(a.render({ first_name: 'A' })).toEqual({ kind: 'output', output: 'Hi A' });
		expect(a.render({ first_name: 'B' })).toEqual({ kind: 'output', output: 'Hi B' });
	});

	test('static text', () => {
		const template = engine().compile('{"plain": "json ${not liquid} }}"}', 'Body');
		expect(template.isStatic).toBe(true);
		expect(template.render({})).toEqual({ kind: 'output', output: '{"plain": "json ${not liquid} }}"}' });
		expect(engine().compile('{{ x }}', 'Body').isStatic).toBe(false);
	});

	test('render never throws', () => {
		const template = engine().compile('{{ a | divided_by: 0 }}', 'Body');
		expect(template.render({ a: 1 }).kind).toBe('error');
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(template.render({ a: cyclic }).kind).toBe('error');
	});
});
