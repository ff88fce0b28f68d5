import { findN8nExpressions, usesN8nVariable } from '../../nodes/shared/liquid-fields/n8n-expressions';

const codes = (text: string) => findN8nExpressions(text).map((e) => e.code);

describe('which {{ }} is n8n\'s', () => {
	it.each([
		['https://x/users/{{${user_id}}}'],
		['{{custom_attribute.${plan} | default: "free"}}'],
		['{% assign n = {{custom_attribute.${count}}} | plus: 1 %}{{n}}'],
		["{{ 'costs $USD' }}"],
		['{{ price | prepend: "$" }}'],
		['{{ $json.email'],
		['{{ ${first_name} }}'],
	])('%s is Braze Liquid only', (text) => {
		expect(findN8nExpressions(text)).toEqual([]);
	});

	it('finds n8n expressions by the variable they use, with their place in the text', () => {
		const text = 'Hi {{ $json.email }} and {{${first_name} | default: \'there\'}}';
		expect(findN8nExpressions(text)).toEqual([{ start: 3, end: 20, code: ' $json.email ' }]);
	});

	it.each([
		["{{ $('Webhook').item.json.id }}", " $('Webhook').item.json.id "],
		['{{ { sku: $json.order.sku } }}', ' { sku: $json.order.sku } '],
		['{{ "}}" + $json.x }}', ' "}}" + $json.x '],
		['{{$now}}', '$now'],
		['{{ JSON.stringify({ level: $json.level }) }}', ' JSON.stringify({ level: $json.level }) '],
		['{{ `a ${$json.b}` }}', ' `a ${$json.b}` '],
	])('%s is n8n\'s', (text, code) => {
		expect(codes(text)).toEqual([code]);
	});

	it('finds n8n expressions inside a Liquid tag and next to Braze attributes', () => {
		expect(codes('{% if {{ $json.vip }} %}{{${user_id}}}{{ $json.a }}{% endif %}')).toEqual([' $json.vip ', ' $json.a ']);
	});

	it('ignores dollars inside quotes', () => {
		expect(usesN8nVariable(" 'pay $USD' ")).toBe(false);
		expect(usesN8nVariable(" 'a' + $json.b ")).toBe(true);
		expect(usesN8nVariable(' ${user_id} ')).toBe(false);
	});
});
