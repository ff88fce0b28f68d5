import { BrazeLiquid, LiquidTemplateError } from '../../nodes/shared/liquid';
import { buildUserScope } from '../../nodes/shared/braze/user-scope';
import { LiquidFieldText } from '../../nodes/shared/liquid-fields/field-text';

const liquid = new BrazeLiquid();

function render(field: LiquidFieldText, json: Record<string, unknown>): string {
	const spliced = field.resolve((code) => new Function('$json', `return (${code});`)(json));
	try {
		const result = liquid.compile(spliced.text, field.field).render(buildUserScope(json as never));
		if (result.kind === 'error') throw result.error;
		if (result.kind === 'abort') throw new Error(`aborted: ${result.reason}`);
		return result.output;
	} catch (error) {
		if (error instanceof LiquidTemplateError) throw field.locateError(error, spliced);
		throw error;
	}
}

describe('a Liquid field as the user wrote it', () => {
	it('drops the = of an Expression-mode value and keeps Fixed text as it is', () => {
		expect(LiquidFieldText.fromParameter('URL', '=https://x/{{${user_id}}}').source).toBe('https://x/{{${user_id}}}');
		expect(LiquidFieldText.fromParameter('URL', 'https://x/{{${user_id}}}').source).toBe('https://x/{{${user_id}}}');
		expect(LiquidFieldText.fromParameter('URL', undefined).source).toBe('');
	});

	it('splices n8n values into the text before Liquid, objects as JSON and nothing for null', () => {
		const field = new LiquidFieldText('Raw Body', 'a={{ $json.a }} o={{ $json.o }} n={{ $json.n }} b={{ $json.b }}');
		const spliced = field.resolve((code) => new Function('$json', `return (${code});`)({ a: 'x', o: { k: [1] }, n: null, b: true }));
		expect(spliced.text).toBe('a=x o={"k":[1]} n= b=true');
		expect(field.isSameForEveryItem).toBe(false);
		expect(new LiquidFieldText('URL', 'https://x/{{${user_id}}}').isSameForEveryItem).toBe(true);
	});

	it('renders a mixed template: n8n\'s value and Braze\'s attribute side by side', () => {
		const field = new LiquidFieldText('Raw Body', "{{ $json.email }} {{${first_name} | default: 'there'}}");
		expect(render(field, { email: 'a@b.c' })).toBe('a@b.c there');
		expect(render(field, { email: 'a@b.c', first_name: 'Ann' })).toBe('a@b.c Ann');
	});

	it('names the field and the position of an n8n expression that throws', () => {
		const field = new LiquidFieldText('Raw Body', 'line one\n  {{ $json.a.b.c }}');
		expect(() =>
			field.resolve(() => {
				throw new Error("Cannot read properties of undefined (reading 'c')");
			}),
		).toThrow("Raw Body, line 2, column 3: n8n expression {{ $json.a.b.c }} failed: Cannot read properties of undefined (reading 'c')");
	});

	it('puts a Liquid error after an n8n value back at its place in the user\'s text', () => {
		const field = new LiquidFieldText('Raw Body', '{{ $json.long }}\n{% if x %}never closed');
		expect(() => render(field, { long: 'a much longer value than the expression' })).toThrow(
			/^Raw Body, line 2, column 1: \{% if x %\} is not closed: \{% endif %\} is missing$/,
		);
	});

	it('locates an error inside a template that came from an n8n value in that value', () => {
		const whole = new LiquidFieldText('Raw Body', '{{ $json.tpl }}');
		expect(() => render(whole, { tpl: 'hi\n{% if ${user_id} %}never closed' })).toThrow(/^Raw Body, line 2, column 1: /);
		const part = new LiquidFieldText('Raw Body', 'x {{ $json.tpl }}');
		expect(() => render(part, { tpl: 'hi\n{% if ${user_id} %}never closed' })).toThrow(
			/^Raw Body, line 2, column 1: .*\(in the value of \{\{ \$json\.tpl \}\}\)$/,
		);
	});
});
