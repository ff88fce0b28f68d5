/**
 * Bad input across both nodes: each case fails only the items it concerns, with an error that names
 * the item and the field, while the other items are sent. A template error that every item shares
 * fails every item and sends nothing.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetProcessWideCooldownState, resetProcessWidePacers } from '../../nodes/shared/delivery';
import { BrazeStandIn } from '../braze-to-braze/braze-stand-in';
import { API_KEY, runBrazeToBraze } from '../braze-to-braze/helpers';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { runWebhook } from '../webhook/helpers';

const PRINT = process.env.PRINT_ERRORS === '1';

interface Case {
	name: string;
	parameters: INodeParameters;
	/** Item 1 is the bad one unless `allFail`. */
	items: IDataObject[];
	error: string;
	/** A template error every item shares: every item fails with it, nothing is sent. */
	allFail?: boolean;
	/** The failure comes back from the remote host (one request for the bad item). */
	remote?: boolean;
	/** Extra delivery fields expected on the failed item (default: invalid-input). */
	delivery?: IDataObject;
	/** Replaces the credentials (Braze to Braze). */
	apiKey?: string;
	customUrl?: (url: string) => string;
}

const three = (bad: IDataObject, good: IDataObject = {}) => [
	{ user_id: 'a', ...good },
	{ user_id: 'b', ...bad },
	{ user_id: 'c', ...good },
];

function expectOutcome(c: Case, out: INodeExecutionData[]) {
	expect(out).toHaveLength(c.items.length);
	expect(out.map((item) => item.pairedItem)).toEqual(c.items.map((_, item) => ({ item })));
	const bad = c.allFail ? c.items.map((_, i) => i) : [1];
	out.forEach((item, i) => {
		const delivery = item.json.delivery as IDataObject;
		if (!bad.includes(i)) {
			expect([i, delivery.status]).toEqual([i, 'sent']);
			return;
		}
		if (PRINT)
			process.stdout.write(`${c.name}\n  ${JSON.stringify(item.json.error)}\n  ${JSON.stringify(item.json.errorDescription)}\n`);
		expect(item.json.error).toBe(c.allFail ? c.error.replace('Item 0', `Item ${i}`) : c.error);
		expect(delivery).toMatchObject(c.delivery ?? { status: 'failed', reason: 'invalid-input' });
		// The input item's own fields stay with it.
		expect(item.json.user_id).toBe(c.items[i].user_id);
	});
}

const PLACEHOLDER = 'http://127.0.0.1:9';
const perItemBody = (tpl: string) => ({
	bodyType: 'raw',
	rawBody: '={{ $json.tpl }}',
	tpl,
});

