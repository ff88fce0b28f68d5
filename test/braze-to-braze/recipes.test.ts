import type { IDataObject } from 'n8n-workflow';

import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';
import { SEED_COUNTER, SEED_EVENT_PROPERTY } from '../support/braze-seeds';

let braze: BrazeStandIn;
beforeEach(async () => {
	resetDeliveryState();
	braze = await BrazeStandIn.start({ apiKey: API_KEY });
});
afterEach(async () => braze.close());

describe("the seeds' Braze-to-Braze recipes, as Custom Request Body", () => {
	it('use case 1: an event property stored as a custom attribute, for many items in one request', async () => {
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body: SEED_EVENT_PROPERTY }, [
			{ user_id: 'u-1', event_properties: { your_event_property: 'blue' } },
			// A REST-shaped item: ${user_id} falls back to external_id.
			{ external_id: 'u-2', event_properties: { your_event_property: 'green' } },
		]);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		expect(braze.requests[0].body).toBe(
			JSON.stringify({
				attributes: [
					{ external_id: 'u-1', new_custom_attribute: 'blue' },
					{ external_id: 'u-2', new_custom_attribute: 'green' },
				],
			}),
		);
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'sent']);
	});

	it('renders like Braze: a value with quotes breaks the JSON unless escaped with json_escape', async () => {
		const item = { user_id: 'u-3', event_properties: { your_event_property: 'Say "hi"' } };
		const broken = await runBrazeToBraze(braze, { operation: 'customRequestBody', body: SEED_EVENT_PROPERTY }, [item], {
			onError: 'continueRegularOutput',
		});
		expect(broken.outputs[0][0].json.error).toBe('The rendered request body is not valid JSON');
		expect(braze.requests).toHaveLength(0);

		const escaped = SEED_EVENT_PROPERTY.replace('${your_event_property}}}', '${your_event_property} | json_escape}}');
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body: escaped }, [item]);
		expect(result.error).toBeUndefined();
		expect(braze.requests[0].json).toEqual({ attributes: [{ external_id: 'u-3', new_custom_attribute: 'Say "hi"' }] });
	});

	it("use case 2: the counter, read from the item's custom_attributes and incremented in Liquid", async () => {
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body: SEED_COUNTER }, [
			{ user_id: 'u-7', custom_attributes: { your_attribute_count: 5 } },
			{ user_id: 'u-8', custom_attributes: {} },
		]);
		expect(result.error).toBeUndefined();
		expect(braze.requests.map((request) => request.json)).toEqual([
			{
				attributes: [
					{ external_id: 'u-7', your_attribute_count: '6' },
					{ external_id: 'u-8', your_attribute_count: '1' },
				],
			},
		]);
		expect(braze.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('{% abort_message %} leaves the item as aborted, unsent; the others are sent', async () => {
		const body = `{% if \${first_name} == blank %}{% abort_message('no first name') %}{% endif %}
{"events": [{"external_id": "{{\${user_id}}}", "name": "greeted", "time": "2026-04-01T00:00:00Z", "properties": {"name": "{{\${first_name}}}"}}]}`;
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body }, [
			{ user_id: 'a', first_name: 'Ada' },
			{ user_id: 'b', first_name: '' },
			{ user_id: 'c', first_name: 'Cy' },
		]);
		expect(result.error).toBeUndefined();
		expect(braze.requests[0].json).toEqual({
			events: [
				{ external_id: 'a', name: 'greeted', time: '2026-04-01T00:00:00Z', properties: { name: 'Ada' } },
				{ external_id: 'c', name: 'greeted', time: '2026-04-01T00:00:00Z', properties: { name: 'Cy' } },
			],
		});
		expect(deliveries(result.outputs[0]).map((d: IDataObject) => [d.status, d.reason])).toEqual([
			['sent', undefined],
			['aborted', 'no first name'],
			['sent', undefined],
		]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('{% abort_message %} in any Liquid field, not only the body, leaves its item aborted and unsent', async () => {
		const plan = {
			operation: 'trackUser',
			externalId: "{% if ${user_id} == 'b' %}{% abort_message('b opted out') %}{% endif %}{{${user_id}}}",
			attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: "{% if ${plan} == blank %}{% abort_message %}{% endif %}{{${plan}}}" }] },
		};
		const result = await runBrazeToBraze(braze, plan, [
			{ user_id: 'a', plan: 'gold' },
			{ user_id: 'b', plan: 'gold' },
			{ user_id: 'c' },
			{ user_id: 'd', plan: 'free' },
		]);
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(1);
		expect(braze.requests[0].json).toEqual({
			attributes: [
				{ external_id: 'a', plan: 'gold', _update_existing_only: false },
				{ external_id: 'd', plan: 'free', _update_existing_only: false },
			],
		});
		expect(deliveries(result.outputs[0]).map((d: IDataObject) => [d.status, d.reason])).toEqual([
			['sent', undefined],
			['aborted', 'b opted out'],
			['aborted', undefined],
			['sent', undefined],
		]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('a body that does not render to a /users/track body fails its item with the reason', async () => {
		const body = `{% if \${user_id} == "bad" %}{"users": []}{% else %}{"attributes": [{"external_id": "{{\${user_id}}}", "x": {{x}} }]}{% endif %}`;
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body }, [{ user_id: 'ok', x: 1 }, { user_id: 'bad' }, { user_id: 'nojson' }], {
			onError: 'continueRegularOutput',
		});
		const [output] = result.outputs;
		expect(output.map((item) => item.json.error ?? null)).toEqual([
			null,
			'The rendered request body is not a /users/track body: The body may only have "attributes", "events" and "purchases" (found "users")',
			'The rendered request body is not valid JSON',
		]);
		expect(String(output[2].json.errorDescription)).toMatch(/Rendered body \(first 300 characters\): \{"attributes": \[\{"external_id": "nojson", "x":  \}\]\}$/);
		expect(braze.requests.map((request) => request.json)).toEqual([{ attributes: [{ external_id: 'ok', x: 1 }] }]);
	});

	it('a Liquid syntax error stops the run before sending, pointing at the line', async () => {
		const body = `{\n  "attributes": [{"external_id": "{{ \${user_id} "}]\n}`;
		const result = await runBrazeToBraze(braze, { operation: 'customRequestBody', body }, [{ user_id: 'a' }]);
		expect(result.error?.message).toMatch(/^The request body's Liquid has an error: Request Body, line 2, column \d+: /);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(braze.requests).toHaveLength(0);
	});
});
