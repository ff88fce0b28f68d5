import { compileError } from '../helpers';

// Every compile error quotes the template as the user wrote it (`${…}` and `{{…}}` inside tags
// included, never the translated Liquid) and points at the text it is about.
const MESSAGES: Array<{ name: string; source: string; message: string; kind?: string }> = [
	{
		name: 'unclosed if quotes the tag as written, ${} and all',
		source: '{"a": 1,\n{% if custom_attribute.${demo_requested} == true %}\n"b": 2}',
		message: 'Body, line 2, column 1: {% if custom_attribute.${demo_requested} == true %} is not closed: {% endif %} is missing',
	},
	{
		name: 'unclosed if with a nested {{…}}',
		source: '{% if {{custom_attribute.${a b}}} == 1 %}yes',
		message: 'Body, line 1, column 1: {% if {{custom_attribute.${a b}}} == 1 %} is not closed: {% endif %} is missing',
	},
	{
		name: 'unclosed for',
		source: 'x\n  {% for p in {{custom_attribute.${products}}} %}{{p}}',
		message: 'Body, line 2, column 3: {% for p in {{custom_attribute.${products}}} %} is not closed: {% endfor %} is missing',
	},
	{
		name: 'unclosed comment',
		source: 'x\n {% comment %} a note',
		message: 'Body, line 2, column 2: {% comment %} is not closed: {% endcomment %} is missing',
	},
	{
		name: 'unclosed raw points at the raw tag, not at its body',
		source: 'a {% raw %}{{ not liquid }}',
		message: 'Body, line 1, column 3: {% raw %} is not closed: {% endraw %} is missing',
	},
	{
		name: 'unclosed unless with whitespace control, over two lines',
		source: '{%- unless ${a} == 1\n  and ${b} == 2 -%}\nx',
		message: 'Body, line 1, column 1: {%- unless ${a} == 1 and ${b} == 2 -%} is not closed: {% endunless %} is missing',
	},
	{
		name: 'a long tag is shortened',
		source: `{% if custom_attribute.\${a_rather_long_attribute_name} == "a rather long value" %}`,
		message: 'Body, line 1, column 1: {% if custom_attribute.${a_rather_long_attribute_name} ==... is not closed: {% endif %} is missing',
	},
	{
		name: 'an end tag inside a block left open',
		source: '{% unless ${a} %}{% if ${b} %}{% endunless %}',
		message:
			'Body, line 1, column 31: {% endunless %} has no open {% unless %} to close here: a block opened after the {% unless %} may lack its end tag, or no {% unless %} is open',
	},
	{
		name: '=! is an unknown operator, at its own column',
		source: '{% if ${a} =! 1 %}y{% endif %}',
		message: 'Body, line 1, column 12: unknown operator "=!"; did you mean "!="?',
	},
	{
		name: '= is an unknown operator',
		source: 'a\n{% if custom_attribute.${plan} = "gold" %}y{% endif %}',
		message: 'Body, line 2, column 32: unknown operator "="; did you mean "=="?',
	},
	{
		name: '=== is reported whole',
		source: '{% if ${a} === 1 %}y{% endif %}',
		message: 'Body, line 1, column 12: unknown operator "==="; did you mean "=="?',
	},
	{
		name: '=> in an elsif',
		source: '{% if ${a} == 1 %}y{% elsif ${a} => 2 %}z{% endif %}',
		message: 'Body, line 1, column 34: unknown operator "=>"; did you mean ">="?',
	},
	{
		name: 'an operator with no likely meaning lists the operators',
		source: '{% if ${a} ! 1 %}y{% endif %}',
		message: 'Body, line 1, column 12: unknown operator "!"; Liquid\'s operators are ==, !=, <>, <, >, <=, >=, contains, and, or',
	},
	{
		name: 'a bad operator in an output',
		source: '{{ ${a} =! 1 }}',
		message: 'Body, line 1, column 9: unknown operator "=!"; did you mean "!="?',
	},
	{
		name: 'something else after a value',
		source: '{% assign x = ${a} & ${b} %}',
		message: 'Body, line 1, column 20: unexpected "&": only a filter ("| name") or the end of the tag or output may follow a value here',
	},
	{
		name: 'unclosed ${ inside an if',
		source: 'x\n{% if ${first_name == "x" %}y{% endif %}',
		message: 'Body, line 2, column 7: attribute reference "${" is not closed by "}"',
	},
	{
		name: 'unclosed ${ inside an assign, with whitespace control',
		source: '{% assign x = ${first_name -%}',
		message: 'Body, line 1, column 15: attribute reference "${" is not closed by "}"',
	},
	{
		name: 'a for tag without "in" quotes the tag as written',
		source: '{% for p ${products} %}{% endfor %}',
		message: 'Body, line 1, column 1: illegal tag: {% for p ${products} %}',
	},
	{
		name: 'an unexpected character quotes the rest as written',
		source: '{{ ${a} | append: ${b} ${c} }}',
		message: 'Body, line 1, column 24: unexpected character "${c}"',
	},
	{
		name: 'a tag without its value',
		source: '{% assign x = %}',
		message: 'Body, line 1, column 14: a value is missing here',
	},
	{
		name: 'camelcase is unsupported in Braze, not unknown',
		source: '{{ ${first_name} | camelcase }}',
		message: 'Body, line 1, column 1: filter "camelcase" is not supported by Braze',
		kind: 'unsupported',
	},
	{
		name: 'handle is unsupported in Braze',
		source: '{{ ${first_name} | handle }}',
		message: 'Body, line 1, column 1: filter "handle" is not supported by Braze',
		kind: 'unsupported',
	},
	{
		name: 'a filter Braze never lists stays unknown',
		source: '{{ ${first_name} | shout }}',
		message: 'Body, line 1, column 1: unknown filter "shout"',
	},
	{
		name: 'unclosed output quotes the user\'s ${}',
		source: 'hi {{${first_name}',
		message: 'Body, line 1, column 4: output "{{${first_name}" is not closed',
	},
];

describe('Liquid error messages, as the user reads them', () => {
	test.each(MESSAGES)('$name', ({ source, message, kind }) => {
		const error = compileError(source);
		expect(error.message).toBe(message);
		expect(error.kind).toBe(kind ?? 'syntax');
	});

	test('no message quotes the translated form', () => {
		for (const { source } of MESSAGES) {
			expect(compileError(source).message).not.toMatch(/\["|custom_attribute\[/);
		}
	});
});