const webhookCases = (url: string): Case[] => [
	{
		name: 'Liquid syntax error in a per-item template: unclosed if',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '={{ $json.tpl }}',
		},
		items: three({ tpl: 'hi\n{% if ${user_id} %}never closed' }, { tpl: 'hello {{${user_id}}}' }),
		error: 'Item 1: Raw Body, line 2, column 1: tag {% if user_id %} not closed',
	},
	{
		name: 'Liquid syntax error in a per-item template: unclosed output',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '={{ $json.tpl }}',
		},
		items: three({ tpl: 'hello {{ ${first_name' }, { tpl: 'hello {{${user_id}}}' }),
		error: 'Item 1: Raw Body, line 1, column 10: attribute reference "${" is not closed by "}"',
	},
	{
		name: 'Liquid syntax error in the URL, shared by every item',
		parameters: { url: `${url}/w/{{\${user_id}` },
		items: three({}),
		error: 'Item 0: Webhook URL, line 1, column 26: output "{{${user_id}" is not closed',
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
		error: 'Item 0: Header "X-Tag", line 1, column 1: tag {% unless user_id %} not closed',
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
		error: 'Item 1: Raw Body, line 1, column 7: divided by 0',
	},
	{
		name: 'Liquid runtime error: json_parse of text that is not JSON',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign o = ${payload} | json_parse %}{{ o.a }}',
		},
		items: three({ payload: '{"a": ' }, { payload: '{"a": 1}' }),
		error: 'Item 1: Raw Body, line 1, column 1: json_parse: invalid JSON "{\\"a\\": "',
	},
	{
		name: 'unknown filter in a per-item template',
		parameters: { url: `${url}/w`, ...perItemBody('') },
		items: three({ tpl: '{{ ${first_name} | shout_loudly }}' }, { tpl: 'fine' }),
		error: 'Item 1: Raw Body, line 1, column 1: unknown filter "shout_loudly"',
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
		error: 'Item 0: Body pair "name", line 1, column 1: unknown filter "titlecase_all"',
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
			'Item 1: Raw Body, line 1, column 22: the template builds too large a value (a range, list or text) for the memory limit',
	},
	{
		name: 'render limit: output size',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign m = ${n} %}{% for i in (1..m) %}{{ ${blob} }}{% endfor %}',
		},
		items: three({ n: 200, blob: 'x'.repeat(10_000) }, { n: 2, blob: 'x' }),
		error: 'Item 1: Raw Body, line 1, column 43: output is larger than the 1048576 byte limit',
	},
	{
		name: 'render limit: loop iterations',
		parameters: {
			url: `${url}/w`,
			bodyType: 'raw',
			rawBody: '{% assign m = ${n} %}{% for k in (1..10) %}{% for i in (1..m) %}{% endfor %}{% endfor %}',
		},
		items: three({ n: 50_000 }, { n: 2 }),
		error: 'Item 1: Raw Body, line 1, column 44: loops ran more than 100000 iterations',
	},
	{
		name: 'URL that is not a URL after rendering',
		parameters: { url: '{{${endpoint}}}/hook' },
		items: three({ endpoint: 'no host here' }, { endpoint: '' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: url })),
		error: 'Item 1: Webhook URL: "no host here/hook" is not a valid URL after rendering',
	},
	{
		name: 'URL empty after rendering',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: '' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Item 1: Webhook URL: the URL is empty after rendering',
	},
	{
		name: 'URL with a javascript: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'javascript:alert(1)' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Item 1: Webhook URL: the URL must start with http:// or https://, not javascript://',
	},
	{
		name: 'URL with an ftp: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'ftp://files.example.com/x' }).map((item, i) =>
			i === 1 ? item : { ...item, endpoint: `${url}/e` },
		),
		error: 'Item 1: Webhook URL: the URL must start with http:// or https://, not ftp://',
	},
	{
		name: 'URL with a data: scheme',
		parameters: { url: '{{${endpoint}}}' },
		items: three({ endpoint: 'data:text/plain,hello' }).map((item, i) => (i === 1 ? item : { ...item, endpoint: `${url}/e` })),
		error: 'Item 1: Webhook URL: the URL must start with http:// or https://, not data://',
	},
	{
		name: 'CR in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: '{{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\rX-Admin: 1' }, { first_name: 'Ann' }),
		error:
			'Item 1: Header "X-Name": the value contains a line break (CR or LF) at character 4 after rendering, which would split the header',
	},
	{
		name: 'LF in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: 'n={{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\nSet-Cookie: a=b' }, { first_name: 'Ann' }),
		error:
			'Item 1: Header "X-Name": the value contains a line break (CR or LF) at character 6 after rendering, which would split the header',
	},
	{
		name: 'NUL in a header value after rendering',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X-Name', value: '{{${first_name}}}' }] },
		},
		items: three({ first_name: 'Eve\u0000' }, { first_name: 'Ann' }),
		error:
			'Item 1: Header "X-Name": the value contains a NUL character at character 4 after rendering, which would split the header',
	},
	{
		name: 'a header name that is not a token, shared by every item',
		parameters: {
			url: `${url}/w`,
			headers: { header: [{ name: 'X Bad:Name', value: 'v' }] },
		},
		items: three({}),
		error: 'Item 0: Header "X Bad:Name": "X Bad:Name" is not a valid header name',
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
		error: 'Item 1: Raw Body, line 2, column 17: the rendered body is not valid JSON (unexpected "T")',
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
		error: 'Item 1: Raw Body, line 1, column 7: the rendered body is not valid JSON (unexpected "}")',
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
		error: 'Item 1: Raw Body: the rendered body is 3000 bytes, over the limit of 2048 bytes (option Max Body Size)',
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
		error: 'Item 1: Body: the rendered body is 1108 bytes, over the limit of 1024 bytes (option Max Body Size)',
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
		error: 'Item 1: Template Data: customAttributes must be an object (got an array)',
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
		error: "Item 1: Template Data: customAttributes is not valid JSON (Expected property name or '}' in JSON at position 1)",
	},
	{
		name: 'the remote refuses the credentials (401), not retried',
		parameters: { url: `${url}/{{\${path}}}` },
		items: three({ path: 'deny' }, { path: 'ok' }),
		error: `Item 1: ${new URL(url).host} answered HTTP 401, a client error that is not retried`,
		remote: true,
		delivery: {
			status: 'failed',
			reason: 'client-error',
			statusCode: 401,
			attempts: 1,
		},
	},
];

describe('Braze-style Webhook: bad input', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		resetProcessWideCooldownState();
		resetProcessWidePacers();
		server = await startLoopbackServer((request) =>
			request.url.includes('deny') ? { status: 401, body: { error: 'invalid key' } } : { status: 200, body: { ok: true } },
		);
	});
	afterAll(async () => server.close());

	it.each(webhookCases(PLACEHOLDER).map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
		const c = webhookCases(server.url)[index];
		const before = server.requests.length;
		const result = await runWebhook(c.parameters, c.items, {
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expectOutcome(c, result.outputs[0]);
		const sent = server.requests.slice(before);
		const expectedRequests = c.allFail ? 0 : c.items.length - (c.remote ? 0 : 1);
		expect([c.name, sent.length]).toEqual([c.name, expectedRequests]);
	});
});

