/**
 * Braze to Braze, bad input: each case fails only the items it concerns, with an error that names the
 * field (the item by its position, pairedItem and the error's item index), while the other items are
 * sent. A template error that every item shares fails every item and sends nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { expectOutcome, three, type Case } from '../support/bad-input';
import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, runBrazeToBraze } from './helpers';

describe('Braze to Braze: bad input', () => {
	let braze: BrazeStandIn;
	beforeAll(async () => {
		resetProcessState();
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
