import { createHmac } from 'node:crypto';
import { BRAZE_NAMESPACE_NAMES, STANDARD_ATTRIBUTES } from '../../nodes/shared/braze/names';
import {
	BrazeLiquid,
	DEFAULT_RENDER_LIMITS,
	LiquidTemplateError,
	type LiquidScope,
	type RenderResult,
} from '../../nodes/shared/liquid';

const NOW = new Date('2024-03-05T14:07:09Z');

function engine(options: ConstructorParameters<typeof BrazeLiquid>[0] = {}): BrazeLiquid {
	return new BrazeLiquid({ now: () => NOW, random: () => 0.42, ...options });
}

function render(source: string, scope: LiquidScope = {}, liquid = engine()): RenderResult {
	return liquid.compile(source, 'Body').render(scope);
}

function output(source: string, scope: LiquidScope = {}, liquid = engine()): string {
	const result = render(source, scope, liquid);
	if (result.kind !== 'output') {
		throw new Error(`expected output, got ${result.kind}: ${result.kind === 'error' ? result.error.message : result.reason}`);
	}
	return result.output;
}

function compileError(source: string, field = 'Body'): LiquidTemplateError {
	try {
		engine().compile(source, field);
	} catch (error) {
		if (error instanceof LiquidTemplateError) return error;
		throw error;
	}
	throw new Error('expected a compile error');
}

function renderError(source: string, scope: LiquidScope = {}, liquid = engine()): LiquidTemplateError {
	const result = render(source, scope, liquid);
	if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
	return result.error;
}