describe('Braze to Braze: bad input', () => {
	let braze: BrazeStandIn;
	beforeAll(async () => {
		resetProcessWideCooldownState();
		resetProcessWidePacers();
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
	});
	afterAll(async () => braze.close());

	const track = (extra: IDataObject): INodeParameters => ({
		operation: 'trackUser',
		externalId: '={{ $json.user_id }}',
		...extra,
	});
	const plan = {
		attributes: {
			attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }],
		},
	};
	const custom = (body: string): INodeParameters => ({
		operation: 'customRequestBody',
		body,
	});
	const GOOD_BODY = '{"attributes":[{"external_id":"{{${user_id}}}","plan":"gold"}]}';

	const cases = (): Case[] => [
		{
			name: 'empty External ID',
			parameters: track({ externalId: '={{ $json.ext }}', ...plan }),
			items: [
				{ user_id: 'a', ext: 'a' },
				{ user_id: 'b', ext: '' },
				{ user_id: 'c', ext: 'c' },
			],
			error: 'The External ID is empty for this item',
		},
		{
			name: 'user alias without a label',
			parameters: track({
				identifierType: 'user_alias',
				aliasName: '={{ $json.user_id }}',
				aliasLabel: '={{ $json.label }}',
				...plan,
			}),
			items: three({ label: '' }, { label: 'crm' }),
			error: 'The user alias needs both an alias name and an alias label',
		},
		{
			name: 'attribute without a name',
			parameters: track({
				attributes: {
					attribute: [{ name: '={{ $json.attr }}', type: 'string', stringValue: 'v' }],
				},
			}),
			items: three({ attr: ' ' }, { attr: 'plan' }),
			error: 'An attribute has no name',
		},
		{
			name: 'attribute named like an identifier',
			parameters: track({
				attributes: {
					attribute: [{ name: '={{ $json.attr }}', type: 'string', stringValue: 'v' }],
				},
			}),
			items: three({ attr: 'external_id' }, { attr: 'plan' }),
			error: '"external_id" cannot be set as an attribute',
		},
		{
			name: 'number attribute that is not a number',
			parameters: track({
				attributes: {
					attribute: [
						{
							name: 'score',
							type: 'number',
							numberValue: '={{ $json.score }}',
						},
					],
				},
			}),
			items: three({ score: 'lots' }, { score: 3 }),
			error: 'Attribute "score" is not a number',
		},
		{
			name: 'boolean attribute that is not a boolean',
			parameters: track({
				attributes: {
					attribute: [{ name: 'vip', type: 'boolean', booleanValue: '={{ $json.vip }}' }],
				},
			}),
			items: three({ vip: 'yes' }, { vip: true }),
			error: 'Attribute "vip" is not a boolean',
		},
		{
			name: 'JSON attribute that is not JSON',
			parameters: track({
				attributes: {
					attribute: [{ name: 'tags', type: 'json', jsonValue: '={{ $json.tags }}' }],
				},
			}),
			items: three({ tags: '[1, 2' }, { tags: '[1]' }),
			error: 'Attribute "tags" is not valid JSON',
		},
		{
			name: 'event without a name',
			parameters: track({ event: { details: { name: '={{ $json.ev }}' } } }),
			items: three({ ev: '' }, { ev: 'opened' }),
			error: 'The event has no name',
		},
		{
			name: 'event time that is not a date',
			parameters: track({
				event: { details: { name: 'opened', time: '={{ $json.at }}' } },
			}),
			items: three({ at: 'last tuesday' }, { at: '2026-01-31T12:00:00Z' }),
			error: 'Event time is not a date Braze accepts',
		},
		{
			name: 'event properties that are not an object',
			parameters: track({
				event: {
					details: { name: 'opened', properties: '={{ $json.props }}' },
				},
			}),
			items: three({ props: '[1, 2]' }, { props: '{"a": 1}' }),
			error: 'Event properties must be a JSON object',
		},
		{
			name: 'purchase without a product ID',
			parameters: track({
				purchase: {
					details: {
						productId: '={{ $json.sku }}',
						currency: 'USD',
						price: 1,
						quantity: 1,
					},
				},
			}),
			items: three({ sku: '' }, { sku: 'sku-1' }),
			error: 'The purchase has no product ID',
		},
		{
			name: 'purchase currency that is not ISO 4217',
			parameters: track({
				purchase: {
					details: {
						productId: 'sku-1',
						currency: '={{ $json.cur }}',
						price: 1,
						quantity: 1,
					},
				},
			}),
			items: three({ cur: 'EURO' }, { cur: 'eur' }),
			error: 'The purchase currency must be a three-letter ISO 4217 code',
		},
		{
			name: 'purchase price that is not a number',
			parameters: track({
				purchase: {
					details: {
						productId: 'sku-1',
						currency: 'USD',
						price: '={{ $json.price }}',
						quantity: 1,
					},
				},
			}),
			items: three({ price: 'free' }, { price: 9.5 }),
			error: 'The purchase price is not a number',
		},
		{
			name: 'purchase quantity over 100',
			parameters: track({
				purchase: {
					details: {
						productId: 'sku-1',
						currency: 'USD',
						price: 1,
						quantity: '={{ $json.qty }}',
					},
				},
			}),
			items: three({ qty: 101 }, { qty: 2 }),
			error: 'The purchase quantity must be a whole number from 1 to 100',
		},
		{
			name: 'increment that is not a whole number',
			parameters: {
				operation: 'incrementCustomAttribute',
				externalId: '={{ $json.user_id }}',
				attributeName: 'visits',
				incrementBy: '={{ $json.by }}',
			},
			items: three({ by: 1.5 }, { by: 1 }),
			error: 'Increment By must be a whole number',
		},
		{
			name: 'custom body: Liquid runtime error',
			parameters: custom('{"attributes":[{"external_id":"{{${user_id}}}","share":{{ 100 | divided_by: ${parts} }}}]}'),
			items: three({ parts: 0 }, { parts: 4 }),
			error: "The request body's Liquid failed: Request Body, line 1, column 56: divided by 0",
		},
		{
			name: 'custom body: invalid JSON after rendering',
			parameters: custom('{"attributes":[{"external_id":"{{${user_id}}}","name":"{{${first_name}}}"}]}'),
			items: three({ first_name: 'Ann "A"' }, { first_name: 'Bo' }),
			error: 'The rendered request body is not valid JSON',
		},
		{
			name: 'custom body: a key /users/track does not have',
			parameters: custom('{"attributes":[{"external_id":"{{${user_id}}}"}],"{{${key}}}":[]}'),
			items: three({ key: 'users' }, { key: 'events' }),
			error:
				'The rendered request body is not a /users/track body: The body may only have "attributes", "events" and "purchases" (found "users")',
		},
		{
			name: 'custom body: a JSON array, not an object',
			parameters: custom('{% if ${as_list} %}[{"external_id":"{{${user_id}}}"}]{% else %}' + GOOD_BODY + '{% endif %}'),
			items: three({ as_list: true }, { as_list: false }),
			error:
				'The rendered request body is not a /users/track body: The body must be a JSON object with "attributes", "events" or "purchases" arrays',
		},
		{
			name: 'custom body: an attributes entry that is not an object',
			parameters: custom('{"attributes":[{% if ${bad} %}"{{${user_id}}}"{% else %}{"external_id":"{{${user_id}}}"}{% endif %}]}'),
			items: three({ bad: true }, { bad: false }),
			error: 'The rendered request body is not a /users/track body: "attributes"[0] must be an object',
		},
		{
			name: 'custom body: nothing to send',
			parameters: custom('{% if ${skip} %}{}{% else %}' + GOOD_BODY + '{% endif %}'),
			items: three({ skip: true }, { skip: false }),
			error: 'This item has no attributes, events or purchases to send',
		},
		{
			name: 'custom body: more objects than one request may carry',
			parameters: custom(
				'{% assign n = ${count} %}{"attributes":[{% for i in (1..n) %}{"external_id":"{{${user_id}}}{% unless forloop.first %}-{{i}}{% endunless %}"}{% unless forloop.last %},{% endunless %}{% endfor %}]}',
			),
			items: three({ count: 76 }, { count: 1 }),
			error: 'This item has 76 objects, more than one /users/track request may carry (75 objects)',
		},
		{
			name: 'custom body: render limit',
			parameters: custom('{% assign m = ${n} %}{% for i in (1..m) %}{% endfor %}' + GOOD_BODY),
			items: three({ n: 100000000 }, { n: 1 }),
			error:
				"The request body's Liquid failed: Request Body, line 1, column 22: the template builds too large a value (a range, list or text) for the memory limit",
		},
		{
			name: 'custom body: an object without an identifier fails its item before sending',
			parameters: custom(
				'{"attributes":[{ {% if ${anonymous} %}"nickname":"{{${user_id}}}"{% else %}"external_id":"{{${user_id}}}"{% endif %} }]}',
			),
			items: three({ anonymous: true }, { anonymous: false }),
			error:
				"The rendered request body's attributes[0]: Each object needs an identifier: external_id, user_alias, braze_id, email or phone",
		},
		{
			name: 'custom body: Liquid syntax error, shared by every item',
			parameters: custom('{"attributes":[{"external_id":"{{${user_id}"}]}'),
			items: three({}),
			error: 'The request body\'s Liquid has an error: Request Body, line 1, column 32: output "{{${user_id}"}]}" is not closed',
			allFail: true,
		},
		{
			name: 'custom body: unknown filter, shared by every item',
			parameters: custom('{"attributes":[{"external_id":"{{${user_id} | shout}}"}]}'),
			items: three({}),
			error: 'The request body\'s Liquid has an error: Request Body, line 1, column 32: unknown filter "shout"',
			allFail: true,
		},
		{
			name: 'a wrong instance: the endpoint answers 404',
			parameters: track(plan),
			items: three({}),
			error: "Braze answered 404 Not Found: the credential's REST instance or custom URL is probably wrong",
			allFail: true,
			remote: true,
			customUrl: (url) => `${url}/rest-iad-99`,
			delivery: { status: 'failed', reason: 'client-error', statusCode: 404 },
		},
		{
			name: 'an invalid API key: 401, the key never shown',
			parameters: track(plan),
			items: three({}),
			error:
				"Braze did not accept the API key (401 Unauthorized): check the Braze API credential's key, and that its REST instance matches your dashboard URL",
			allFail: true,
			remote: true,
			apiKey: 'wrong-key-0000000000000000',
			delivery: { status: 'failed', reason: 'client-error', statusCode: 401 },
		},
	];

	it.each(cases().map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
		const c = cases()[index];
		const requests = braze.requests.length;
		const accepted = braze.accepted.length;
		const result = await runBrazeToBraze(c.customUrl ? { url: c.customUrl(braze.url) } : braze, c.parameters, c.items, {
			onError: 'continueRegularOutput',
			apiKey: c.apiKey,
		});
		expect(result.error).toBeUndefined();
		expectOutcome(c, result.outputs[0]);
		expect([c.name, braze.requests.length - requests]).toEqual([c.name, c.allFail && !c.remote ? 0 : 1]);
		const queued = braze.accepted.slice(accepted).flatMap(
			(a) =>
				Object.values(a.body).flat() as Array<{
					external_id?: string;
					user_alias?: { alias_name: string };
				}>,
		);
		const ids = queued.map((object) => object.external_id ?? object.user_alias?.alias_name);
		expect([c.name, ids]).toEqual([c.name, c.allFail ? [] : ['a', 'c']]);
	});
});
