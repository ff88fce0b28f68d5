// The one rule for `{{ }}` in both nodes, in the real engine: n8n's `{{ $… }}` evaluated per item,
// every other `{{ }}` and `{% %}` rendered as Braze Liquid, whichever mode the field was saved in.
import { BrazeStandIn } from '../braze-to-braze/braze-stand-in';
import { API_KEY, deliveries as brazeDeliveries, resetDeliveryState, runBrazeToBraze } from '../braze-to-braze/helpers';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { runWebhook, statuses } from '../webhook/helpers';

const GREETING = "Hi {{${first_name} | default: 'there'}} <{{ $json.email }}>";
const users = [
	{ user_id: 'u1', first_name: 'Ada', email: 'ada@example.com' },
	{ user_id: 'u2', email: 'bob@example.com' },
];

describe('Braze-Style Webhook: which {{ }} is n8n\'s', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		resetDeliveryState();
		server = await startLoopbackServer({ status: 200, body: { ok: true } });
	});
	afterAll(async () => server.close());

	it.each([
		['Fixed', ''],
		['Expression', '='],
	])('a mixed header in %s mode renders both, per item', async (_mode, prefix) => {
		const before = server.requests.length;
		const result = await runWebhook(
			{
				url: `${prefix}${server.url}/u/{{\${user_id}}}`,
				headers: { header: [{ name: 'X-Greeting', value: `${prefix}${GREETING}` }] },
			},
			users,
		);
		expect(result.error).toBeUndefined();
		const sent = server.requests.slice(before);
		expect(sent.map((r) => [r.url, r.headers['x-greeting']])).toEqual([
			['/u/u1', 'Hi Ada <ada@example.com>'],
			['/u/u2', 'Hi there <bob@example.com>'],
		]);
	});

	it('an n8n value is text for Liquid: a dragged field holding a template renders it per item', async () => {
		const before = server.requests.length;
		const result = await runWebhook(
			{ url: `${server.url}/t`, bodyType: 'raw', rawBody: '={{ $json.template }}' },
			[
				{ first_name: 'Ada', template: 'hello {{${first_name}}}' },
				{ first_name: 'Bob', template: '{{${first_name} | upcase}}!' },
			],
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.slice(before).map((r) => r.body)).toEqual(['hello Ada', 'BOB!']);
	});

	it("a Liquid error after an n8n expression points at the user's own line and column", async () => {
		const result = await runWebhook(
			{ url: `${server.url}/e`, bodyType: 'raw', rawBody: '{{ $json.email }}\nok {{ ${first_name} | shout_loudly }}' },
			[users[0]],
			{ onError: 'continueRegularOutput' },
		);
		const [item] = result.outputs[0];
		expect(statuses(result.outputs[0])).toEqual(['failed']);
		expect(item.json.error).toMatch(/^Raw Body, line 2, column 4: unknown filter "shout_loudly" \[item 0\]$/);
	});

	it('an n8n expression that fails names itself and its place', async () => {
		const result = await runWebhook(
			{ url: `${server.url}/e`, bodyType: 'raw', rawBody: '{{${user_id}}}/\n  {{ $json.email + }}' },
			[users[0]],
			{ onError: 'continueRegularOutput' },
		);
		const [item] = result.outputs[0];
		expect(statuses(result.outputs[0])).toEqual(['failed']);
		expect(item.json.error).toMatch(/^Raw Body, line 2, column 3: n8n expression \{\{ \$json\.email \+ \}\} failed: invalid syntax \[item 0\]$/);
	});
});

describe("Braze to Braze: which {{ }} is n8n's", () => {
	let braze: BrazeStandIn | undefined;
	beforeEach(() => resetDeliveryState());
	afterEach(async () => {
		await braze?.close();
		braze = undefined;
	});

	it('External ID typed as Braze Liquid reads the item; a string attribute mixes Liquid and n8n', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{
				operation: 'trackUser',
				externalId: '{{${user_id}}}',
				attributes: { attribute: [{ name: 'greeting', type: 'string', stringValue: GREETING }] },
			},
			users,
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		expect(braze.requests[0].json).toEqual({
			attributes: [
				{ external_id: 'u1', _update_existing_only: false, greeting: 'Hi Ada <ada@example.com>' },
				{ external_id: 'u2', _update_existing_only: false, greeting: 'Hi there <bob@example.com>' },
			],
		});
	});

	it('Increment: External ID in Expression mode with Braze Liquid works the same', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{ operation: 'incrementCustomAttribute', externalId: '={{${user_id}}}', attributeName: 'seen', incrementBy: 1 },
			users,
		);
		expect(result.error).toBeUndefined();
		expect(braze.requests[0].json).toEqual({
			attributes: [
				{ external_id: 'u1', _update_existing_only: false, seen: { inc: 1 } },
				{ external_id: 'u2', _update_existing_only: false, seen: { inc: 1 } },
			],
		});
	});

	it('Custom Request Body with an n8n value spliced in renders per item', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const body = '{"attributes":[{"external_id":"{{${user_id}}}","mail":"{{ $json.email }}","first":"{{${first_name} | default: \'x\'}}"}]}';
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body }, users);
		expect(result.error).toBeUndefined();
		expect(braze.requests[0].json).toEqual({
			attributes: [
				{ external_id: 'u1', mail: 'ada@example.com', first: 'Ada' },
				{ external_id: 'u2', mail: 'bob@example.com', first: 'x' },
			],
		});
		expect(brazeDeliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'sent']);
	});

	it("an External ID whose Liquid fails fails its item with the field's name and position", async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(
			braze,
			{ operation: 'incrementCustomAttribute', externalId: '{{ $json.email }}-{{${user_id} | shout_loudly}}', attributeName: 'seen', incrementBy: 1 },
			users,
			{ onError: 'continueRegularOutput' },
		);
		const out = result.outputs[0];
		expect(brazeDeliveries(out).map((d) => d.status)).toEqual(['failed', 'failed']);
		expect(String(out[0].json.error)).toMatch(/External ID, line 1, column 19: unknown filter "shout_loudly"/);
		expect(braze.requests).toHaveLength(0);
	});
});
