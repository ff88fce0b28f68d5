import { compileError, positionOf, renderError } from '../helpers';

describe('error positions in the original template', () => {
	test('unknown filter on a later line, after ${…} references', () => {
		const source = '{"a": "{{${first_name}}}",\n "b": "{{custom_attribute.${zip code}}}", "c": "{{ ${first_name} | nope }}"}';
		const error = compileError(source);
		const at = positionOf(source, '{{ ${first_name} | nope');
		expect([error.kind, error.line, error.column, error.reason]).toEqual(['syntax', at.line, at.column, 'unknown filter "nope"']);
		expect(error.message).toBe(`Body, line ${at.line}, column ${at.column}: unknown filter "nope"`);
		expect(error.field).toBe('Body');
	});

	test('unclosed output after ${…} on an earlier line', () => {
		const source = 'Hi {{custom_attribute.${first name}}}\nand {{${last_name}}} then {{ oops';
		const error = compileError(source, 'URL');
		const at = positionOf(source, '{{ oops');
		expect([error.kind, error.line, error.column]).toEqual(['syntax', at.line, at.column]);
		expect(error.message.startsWith(`URL, line 2, column ${at.column}: `)).toBe(true);
	});

	test('unclosed tag', () => {
		const source = '{{${first_name}}}\n  {% if {{custom_attribute.${a b}}} == 1 %}\nyes';
		const error = compileError(source, 'Header "X-Id"');
		expect([error.kind, error.line, error.column]).toEqual(['syntax', 2, 3]);
		expect(error.message).toMatch(/^Header "X-Id", line 2, column 3: /);
	});

	test('unknown tag', () => {
		const source = 'a\nb {{custom_attribute.${x}}} {% frobnicate %}';
		const error = compileError(source);
		expect([error.line, error.column, error.reason]).toEqual([2, positionOf(source, '{% frob').column, 'unknown tag "frobnicate"']);
	});

	test('${ closed by the output braces leaves the output unclosed', () => {
		const error = compileError('line one\n  {{ custom_attribute.${oops }}');
		expect([error.kind, error.line, error.column]).toEqual(['syntax', 2, 3]);
	});

	test('${ never closed', () => {
		const source = 'line one\n  x ${ {{ custom_attribute.${oops';
		const error = compileError(source);
		const at = positionOf(source, '${', 2);
		expect([error.kind, error.line, error.column, error.reason]).toEqual(['syntax', 2, at.column, 'attribute reference "${" is not closed by "}"']);
	});

	test('render errors carry the position of their tag', () => {
		const source = '{{custom_attribute.${a}}}\n   {{ 10 | divided_by: custom_attribute.${zero} }}';
		const error = renderError(source, { custom_attribute: { a: 1, zero: 0 } });
		expect([error.kind, error.line, error.column, error.reason]).toEqual(['render', 2, 4, 'divided by 0']);
	});

	test('unsupported tag position', () => {
		const source = '{\n  "x": "{{${first_name}}}",\n  {% catalog_selection_items games picks %}\n}';
		const error = compileError(source);
		expect([error.line, error.column]).toEqual([3, 3]);
	});
});
