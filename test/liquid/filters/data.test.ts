import { output, renderError, FILTER_SCOPE } from '../helpers';

describe('Braze filters', () => {
	test.each([
		['{{ 123456 | number_with_delimiter }}|{{ 1234567.891 | number_with_delimiter }}|{{ -1000 | number_with_delimiter }}', '123,456|1,234,567.891|-1,000'],
		['{{ s | json_escape }}', 'He said \\"hi\\"\\n\\\\ é'],
		['{{ h | as_json_string }}', '{"a":1,"b":[1,"x"],"c":null}'],
		['{{ h | property_accessor: "b" | join: "-" }}', '1-x'],
	])('%s', (source, expected) => {
		expect(output(source, FILTER_SCOPE)).toBe(expected);
	});

	test('invalid JSON in json_parse is a render error', () => {
		expect(renderError("{{ '{oops' | json_parse }}").kind).toBe('render');
	});
});
