import { BRAZE_NAMESPACE_NAMES, STANDARD_ATTRIBUTES } from '../../../nodes/shared/braze/names';
import { LiquidTemplateError } from '../../../nodes/shared/liquid';
import { engine, output } from '../helpers';

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
