import { output } from '../helpers';

describe('tags nested inside tags (braze.md §3.2)', () => {
	const scope = { custom_attribute: { Number_Game_Attended: 1, one: 'uno', count: 4, current_rewards_balance: 4, 'Brands Viewed': ['a', 'b', 'c', 'd', 'e', 'f', 'g'], giftcard_balance: 5 }, balance: 30 };

	test.each([
		['{% if custom_attribute.${Number_Game_Attended} == 1 %}yes{% endif %}', 'yes'],
		['{% if {{custom_attribute.${Number_Game_Attended}}} == 1 %}yes{% endif %}', 'yes'],
		['{% assign value_one = {{custom_attribute.${one}}} %}{{value_one}}', 'uno'],
		['{% assign value_one = custom_attribute.${one} %}{{value_one}}', 'uno'],
		['{% assign x = {{custom_attribute.${count}}} | plus: 1 %}{{x}}', '5'],
		['{% assign new_points_balance = {{custom_attribute.${current_rewards_balance} | plus: 50}} %}{{new_points_balance}}', '54'],
		['{% for items in {{custom_attribute.${Brands Viewed}}} limit:5 %}{{items}}{% endfor %}', 'abcde'],
		['You have ${{custom_attribute.${giftcard_balance} | plus: {{balance}}}} to spend!', 'You have $35 to spend!'],
		['{% unless {{custom_attribute.${count}}} > 5 %}low{% endunless %}', 'low'],
		['{% if false %}a{% elsif {{custom_attribute.${count}}} == 4 %}four{% endif %}', 'four'],
		['{% case {{custom_attribute.${count}}} %}{% when 4 %}four{% else %}other{% endcase %}', 'four'],
		['{% if {{custom_attribute.${count} | plus: 1}} == 5 %}five{% endif %}', 'five'],
		['{{ {{custom_attribute.${count}}} | times: 2 }}', '8'],
		['{% echo {{custom_attribute.${count}}} | plus: 2 %}', '6'],
	])('%s', (source, expected) => {
		expect(output(source, scope)).toBe(expected);
	});

	test('whitespace control around Braze references', () => {
		expect(output('a  {{- ${first_name} -}}  b\n{%- if true -%}  c  {%- endif %}', { first_name: 'X' })).toBe('aXbc');
	});

	test('raw and comment bodies are left alone', () => {
		expect(output('{% raw %}{{${first_name}}} {% if %}{% endraw %}|{% comment %}{{custom_attribute.${a b}}}{% endcomment %}|{{${first_name}}}', { first_name: 'Al' }))
			.toBe('{{${first_name}}} {% if %}||Al');
	});

	test('liquid tag with ${…} and nested braces', () => {
		const source = '{% liquid\nassign c = {{custom_attribute.${count}}} | times: 2\nif c > 5\n  echo custom_attribute.${one} | upcase\nendif\n%}';
		expect(output(source, scope)).toBe('UNO');
	});
});

describe('attributes as range bounds', () => {
	test.each([
		['{% for i in (1..${n}) %}{{i}}{% endfor %}', '123'],
		['{% for i in (${n}..4) %}{{i}}{% endfor %}', '34'],
		['{% for i in (1..custom_attribute.${m}) %}{{i}}{% endfor %}', '12'],
		['{% for i in (${n}..custom_attribute.${m}) %}{{i}}{% endfor %}', ''],
	])('%s renders %j', (source, expected) => {
		expect(output(source, { n: 3, custom_attribute: { m: 2 } })).toBe(expected);
	});
});
