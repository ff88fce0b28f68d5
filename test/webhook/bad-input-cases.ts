/** The Braze-Style Webhook's bad-input table (run by bad-input.test.ts): one bad item among good ones. */
import type { Case } from '../support/bad-input';
import { three } from '../support/bad-input';

export const PLACEHOLDER = 'http://127.0.0.1:9';
const perItemBody = (tpl: string) => ({
	bodyType: 'raw',
	rawBody: '={{ $json.tpl }}',
	tpl,
});

/** What a failed item's description says when the run continues (On Error: Continue). */
export const THIS_ITEM_ONLY = "This item was not sent; each other item was sent or failed on its own. Fix the template or this item's data.";
export const EVERY_ITEM =
	'Nothing was sent: the error is in the template itself, so every item failed with it. Fix the template and run again.';

export const webhookCases = (url: string): Case[] => [
	{
		name: 'Liquid syntax error shared by every item: the Raw Body lost its {% endif %}',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{\n{% if custom_attribute.${demo_requested} == true %}\n"demo": true\n}',
		},
		items: three({}),
		error: 'Raw Body, line 2, column 1: {% if custom_attribute.${demo_requested} == true %} is not closed: {% endif %} is missing [item 0]',
		description: EVERY_ITEM,
		allFail: true,
	},
	{
		name: 'Liquid syntax error in a per-item template: unclosed if',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '={{ $json.tpl }}',
		},
		items: three({ tpl: 'hi\n{% if ${user_id} %}never closed' }, { tpl: 'hello {{${user_id}}}' }),
		error: 'Raw Body, line 2, column 1: {% if ${user_id} %} is not closed: {% endif %} is missing [item 1]',
		description: THIS_ITEM_ONLY,
	},
	{
		name: 'Liquid syntax error in a per-item template: unclosed output',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '={{ $json.tpl }}',
		},
		items: three({ tpl: 'hello {{ ${first_name' }, { tpl: 'hello {{${user_id}}}' }),
		error: 'Raw Body, line 1, column 10: attribute reference "${" is not closed by "}" [item 1]',
	},
	{
		name: 'Liquid syntax error in the URL, shared by every item',
		parameters: { url: `${url}/w/{{\${user_id}` },
		items: three({}),
		error: 'Webhook URL, line 1, column 26: output "{{${user_id}" is not closed [item 0]',
		allFail: true,
	},
	{
		name: 'Liquid syntax error in a header value, shared by every item',
		parameters: {
			url: `${url}/w`,
			headers: {
				header: [{ name: 'X-Tag', value: '{% unless ${user_id} %}x' }],
			},
		},
		items: three({}),
		error: 'Header "X-Tag", line 1, column 1: {% unless ${user_id} %} is not closed: {% endunless %} is missing [item 0]',
		allFail: true,
	},
	{
		name: 'Liquid runtime error: divided_by 0 from the item',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: 'share={{ 100 | divided_by: custom_attribute.${parts} }}',
		},
		items: three({ custom_attributes: { parts: 0 } }, { custom_attributes: { parts: 4 } }),
		error: 'Raw Body, line 1, column 7: divided by 0 [item 1]',
		description: THIS_ITEM_ONLY,
	},
	{
		name: 'Liquid runtime error: json_parse of text that is not JSON',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign o = ${payload} | json_parse %}{{ o.a }}',
		},
		items: three({ payload: '{"a": ' }, { payload: '{"a": 1}' }),
		error: 'Raw Body, line 1, column 1: json_parse: invalid JSON "{\\"a\\": " [item 1]',
	},
	{
		name: 'unknown filter in a per-item template',
		parameters: { url: `${url}/w`, ...perItemBody('') },
		items: three({ tpl: '{{ ${first_name} | shout_loudly }}' }, { tpl: 'fine' }),
		error: 'Raw Body, line 1, column 1: unknown filter "shout_loudly" [item 1]',
	},
	{
		name: 'unknown filter in a body pair, shared by every item',
		parameters: {
			url: `${url}/w`,
			bodyType: 'keyValue',
			bodyPairs: {
				pair: [{ key: 'name', value: '{{ ${first_name} | titlecase_all }}' }],
			},
		},
		items: three({}),
		error: 'Body pair "name", line 1, column 1: unknown filter "titlecase_all" [item 0]',
		allFail: true,
	},
	{
		name: 'render limit: {% for i in (1..100000000) %} from the item',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign m = ${n} %}{% for i in (1..m) %}x{% endfor %}',
		},
		items: three({ n: 100000000 }, { n: 3 }),
		error:
			'Raw Body, line 1, column 22: the template builds too large a value (a range, list or text) for the memory limit [item 1]',
	},
	{
		name: 'render limit: output size',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign m = ${n} %}{% for i in (1..m) %}{{ ${blob} }}{% endfor %}',
		},
		items: three({ n: 200, blob: 'x'.repeat(10_000) }, { n: 2, blob: 'x' }),
		error: 'Raw Body, line 1, column 43: output is larger than the 1048576 byte limit [item 1]',
	},
	{
		name: 'render limit: loop iterations',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign m = ${n} %}{% for k in (1..10) %}{% for i in (1..m) %}{% endfor %}{% endfor %}',
		},
		items: three({ n: 50_000 }, { n: 2 }),
		error: 'Raw Body, line 1, column 44: loops ran more than 100000 iterations [item 1]',
		renderClockStopped: true,
	},
	{
		name: 'URL that is not a URL after rendering',
		parameters: { url: '{{${endpoint}}}/hook' },
		items: three({ endpoint: 'no host here' }, { endpoint: '' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: url })),
		error: 'Webhook URL: "no host here/hook" is not a valid URL after rendering [item 1]',
	},
	{
		name: 'URL empty after rendering',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: '' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Webhook URL: the URL is empty after rendering [item 1]',
	},
	{
		name: 'URL with a javascript: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'javascript:alert(1)' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Webhook URL: the URL must start with http:// or https://, not javascript:// [item 1]',
	},
	{
		name: 'URL with an ftp: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'ftp://files.example.com/x' }).map((item, i) =>
			i === 1 ? item : { ...item, endpoint: `${url}/e` },
		),
		error: 'Webhook URL: the URL must start with http:// or https://, not ftp:// [item 1]',
	},
	{
		name: 'URL with a data: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'data:text/plain,hello' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Webhook URL: the URL must start with http:// or https://, not data:// [item 1]',
	},
	{
		name: 'CR in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: '{{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\rX-Admin: 1' }, { first_name: 'Ann' }),
		error:
			'Header "X-Name": the value contains a line break (CR or LF) at character 4 after rendering, which would split the header [item 1]',
	},
	{
		name: 'LF in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: 'n={{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\nSet-Cookie: a=b' }, { first_name: 'Ann' }),
		error:
			'Header "X-Name": the value contains a line break (CR or LF) at character 6 after rendering, which would split the header [item 1]',
	},
	{
		name: 'NUL in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: '{{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\u0000' }, { first_name: 'Ann' }),
		error:
			'Header "X-Name": the value contains a NUL character at character 4 after rendering, which would split the header [item 1]',
	},
	{
		name: 'a header name that is not a token, shared by every item',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X Bad:Name', value: 'v' }] },
		},
		items: three({}),
		error: 'Header "X Bad:Name": "X Bad:Name" is not a valid header name [item 0]',
		allFail: true,
	},
	{
		name: 'invalid JSON after rendering: a quote in the value',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{\n  "name": "{{${first_name}}}"\n}',
			headers: {
				header: [{ name: 'Content-Type', value: 'application/json' }],
			},
		},
		items: three({ first_name: 'Ann "The Hammer"' }, { first_name: 'Bo' }),
		error: 'Raw Body, line 2, column 17: the rendered body is not valid JSON (unexpected "T") [item 1]',
	},
	{
		name: 'invalid JSON after rendering: a missing number',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{"n": {{custom_attribute.${count}}}}',
			headers: {
				header: [{ name: 'Content-Type', value: 'application/vnd.api+json' }],
			},
		},
		items: three({ custom_attributes: {} }, { custom_attributes: { count: 2 } }),
		error: 'Raw Body, line 1, column 7: the rendered body is not valid JSON (unexpected "}") [item 1]',
	},
	{
		name: 'oversized raw body',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{{${blob}}}',
			options: { maxBodyKb: 2 },
		},
		items: three({ blob: 'é'.repeat(1500) }, { blob: 'small' }),
		error: 'Raw Body: the rendered body is 3000 bytes, over the limit of 2048 bytes (option Max Body Size) [item 1]',
	},
	{
		name: 'oversized key/value body',
		parameters: {
			url: `${url}/w`,
			bodyType: 'keyValue',
			bodyPairs: { pair: [{ key: 'b', value: '{{${blob}}}' }] },
			options: { maxBodyKb: 1 },
		},
		items: three({ blob: 'z'.repeat(1100) }, { blob: 'small' }),
		error: 'Body: the rendered body is 1108 bytes, over the limit of 1024 bytes (option Max Body Size) [item 1]',
	},
	{
		name: 'non-object item data where Template Data needs an object',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{{custom_attribute.${plan}}}',
			templateData: { customAttributes: '={{ $json.profile }}' },
		},
		items: three({ profile: ['gold'] }, { profile: { plan: 'gold' } }),
		error: 'Template Data: customAttributes must be an object (got an array) [item 1]',
	},
	{
		name: 'Template Data that is text but not JSON',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{{custom_attribute.${plan}}}',
			templateData: { customAttributes: '={{ $json.profile }}' },
		},
		items: three({ profile: '{plan: gold' }, { profile: '{"plan": "gold"}' }),
		error: "Template Data: customAttributes is not valid JSON (Expected property name or '}' in JSON at position 1) [item 1]",
	},
	{
		name: 'the remote refuses the credentials (401), not retried',
		parameters: { url: `${url}/{{\${path}}}` },
		items: three({ path: 'deny' }, { path: 'ok' }),
		error: `${new URL(url).host} answered HTTP 401, a client error that is not retried [item 1]`,
		remote: true,
		delivery: {
			status: 'failed',
			reason: 'client-error',
			statusCode: 401,
			attempts: 1,
		},
	},
];
