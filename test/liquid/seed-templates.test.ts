import { output } from './helpers';

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
