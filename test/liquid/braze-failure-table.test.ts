import { createHmac } from 'node:crypto';
import { compileError, engine, output, render } from './helpers';

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

	test('connected_content compiles as a network tag and is not rendered without network access', () => {
		const template = engine().compile('{% connected_content https://api.example.com/x :save data :retry :cache_max_age 900 %}', 'Body');
		expect(template.usesNetwork).toBe(true);
		const result = template.render({});
		expect(result.kind === 'error' && result.error.kind).toBe('unsupported');
	});

	test('unknown filters are errors, never pass-throughs', () => {
		const error = compileError('{{ ${first_name} | time_zonee: "UTC" }}');
		expect(error.kind).toBe('syntax');
		expect(error.reason).toBe('unknown filter "time_zonee"');
	});
});
