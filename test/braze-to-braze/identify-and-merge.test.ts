/**
 * Identify Users by alias, email or phone, and Merge Users by external ID, alias, email or phone, in
 * the real engine against the endpoints stand-in (which refuses bodies Braze would refuse). Saved
 * workflows without the newer parameters still send the bodies they sent before.
 */
import { NodeHelpers, type IDataObject, type INode, type INodeParameters } from 'n8n-workflow';

import { BrazeToBraze } from '../../nodes/BrazeToBraze/BrazeToBraze.node';
import { BrazeEndpointsStandIn } from './endpoints-stand-in';
import { deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

const KEY = 'braze-key-identify-merge-0007';
const KEYS = { [KEY]: ['users.identify', 'users.merge'] };

let braze: BrazeEndpointsStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const identifyPlan = {
	operation: 'identifyUsers',
	identifyBy: '={{ $json.by }}',
	externalId: '={{ $json.id }}',
	aliasName: '={{ $json.anon }}',
	aliasLabel: 'web',
	email: '={{ $json.email }}',
	phone: '={{ $json.phone }}',
};

/** Item i is identified by alias, email or phone in turn. */
const mixed = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `u${i}`,
		by: ['user_alias', 'email', 'phone'][i % 3],
		anon: `anon-${i}`,
		email: `u${i}@example.com`,
		phone: `+1415555${String(1000 + i)}`,
	}));

const DEFAULT_ORDER = ['unidentified', 'most_recently_updated'];

/** The identify entries of a body, each with the array it was in. */
function identifyEntries(body: Record<string, unknown>): Array<[string, IDataObject]> {
	return ['aliases_to_identify', 'emails_to_identify', 'phone_numbers_to_identify'].flatMap((key) =>
		((body[key] as IDataObject[] | undefined) ?? []).map((entry): [string, IDataObject] => [key, entry]),
	);
}

