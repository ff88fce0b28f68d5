import { output, FILTER_SCOPE } from '../helpers';

describe('Braze filters', () => {
	test.each([
		['{{ "https://ex.com/a b?x=é&y=1#f" | url_escape }}', 'https://ex.com/a%20b?x=%C3%A9&y=1%23f'],
		['{{ "hey friend & sally" | url_param_escape }}', 'hey%20friend%20%26%20sally'],
		['{{ "a b&c=d/é" | url_encode }}', 'a+b%26c%3Dd%2F%C3%A9'],
	])('%s', (source, expected) => {
		expect(output(source, FILTER_SCOPE)).toBe(expected);
	});
});
