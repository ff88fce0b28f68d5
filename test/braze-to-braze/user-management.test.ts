/**
 * The user-management operations in the real engine against the endpoints stand-in: Identify, New
 * Alias, Merge, Delete (behind Confirm Delete) and Set Subscription Status v2, batched to 50.
 */
import type { IDataObject } from 'n8n-workflow';

import { BrazeEndpointsStandIn } from './endpoints-stand-in';
import { deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

const KEY = 'braze-key-user-management-0003';
const NO_DELETE_KEY = 'braze-key-no-delete-0004';
const ALL = ['users.identify', 'users.alias.new', 'users.merge', 'users.delete', 'subscription.status.set'];
const KEYS = { [KEY]: ALL, [NO_DELETE_KEY]: ALL.filter((p) => p !== 'users.delete') };

let braze: BrazeEndpointsStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const users = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com`, anon: `anon-${i}` }));

describe('Delete Users', () => {
	const plan = { operation: 'deleteUsers', identifierType: 'external_id', externalId: '={{ $json.id }}' };

	it('deletes nothing without Confirm Delete (a dry run still shows the requests)', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const refused = await runBrazeToBraze(braze, plan, users(3), { apiKey: KEY });
		expect(refused.error?.message).toMatch(/Confirm Delete is off: no user was deleted/);
		expect(braze.requests).toHaveLength(0);

		const dry = await runBrazeToBraze(braze, { ...plan, options: { dryRun: true } }, users(3), { apiKey: KEY });
		expect(dry.error).toBeUndefined();
		expect(braze.requests).toHaveLength(0);
		expect((deliveries(dry.outputs[0])[0].request as IDataObject).body).toEqual({ external_ids: ['u0', 'u1', 'u2'] });
	});

	it('with Confirm Delete, 120 users go in 3 requests of one identifier type, at most 50 each', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const result = await runBrazeToBraze(braze, { ...plan, confirmDelete: true }, users(120), { apiKey: KEY });
		expect(result.error).toBeUndefined();
		expect(braze.accepted.map((call) => (call.body.external_ids as unknown[]).length).sort()).toEqual([20, 50, 50]);
		expect(deliveries(result.outputs[0]).every((d) => d.status === 'sent' && d.endpoint === '/users/delete')).toBe(true);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ deleted: 50 });
	});

	it('deletes by email with a clear per-item error for a malformed address, and names users.delete on 403', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const byEmail = { operation: 'deleteUsers', identifierType: 'email', email: '={{ $json.email }}', confirmDelete: true };
		const items = [{ email: 'a@example.com' }, { email: 'not-an-email' }];
		const result = await runBrazeToBraze(braze, byEmail, items, { apiKey: KEY, continueOnFail: true });
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed']);
		expect(result.outputs[0][1].json.error).toMatch(/"not-an-email" is not an email address/);
		expect(braze.accepted[0].body).toEqual({ email_addresses: ['a@example.com'] });

		const refused = await runBrazeToBraze(braze, byEmail, items.slice(0, 1), { apiKey: NO_DELETE_KEY });
		expect(refused.error?.message).toMatch(/needs the users\.delete permission/);
	});
});

describe('Identify, New Alias, Merge', () => {
	it('identifies alias-only users in requests of 50', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { operation: 'identifyUsers', externalId: '={{ $json.id }}', aliasName: '={{ $json.anon }}', aliasLabel: 'web' };
		const result = await runBrazeToBraze(braze, plan, users(75), { apiKey: KEY });
		expect(result.error).toBeUndefined();
		expect(braze.accepted.map((call) => (call.body.aliases_to_identify as unknown[]).length).sort()).toEqual([25, 50]);
		const first = braze.accepted.find((call) => (call.body.aliases_to_identify as IDataObject[])[0].external_id === 'u0')!;
		expect((first.body.aliases_to_identify as IDataObject[])[0]).toEqual({ external_id: 'u0', user_alias: { alias_name: 'anon-0', alias_label: 'web' } });
	});

	it('adds aliases (with and without an external ID) and merges users; a self-merge fails its item', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const alias = { operation: 'newUserAlias', aliasName: '={{ $json.anon }}', aliasLabel: 'web', externalId: '={{ $json.known ? $json.id : "" }}' };
		const aliased = await runBrazeToBraze(braze, alias, [{ ...users(1)[0], known: true }, { ...users(2)[1], known: false }], { apiKey: KEY });
		expect(aliased.error).toBeUndefined();
		expect(braze.accepted[0].body).toEqual({
			user_aliases: [
				{ external_id: 'u0', alias_name: 'anon-0', alias_label: 'web' },
				{ alias_name: 'anon-1', alias_label: 'web' },
			],
		});

		const merge = { operation: 'mergeUsers', identifierToMerge: '={{ $json.from }}', identifierToKeep: '={{ $json.to }}' };
		const merged = await runBrazeToBraze(braze, merge, [{ from: 'dup', to: 'main' }, { from: 'same', to: 'same' }], { apiKey: KEY, continueOnFail: true });
		expect(deliveries(merged.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed']);
		expect(merged.outputs[0][1].json.error).toMatch(/cannot be merged into itself|both "same"/);
		expect(braze.accepted[1].body).toEqual({
			merge_updates: [{ identifier_to_merge: { external_id: 'dup' }, identifier_to_keep: { external_id: 'main' } }],
		});
	});
});

describe('Set Subscription Status (v2)', () => {
	it('sends one group per request with up to 50 identifiers, grouped by group and state', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = {
			operation: 'setSubscriptionStatus',
			subscriptionGroupId: '={{ $json.group }}',
			subscriptionState: 'unsubscribed',
			identifierType: 'email',
			email: '={{ $json.email }}',
		};
		const items = users(60).map((user, i) => ({ ...user, group: i < 55 ? 'newsletter' : 'promos' }));
		const result = await runBrazeToBraze(braze, plan, items, { apiKey: KEY });
		expect(result.error).toBeUndefined();
		const groups = braze.accepted.map((call) => (call.body.subscription_groups as IDataObject[])[0]);
		expect(groups.map((group) => [group.subscription_group_id, (group.emails as unknown[]).length]).sort()).toEqual([
			['newsletter', 5],
			['newsletter', 50],
			['promos', 5],
		]);
		expect(groups.every((group) => group.subscription_state === 'unsubscribed')).toBe(true);
		expect(deliveries(result.outputs[0]).every((d) => d.status === 'sent')).toBe(true);
	});

	it('a phone that is not E.164 fails its item before sending', async () => {
		braze = await BrazeEndpointsStandIn.start({ keys: KEYS });
		const plan = { operation: 'setSubscriptionStatus', subscriptionGroupId: 'sms', subscriptionState: 'subscribed', identifierType: 'phone', phone: '={{ $json.phone }}' };
		const result = await runBrazeToBraze(braze, plan, [{ phone: '+14155550100' }, { phone: '4155550100' }], { apiKey: KEY, continueOnFail: true });
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed']);
		expect(result.outputs[0][1].json.error).toMatch(/not a phone number in E\.164 format/);
		expect((braze.accepted[0].body.subscription_groups as IDataObject[])[0]).toEqual({
			subscription_group_id: 'sms',
			subscription_state: 'subscribed',
			phones: ['+14155550100'],
		});
	});
});
