import { NOW, engine, output, renderError, FILTER_SCOPE } from '../helpers';

describe('Braze filters', () => {
	test.each([
		["{{ 'now' | time_zone: ${time_zone} | date: '%H:%M %z' }}", '23:07 +0900'],
		["{{ 'now' | time_zone: 'America/Los_Angeles' | date: '%H:%M %Z' }}", '06:07 PST'],
		["{{ '2024-07-01 12:00:00' | time_zone: 'America/New_York' | date: '%Y-%m-%d %H:%M %z' }}", '2024-07-01 08:00 -0400'],
		["{{ 'now' | date: '%s' }}", String(NOW.getTime() / 1000)],
		["{{ 'now' | time_zone: nothing | date: '%H' }}", '14'],
	])('%s', (source, expected) => {
		expect(output(source, FILTER_SCOPE)).toBe(expected);
	});

	test('an unknown time zone is a render error', () => {
		expect(renderError("{{ 'now' | time_zone: 'Mars/Olympus' }}").reason).toBe('unknown time zone "Mars/Olympus"');
	});

	test('the engine time zone applies to dates without a zone', () => {
		const paris = engine({ timezone: 'Europe/Paris' });
		expect(output("{{ 'now' | date: '%H:%M' }}|{{ '2024-03-05 10:00' | date: '%s' }}", {}, paris)).toBe('15:07|1709629200');
	});
});