/** 1-based line and column of the n-th occurrence of `needle` in `source`. */
function positionOf(source: string, needle: string, occurrence = 1): { line: number; column: number } {
	let at = -1;
	for (let i = 0; i < occurrence; i++) at = source.indexOf(needle, at + 1);
	if (at < 0) throw new Error(`${needle} not in source`);
	const before = source.slice(0, at).split('\n');
	return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('seed templates (Braze to Braze webhooks)', () => {
	const user = {
		user_id: 'user-123',
		event_properties: { your_event_property: 'He said "hi"' },
		custom_attribute: { your_attribute_count: 4 },
	};

	test('event property copied to a custom attribute', () => {
		const body = [
			'{',
			'  "attributes": [',
			'    {',
			'      "external_id": "{{${user_id}}}",',
			'      "new_custom_attribute": "{{event_properties.${your_event_property} | json_escape}}"',
			'    }',
			'  ]',
			'}',
		].join('\n');
		const out = output(body, user);
		expect(out).toBe(
			'{\n  "attributes": [\n    {\n      "external_id": "user-123",\n      "new_custom_attribute": "He said \\"hi\\""\n    }\n  ]\n}',
		);
		expect(JSON.parse(out)).toEqual({
			attributes: [{ external_id: 'user-123', new_custom_attribute: 'He said "hi"' }],
		});
	});

	test('event property template exactly as documented', () => {
		const body =
			'{\n  "attributes": [\n    {\n      "external_id": "{{${user_id}}}",\n      "new_custom_attribute": "{{event_properties.${your_event_property}}}"\n    }\n  ]\n}';
		const out = output(body, { ...user, event_properties: { your_event_property: 'gold' } });
		expect(JSON.parse(out)).toEqual({ attributes: [{ external_id: 'user-123', new_custom_attribute: 'gold' }] });
		expect(out).toBe(body.replace('{{${user_id}}}', 'user-123').replace('{{event_properties.${your_event_property}}}', 'gold'));
	});

	test('counter increment', () => {
		const body = [
			'{% assign new_number = {{custom_attribute.${your_attribute_count}}} | plus: 1 %}',
			'{',
			'    "attributes": [',
			'        {',
			'        "external_id": "{{${user_id}}}",',
			'        "your_attribute_count": "{{new_number}}"',
			'        }',
			'    ]',
			'}',
		].join('\n');
		const out = output(body, user);
		expect(out).toBe(
			'\n{\n    "attributes": [\n        {\n        "external_id": "user-123",\n        "your_attribute_count": "5"\n        }\n    ]\n}',
		);
		expect(JSON.parse(out)).toEqual({ attributes: [{ external_id: 'user-123', your_attribute_count: '5' }] });
	});

	test('counter increment for a user without the attribute starts from 0', () => {
		const body = '{% assign n = {{custom_attribute.${your_attribute_count}}} | plus: 1 %}{"c":"{{n}}","id":"{{${user_id}}}"}';
		expect(output(body, { user_id: 'u' })).toBe('{"c":"1","id":"u"}');
	});
});

describe('personalization tags (braze.md §3.1)', () => {
	test.each(STANDARD_ATTRIBUTES.map((name) => [name]))('standard attribute %s', (name) => {
		expect(output(`[{{\${${name}}}}]`, { [name]: `v-${name}` })).toBe(`[v-${name}]`);
	});

	test.each(BRAZE_NAMESPACE_NAMES.map((name) => [name]))('namespace %s', (name) => {
		expect(output(`[{{${name}.\${api_id}}}]`, { [name]: { api_id: `id-${name}` } })).toBe(`[id-${name}]`);
	});

	test('subscription, device, campaign and canvas fields', () => {
		const scope = {
			subscribed_state: { email_global: 'opted_in' },
			most_recently_used_device: { platform: 'ios', foreground_push_enabled: true },
			campaign: { name: 'Spring', dispatch_id: 'd1' },
			canvas: { variant_name: 'A' },
		};
		expect(
			output(
				'{{subscribed_state.${email_global}}}|{{most_recently_used_device.${platform}}}|{{most_recently_used_device.${foreground_push_enabled}}}|{{campaign.${name}}}|{{campaign.${dispatch_id}}}|{{canvas.${variant_name}}}',
				scope,
			),
		).toBe('opted_in|ios|true|Spring|d1|A');
	});

	test('names with spaces and non-ASCII characters', () => {
		expect(output('{{custom_attribute.${zip code}}}|{{${prénom}}}|{{custom_attribute.${Größe}}}', {
			custom_attribute: { 'zip code': '10001', Größe: 'L' },
			prénom: 'Zoé',
		})).toBe('10001|Zoé|L');
	});

	test('names that are Liquid words or methods are plain keys', () => {
		expect(output('{{custom_attribute.${size}}}|{{custom_attribute.${first}}}|{{${empty}}}', {
			custom_attribute: { size: 'XL', first: 'yes' },
			empty: 'e',
		})).toBe('XL|yes|e');
	});

	test('nested attribute access after ${…}', () => {
		const scope = { custom_attribute: { most_played_song: [{ artist_name: 'Miles Davis' }], address: { city: 'Paris' } } };
		expect(output('{{custom_attribute.${most_played_song}[0].artist_name}}', scope)).toBe('Miles Davis');
		expect(output('{{custom_attribute.${address.city}}}', scope)).toBe('Paris');
		expect(output('{{custom_attribute.${address}.city}}', scope)).toBe('Paris');
	});

	test('${…} outside Liquid delimiters is plain text', () => {
		expect(output('Price: ${amount} {{${first_name}}}', { first_name: 'Al', amount: 3 })).toBe('Price: ${amount} Al');
	});

	test('three braces are not valid Braze syntax', () => {
		expect(() => engine().compile('{{{api_trigger_properties.${x}}}}', 'Body')).toThrow(LiquidTemplateError);
	});
});

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

describe('brazejs failure table (braze.md §4.3): each row renders as Braze documents', () => {
	const scope = {
		first_name: 'Ann',
		custom_attribute: {
			count: 4,
			'zip code': '10001',
			most_played_song: [{ artist_name: 'Miles Davis' }],
			address: { city: 'Paris' },
			arr: ['x', 'y'],
			a: 5,
		},
		event_properties: { p: 'ev' },
		canvas_entry_properties: { p: 'cep' },
		api_trigger_properties: { p: 'atp' },
		campaign: { name: 'Camp' },
		balance: 30,
	};

	test.each([
		['{{${first_name}}}|{{custom_attribute.${count}}}|{{event_properties.${p}}}|{{canvas_entry_properties.${p}}}|{{api_trigger_properties.${p}}}|{{campaign.${name}}}', 'Ann|4|ev|cep|atp|Camp'],
		['{% assign x = {{custom_attribute.${count}}} | plus: 1 %}{{x}}', '5'],
		['{% assign x = custom_attribute.${count} | plus: 1 %}{{x}}', '5'],
		['{% assign x = {{custom_attribute.${count} | plus: 50}} %}{{x}}', '54'],
		['[{{custom_attribute.${nope}}}]', '[]'],
		['{{custom_attribute.${zip code}}}', '10001'],
		['{{custom_attribute.${most_played_song}[0].artist_name}}', 'Miles Davis'],
		['{{custom_attribute.${address.city}}}', 'Paris'],
		['{% for s in {{custom_attribute.${arr}}} %}{{s}}{% endfor %}', 'xy'],
		['{{ "" | default: "X" }}', 'X'],
		['{% if false and false or true %}true{% else %}false{% endif %}', 'false'],
		['${{custom_attribute.${a} | plus: {{balance}}}}', '$35'],
		["{{ 'now' | time_zone: 'America/New_York' | date: '%H' }}", '09'],
		["{{ 'abc' | hmac_sha256_hex: 'key' }}", createHmac('sha256', 'key').update('abc').digest('hex')],
		['{{ "hello" | base64_encode }}', 'aGVsbG8='],
		['{{ 1234.5 | money }}', '1,234.50'],
		['{% assign o = \'{"a":[1,2]}\' | json_parse %}{{ o.a[1] }}', '2'],
		['{{ -5 | abs }}', '5'],
		['{% echo custom_attribute.${count} %}', '4'],
		['{% random 10 %}', '4'],
	])('%s', (source, expected) => {
		expect(output(source, scope)).toBe(expected);
	});

	test('{% abort_message("stop") %} aborts instead of printing', () => {
		expect(render('before {% abort_message("stop") %} after', scope)).toEqual({ kind: 'abort', reason: 'stop' });
	});

	test('connected_content is refused with an explanation', () => {
		const error = compileError('{% connected_content https://api.example.com/x :save data :retry :cache_max_age 900 %}');
		expect(error.kind).toBe('unsupported');
		expect(error.reason).toBe(
			"connected_content is not available in n8n: fetch the data with an HTTP Request node before this node and reference it through the item's fields",
		);
	});

	test('unknown filters are errors, never pass-throughs', () => {
		const error = compileError('{{ ${first_name} | time_zonee: "UTC" }}');
		expect(error.kind).toBe('syntax');
		expect(error.reason).toBe('unknown filter "time_zonee"');
	});
});

describe('Braze filters', () => {
	const fox = 'The quick brown fox jumps over the lazy dog';

	test.each([
		['{{ "abc" | md5 }}', '900150983cd24fb0d6963f7d28e17f72'],
		['{{ "abc" | sha1 }}', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
		['{{ "abc" | sha2 }}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		[`{{ "${fox}" | hmac_sha1_hex: "key" }}`, 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9'],
		[`{{ "${fox}" | hmac_sha1: "key" }}`, 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9'],
		[`{{ "${fox}" | hmac_sha1_base64: "key" }}`, Buffer.from('de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9', 'hex').toString('base64')],
		[`{{ "${fox}" | hmac_sha256_hex: "key" }}`, 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
		[`{{ "${fox}" | hmac_sha256: "key" }}`, 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
		[`{{ "${fox}" | hmac_sha256_base64: "key" }}`, Buffer.from('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', 'hex').toString('base64')],
		[`{{ "${fox}" | hmac_sha512: "key" }}`, 'b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a'],
		['{{ "héllo" | base64_encode }}|{{ "aMOpbGxv" | base64_decode }}', 'aMOpbGxv|héllo'],
		['{{ "https://ex.com/a b?x=é&y=1#f" | url_escape }}', 'https://ex.com/a%20b?x=%C3%A9&y=1%23f'],
		['{{ "hey friend & sally" | url_param_escape }}', 'hey%20friend%20%26%20sally'],
		['{{ "a b&c=d/é" | url_encode }}', 'a+b%26c%3Dd%2F%C3%A9'],
		['{{ 123456 | number_with_delimiter }}|{{ 1234567.891 | number_with_delimiter }}|{{ -1000 | number_with_delimiter }}', '123,456|1,234,567.891|-1,000'],
		['{{ s | json_escape }}', 'He said \\"hi\\"\\n\\\\ é'],
		['{{ h | as_json_string }}', '{"a":1,"b":[1,"x"],"c":null}'],
		['{{ h | property_accessor: "b" | join: "-" }}', '1-x'],
		['{{ 15 | money }}|{{ 0.5 | money }}|{{ 1234567.891 | money }}|{{ "12.345" | money }}', '15.00|0.50|1,234,567.89|12.35'],
		["{{ 'now' | time_zone: ${time_zone} | date: '%H:%M %z' }}", '23:07 +0900'],
		["{{ 'now' | time_zone: 'America/Los_Angeles' | date: '%H:%M %Z' }}", '06:07 PST'],
		["{{ '2024-07-01 12:00:00' | time_zone: 'America/New_York' | date: '%Y-%m-%d %H:%M %z' }}", '2024-07-01 08:00 -0400'],
		["{{ 'now' | date: '%s' }}", String(NOW.getTime() / 1000)],
		["{{ 'now' | time_zone: nothing | date: '%H' }}", '14'],
	])('%s', (source, expected) => {
		expect(output(source, { s: 'He said "hi"\n\\ é', h: { a: 1, b: [1, 'x'], c: null }, time_zone: 'Asia/Tokyo' })).toBe(expected);
	});

	test('an unknown time zone is a render error', () => {
		expect(renderError("{{ 'now' | time_zone: 'Mars/Olympus' }}").reason).toBe('unknown time zone "Mars/Olympus"');
	});

	test('the engine time zone applies to dates without a zone', () => {
		const paris = engine({ timezone: 'Europe/Paris' });
		expect(output("{{ 'now' | date: '%H:%M' }}|{{ '2024-03-05 10:00' | date: '%s' }}", {}, paris)).toBe('15:07|1709629200');
	});

	test.each(['money_with_currency', 'money_without_currency', 'lstrip', 'rstrip', 'camelize', 'handleize', 'pluralize'])('%s is not supported by Braze', (name) => {
		const error = compileError(`{{ x | ${name} }}`);
		expect(error.kind).toBe('unsupported');
		expect(error.reason).toBe(`filter "${name}" is not supported by Braze`);
	});

	test('invalid JSON in json_parse is a render error', () => {
		expect(renderError("{{ '{oops' | json_parse }}").kind).toBe('render');
	});
});

describe('Braze tags', () => {
	test.each([
		['{% abort_message %}', undefined],
		["{% abort_message('Not a VIP') %}", 'Not a VIP'],
		['{% abort_message("Not a VIP") %}', 'Not a VIP'],
		["{% abort_message() %}", undefined],
	])('%s aborts', (source, reason) => {
		expect(render(`text ${source} more`)).toEqual({ kind: 'abort', reason });
	});

	test('abort_message only when its branch runs', () => {
		const source = '{% if ${first_name} == blank %}{% abort_message("no name") %}{% endif %}Hi {{${first_name}}}';
		expect(render(source, { first_name: 'Al' })).toEqual({ kind: 'output', output: 'Hi Al' });
		expect(render(source, {})).toEqual({ kind: 'abort', reason: 'no name' });
	});

	test('abort_message takes a static string only', () => {
		expect(compileError('{% abort_message(reason) %}').kind).toBe('syntax');
	});

	test('random', () => {
		expect(output('{% random %}|{% random 10 %}|{% random 3 %}')).toBe('0.42|4|1');
		const real = new BrazeLiquid();
		for (let i = 0; i < 50; i++) {
			const n = Number(output('{% random 6 %}', {}, real));
			expect(Number.isInteger(n) && n >= 0 && n < 6).toBe(true);
			const f = Number(output('{% random %}', {}, real));
			expect(f >= 0 && f < 1).toBe(true);
		}
	});

	test.each([
		['{% include "header" %}', 'include is not available'],
		['{% render "header" %}', 'render is not available'],
		['{% layout "base" %}', 'layout is not available'],
		['{{content_blocks.${promo_block}}}', 'content_blocks is not available in n8n'],
		['{% content_blocks promo %}', 'content_blocks is not available in n8n'],
		['{% catalog_items games 1234 %}', 'catalog_items is not available in n8n'],
		['{% liquid\necho 1\nconnected_content https://x.example :save r\n%}', 'connected_content is not available in n8n'],
	])('%s is unsupported', (source, start) => {
		const error = compileError(source);
		expect(error.kind).toBe('unsupported');
		expect(error.reason.startsWith(start)).toBe(true);
	});

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
		const source = '{\n  "x": "{{${first_name}}}",\n  {% connected_content https://x.example %}\n}';
		const error = compileError(source);
		expect([error.line, error.column]).toEqual([3, 3]);
	});
});

describe('render limits', () => {
	function timed<T>(fn: () => T): { value: T; ms: number } {
		const start = Date.now();
		const value = fn();
		return { value, ms: Date.now() - start };
	}

	test('defaults', () => {
		expect(DEFAULT_RENDER_LIMITS).toEqual({ renderTimeMs: 1000, maxLoopIterations: 100000, maxOutputBytes: 1048576 });
	});

	test('a huge range is refused before it is allocated', () => {
		const { value, ms } = timed(() => renderError('{% for i in (1..100000000) %}x{% endfor %}'));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(200);
	});

	test('loop iterations over data are counted across nested loops', () => {
		const items = Array.from({ length: 1000 }, (_, i) => i);
		const { value, ms } = timed(() => renderError('{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}', { items }));
		expect([value.kind, value.reason]).toEqual(['limit', 'loops ran more than 100000 iterations']);
		expect(ms).toBeLessThan(1000);
	});

	test('a loop within the limit runs', () => {
		const liquid = engine({ limits: { maxLoopIterations: 10 } });
		expect(output('{% for i in (1..10) %}{{i}}{% endfor %}', {}, liquid)).toBe('12345678910');
		expect(renderError('{% for i in (1..11) %}{{i}}{% endfor %}', {}, liquid).kind).toBe('limit');
	});

	test('render time', () => {
		const liquid = engine({ limits: { renderTimeMs: 30, maxLoopIterations: 1e9 } });
		const source = '{% for a in (1..100000) %}{% for b in (1..100000) %}{% assign x = b | plus: 1 %}{% endfor %}{% endfor %}';
		const { value, ms } = timed(() => renderError(source, {}, liquid));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(1000);
	});

	test('output size', () => {
		const liquid = engine({ limits: { maxOutputBytes: 1000 } });
		const { value, ms } = timed(() => renderError('{% for i in (1..100000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}', {}, liquid));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(200);
		expect(render('{% for i in (1..600) %}é{% endfor %}', {}, liquid)).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
		expect(output('{% for i in (1..499) %}é{% endfor %}', {}, liquid)).toHaveLength(499);
	});

	test('string doubling hits the memory limit', () => {
		const { value, ms } = timed(() =>
			renderError('{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}'),
		);
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(1000);
	});

	test('captured text is bounded too', () => {
		const liquid = engine({ limits: { maxOutputBytes: 100 } });
		expect(renderError('{% capture c %}{% for i in (1..50) %}xxxxx{% endfor %}{% endcapture %}', {}, liquid).kind).toBe('limit');
	});
});

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