describe('Identify Users by alias, email and phone', () => {
	it('sends the three kinds together, 50 entries in all per request; each item gets its outcome and a malformed email fails only its item', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const items = mixed(60);
		items[4] = { ...items[4], email: 'not-an-email' };
		const result = await runBrazeToBraze(braze, identifyPlan, items, { apiKey: KEY, continueOnFail: true });
		expect(result.error).toBeUndefined();

		expect(braze.accepted).toHaveLength(2);
		const perRequest = braze.accepted.map((call) => identifyEntries(call.body));
		expect(perRequest.map((entries) => entries.length)).toEqual([50, 9]);
		const all = perRequest.flat();
		expect(all.filter(([key]) => key === 'aliases_to_identify')).toHaveLength(20);
		expect(all.filter(([key]) => key === 'emails_to_identify')).toHaveLength(19);
		expect(all.filter(([key]) => key === 'phone_numbers_to_identify')).toHaveLength(20);
		const entryOf = (id: string) => all.find(([, entry]) => entry.external_id === id);
		expect(entryOf('u0')).toEqual(['aliases_to_identify', { external_id: 'u0', user_alias: { alias_name: 'anon-0', alias_label: 'web' } }]);
		expect(entryOf('u1')).toEqual(['emails_to_identify', { external_id: 'u1', email: 'u1@example.com', prioritization: DEFAULT_ORDER }]);
		expect(entryOf('u2')).toEqual(['phone_numbers_to_identify', { external_id: 'u2', phone: '+14155551002', prioritization: DEFAULT_ORDER }]);
		expect(entryOf('u4')).toBeUndefined();

		const out = deliveries(result.outputs[0]);
		expect(out.map((d) => d.status)).toEqual(items.map((_, i) => (i === 4 ? 'failed' : 'sent')));
		expect(result.outputs[0][4].json.error).toMatch(/Email: "not-an-email" is not an email address/);
		// Each item is reported with the request that carried its entry (the first batch goes alone, so requests arrive in batch order).
		const batchOfId = new Map<string, number>();
		braze.accepted.forEach((call, index) => identifyEntries(call.body).forEach(([, entry]) => batchOfId.set(String(entry.external_id), index + 1)));
		expect(out.map((d, i) => (i === 4 ? undefined : d.batch))).toEqual(items.map((item, i) => (i === 4 ? undefined : batchOfId.get(item.id))));
	});

	it('never puts one email in a request twice, and a chosen prioritization is sent as Braze\'s ordered array', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { ...identifyPlan, identifyBy: 'email', prioritization: 'unidentified,least_recently_updated' };
		const items = [
			{ id: 'a', email: 'same@example.com' },
			{ id: 'b', email: 'other@example.com' },
			{ id: 'c', email: 'same@example.com' },
		];
		const result = await runBrazeToBraze(braze, plan, items, { apiKey: KEY });
		expect(result.error).toBeUndefined();
		expect(braze.accepted.map((call) => call.body)).toEqual([
			{
				emails_to_identify: [
					{ external_id: 'a', email: 'same@example.com', prioritization: ['unidentified', 'least_recently_updated'] },
					{ external_id: 'b', email: 'other@example.com', prioritization: ['unidentified', 'least_recently_updated'] },
				],
			},
			{ emails_to_identify: [{ external_id: 'c', email: 'same@example.com', prioritization: ['unidentified', 'least_recently_updated'] }] },
		]);
	});

	it('a dry run shows each entry with its array and the request with all three arrays', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const result = await runBrazeToBraze(braze, { ...identifyPlan, options: { dryRun: true } }, mixed(3), { apiKey: KEY });
		expect(result.error).toBeUndefined();
		expect(braze.requests).toHaveLength(0);
		const out = deliveries(result.outputs[0]);
		expect(out.map((d) => [d.status, d.list, (d.entry as IDataObject).external_id])).toEqual([
			['dryRun', 'aliases_to_identify', 'u0'],
			['dryRun', 'emails_to_identify', 'u1'],
			['dryRun', 'phone_numbers_to_identify', 'u2'],
		]);
		expect((out[0].request as IDataObject).body).toEqual({
			aliases_to_identify: [{ external_id: 'u0', user_alias: { alias_name: 'anon-0', alias_label: 'web' } }],
			emails_to_identify: [{ external_id: 'u1', email: 'u1@example.com', prioritization: DEFAULT_ORDER }],
			phone_numbers_to_identify: [{ external_id: 'u2', phone: '+14155551002', prioritization: DEFAULT_ORDER }],
		});
	});

	it('fails, per item and naming the field, a phone that is not E.164, an unknown kind and a prioritization an expression got wrong', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { ...identifyPlan, prioritization: '={{ $json.order ?? "unidentified,most_recently_updated" }}' };
		const items = [
			{ id: 'ok', by: 'phone', phone: '+14155550100' },
			{ id: 'p', by: 'phone', phone: '4155550100' },
			{ id: 'k', by: 'braze_id' },
			{ id: 'o', by: 'email', email: 'o@example.com', order: 'newest' },
		];
		const result = await runBrazeToBraze(braze, plan, items, { apiKey: KEY, continueOnFail: true });
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed', 'failed', 'failed']);
		const errors = result.outputs[0].map((item) => String(item.json.error ?? ''));
		expect(errors[1]).toMatch(/Phone: "4155550100" is not a phone number in E\.164 format/);
		expect(errors[2]).toMatch(/Identify By is "braze_id"/);
		expect(errors[3]).toMatch(/Prioritization "newest" is not a prioritization Braze takes/);
		expect(braze.accepted.map((call) => call.body)).toEqual([
			{ phone_numbers_to_identify: [{ external_id: 'ok', phone: '+14155550100', prioritization: DEFAULT_ORDER }] },
		]);
	});
});

