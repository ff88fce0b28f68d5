import { jsonErrorOffset } from '../../nodes/BrazeWebhook/request/json-error-offset';

describe('jsonErrorOffset: where the first JSON syntax error is', () => {
	it.each([
		'{}',
		'[]',
		' { "a" : [1, -2.5e+3, true, false, null, "x\\n\\u00e9"], "b": {} } ',
		'"just a string"',
		'0',
	])('valid JSON %j → -1', (text) => {
		expect(jsonErrorOffset(text)).toBe(-1);
	});

	it.each([
		['a missing comma between properties', '{"a": 1 "b": 2}', 8],
		['a missing comma between array values', '[1 2]', 3],
		['an unclosed string', '{"a": "open', 11],
		['a bad escape', '["a\\qb"]', 4],
		['a short \\u escape', '["\\u12"]', 3],
		['a control character in a string', '"a\tb"', 2],
		['trailing garbage', '{"a": 1} x', 9],
		['a trailing comma', '{"a": 1,}', 8],
		['an unquoted key', '{a: 1}', 1],
		['a missing colon', '{"a" 1}', 5],
		['a misspelled literal', '[tru]', 4],
		['a lone minus', '-', 0],
		['a leading zero followed by digits', '01', 1],
		['an unclosed object', '{"a": 1', 7],
		['an empty text', '', 0],
	])('%s → the exact offset', (_case, text, offset) => {
		expect(jsonErrorOffset(text)).toBe(offset);
	});
});
