import { output, FILTER_SCOPE } from '../helpers';

describe('Braze filters', () => {
	test.each([
		['{{ 15 | money }}|{{ 0.5 | money }}|{{ 1234567.891 | money }}|{{ "12.345" | money }}', '15.00|0.50|1,234,567.89|12.35'],
	])('%s', (source, expected) => {
		expect(output(source, FILTER_SCOPE)).toBe(expected);
	});
});