describe('Merge Users by any identifier on each side', () => {
	const mergePlan = {
		operation: 'mergeUsers',
		mergeIdentifierType: '={{ $json.from }}',
		keepIdentifierType: '={{ $json.to }}',
		identifierToMerge: '={{ $json.fromId }}',
		identifierToKeep: '={{ $json.toId }}',
		mergeAliasName: '={{ $json.fromAlias }}',
		mergeAliasLabel: 'web',
		keepAliasName: '={{ $json.toAlias }}',
		keepAliasLabel: 'crm',
		mergeEmail: '={{ $json.fromEmail }}',
		keepEmail: '={{ $json.toEmail }}',
		mergePhone: '={{ $json.fromPhone }}',
		keepPhone: '={{ $json.toPhone }}',
	};

	it('sends alias, email and phone identifiers with their prioritization; one user in two merges goes in two requests, in item order', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const items = [
			{ from: 'user_alias', fromAlias: 'anon-1', to: 'email', toEmail: 'main@example.com' },
			{ from: 'phone', fromPhone: '+14155550100', to: 'external_id', toId: 'u9' },
			{ from: 'email', fromEmail: 'dup@example.com', to: 'user_alias', toAlias: 'crm-7' },
			// The same email on both sides with different prioritizations: the email-only duplicate into the identified profile.
			{ from: 'email', fromEmail: 'main@example.com', to: 'email', toEmail: 'main@example.com' },
		];
		const result = await runBrazeToBraze(braze, mergePlan, items, { apiKey: KEY });
		expect(result.error).toBeUndefined();
		expect(deliveries(result.outputs[0]).map((d) => [d.status, d.batch])).toEqual([
			['sent', 1],
			['sent', 1],
			['sent', 1],
			['sent', 2],
		]);
		const unidentified = ['unidentified', 'most_recently_updated'];
		const identified = ['identified', 'most_recently_updated'];
		expect(braze.accepted.map((call) => call.body)).toEqual([
			{
				merge_updates: [
					{
						identifier_to_merge: { user_alias: { alias_name: 'anon-1', alias_label: 'web' } },
						identifier_to_keep: { email: 'main@example.com', prioritization: identified },
					},
					{ identifier_to_merge: { phone: '+14155550100', prioritization: unidentified }, identifier_to_keep: { external_id: 'u9' } },
					{
						identifier_to_merge: { email: 'dup@example.com', prioritization: unidentified },
						identifier_to_keep: { user_alias: { alias_name: 'crm-7', alias_label: 'crm' } },
					},
				],
			},
			{
				merge_updates: [
					{ identifier_to_merge: { email: 'main@example.com', prioritization: unidentified }, identifier_to_keep: { email: 'main@example.com', prioritization: identified } },
				],
			},
		]);
	});

	it('fails a user merged into itself (same type, same value) and a malformed email, each only its item and naming the field', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { ...mergePlan, mergePrioritization: 'identified,most_recently_updated' };
		const items = [
			{ from: 'user_alias', fromAlias: 'x', to: 'user_alias', toAlias: 'x' },
			{ from: 'email', fromEmail: 'same@example.com', to: 'email', toEmail: 'same@example.com' },
			{ from: 'external_id', fromId: 'same', to: 'external_id', toId: 'same' },
			{ from: 'email', fromEmail: 'broken@', to: 'external_id', toId: 'u1' },
			{ from: 'external_id', fromId: 'dup', to: 'phone', toPhone: '+14155550199' },
		];
		const result = await runBrazeToBraze(braze, { ...plan, mergeAliasLabel: 'crm' }, items, { apiKey: KEY, continueOnFail: true });
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'sent']);
		const errors = result.outputs[0].map((item) => String(item.json.error ?? ''));
		expect(errors[0]).toMatch(/Alias to Merge and Alias to Keep are both "x" \(label "crm"\)/);
		expect(errors[1]).toMatch(/Email to Merge and Email to Keep are both "same@example.com" with the same prioritization/);
		expect(errors[2]).toMatch(/External ID to Merge and External ID to Keep are both "same"/);
		expect(errors[3]).toMatch(/Email to Merge: "broken@" is not an email address/);
		expect(braze.accepted.map((call) => call.body)).toEqual([
			{
				merge_updates: [
					{
						identifier_to_merge: { external_id: 'dup' },
						identifier_to_keep: { phone: '+14155550199', prioritization: ['identified', 'most_recently_updated'] },
					},
				],
			},
		]);
	});
});

describe('the stand-in holds the node to the documented shapes', () => {
	async function post(path: string, body: unknown) {
		const response = await fetch(`${braze!.url}${path}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, message: ((await response.json()) as IDataObject).message };
	}

	it('refuses an email or phone identifier without prioritization, unknown fields and more than 50 entries in all', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const email = { external_id: 'a', email: 'a@example.com', prioritization: DEFAULT_ORDER };
		expect(await post('/users/identify', { emails_to_identify: [email] })).toEqual({ status: 201, message: 'success' });
		expect(await post('/users/identify', { emails_to_identify: [{ external_id: 'a', email: 'a@example.com' }] })).toEqual({
			status: 400,
			message: 'emails_to_identify[0]: prioritization is required with email',
		});
		expect((await post('/users/identify', { phone_numbers_to_identify: [{ external_id: 'a', phone: '+14155550100', prioritization: ['newest'] }] })).status).toBe(400);
		expect((await post('/users/identify', { aliases_to_identify: [{ external_id: 'a', user_alias: { alias_name: 'n', alias_label: 'l' }, prioritization: DEFAULT_ORDER }] })).status).toBe(400);
		const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...email, external_id: `u${i}` }));
		const aliases = Array.from({ length: 25 }, (_, i) => ({ external_id: `v${i}`, user_alias: { alias_name: `n${i}`, alias_label: 'l' } }));
		expect(await post('/users/identify', { emails_to_identify: many(26), aliases_to_identify: aliases })).toEqual({
			status: 400,
			message: 'The request has 51 users to identify, more than the limit of 50',
		});
		const merge = (from: IDataObject, to: IDataObject) => post('/users/merge', { merge_updates: [{ identifier_to_merge: from, identifier_to_keep: to }] });
		expect((await merge({ phone: '+14155550100', prioritization: DEFAULT_ORDER }, { external_id: 'k' })).status).toBe(201);
		expect(await merge({ email: 'a@example.com' }, { external_id: 'k' })).toEqual({
			status: 400,
			message: 'merge_updates[0].identifier_to_merge: prioritization is required with email',
		});
		expect((await merge({ external_id: 'a', email: 'a@example.com', prioritization: DEFAULT_ORDER }, { external_id: 'k' })).status).toBe(400);
		expect((await merge({ external_id: 'a', prioritization: DEFAULT_ORDER }, { external_id: 'k' })).status).toBe(400);
		expect(braze.accepted).toHaveLength(2);
	});
});

describe('saved workflows without the newer parameters', () => {
	const identify = { operation: 'identifyUsers', externalId: '={{ $json.id }}', aliasName: '={{ $json.anon }}', aliasLabel: 'web' };
	const merge = { operation: 'mergeUsers', identifierToMerge: '={{ $json.from }}', identifierToKeep: '={{ $json.to }}' };

	/** What n8n checks before it runs a workflow: a required field shown and empty is an issue, and n8n refuses to run. */
	function issues(parameters: INodeParameters, typeVersion: number) {
		const { description } = new BrazeToBraze();
		const node: INode = { id: 'b', name: 'Braze to Braze', type: 'brazeToBraze', typeVersion, position: [0, 0], parameters };
		node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
		return NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	}

	for (const typeVersion of [1, 2]) {
		it(`version ${typeVersion}: Identify sends aliases_to_identify and Merge sends external IDs, exactly as before, with no new required field`, async () => {
			expect(issues(identify, typeVersion)).toBeNull();
			expect(issues(merge, typeVersion)).toBeNull();
			braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
			const identified = await runBrazeToBraze(braze, identify, [{ id: 'u0', anon: 'anon-0' }], { apiKey: KEY, typeVersion });
			expect(identified.error).toBeUndefined();
			const merged = await runBrazeToBraze(braze, merge, [{ from: 'dup', to: 'main' }], { apiKey: KEY, typeVersion });
			expect(merged.error).toBeUndefined();
			expect(braze.accepted.map((call) => [call.path, call.body])).toEqual([
				['/users/identify', { aliases_to_identify: [{ external_id: 'u0', user_alias: { alias_name: 'anon-0', alias_label: 'web' } }] }],
				['/users/merge', { merge_updates: [{ identifier_to_merge: { external_id: 'dup' }, identifier_to_keep: { external_id: 'main' } }] }],
			]);
		});
	}
});
