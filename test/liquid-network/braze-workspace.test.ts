/**
 * Content Blocks and catalog items from a stand-in Braze workspace, and connected_content in the
 * Braze to Braze node's Liquid fields, in n8n-core's real engine.
 */
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { resetResponseCache } from '../../nodes/shared/liquid-network/response-cache';
import { runBrazeToBraze } from '../braze-to-braze/helpers';
import { runWebhook } from '../webhook/helpers';
import { ANY_PORT, deliveryOf, dryRunBody, startApi } from './helpers';

const KEY = 'braze-key-for-blocks-1234';
let braze: Awaited<ReturnType<typeof startApi>>;
let forbid = false;

beforeAll(async () => {
	braze = await startApi({
		'/content_blocks/list': (r) =>
			forbid || r.headers.authorization !== `Bearer ${KEY}`
				? { status: forbid ? 403 : 401, body: { message: 'no' } }
				: { status: 200, body: { content_blocks: [{ name: 'footer', content_block_id: 'cb-1' }, { name: 'legal', content_block_id: 'cb-2' }] } },
		'/content_blocks/info': (r) =>
			r.url.endsWith('cb-1')
				? { status: 200, body: { content: 'Bye {{${first_name}}}{{content_blocks.${legal}}}' } }
				: { status: 200, body: { content: ' (c) ACME' } },
		'/catalogs/games/items/*': (r) =>
			r.url.endsWith('/missing') ? { status: 404, body: { errors: [] } } : { status: 200, body: { items: [{ id: r.url.split('/').pop(), title: 'Tetris' }] } },
		'/profile': () => ({ status: 200, body: { tier: 'gold' } }),
		'/users/track': () => ({ status: 201, body: { message: 'success', attributes_processed: 1 } }),
	});
});
afterAll(async () => braze.close());
beforeEach(() => {
	resetProcessState();
	resetResponseCache();
	braze.requests.length = 0;
	forbid = false;
});

const brazeCredential = () => ({ brazeApi: { apiKey: KEY, instance: 'custom', customUrl: braze.url } });

describe('Content Blocks and catalog_items', () => {
	test('webhook: a block fetched from the workspace once per execution (list, then info), nested one level', async () => {
		const result = await runWebhook(
			{
				url: 'https://hooks.example.com/x',
				bodyType: 'raw',
				rawBody: '{{content_blocks.${footer}}}',
				connectedContent: { workspaceContentBlocks: true },
				options: { dryRun: true },
			},
			[{ first_name: 'Ada' }, { first_name: 'Bo' }],
			{ credentials: brazeCredential() },
		);
		expect(result.outputs[0].map(dryRunBody)).toEqual(['Bye Ada (c) ACME', 'Bye Bo (c) ACME']);
		expect(braze.hits('/content_blocks/list')).toBe(1);
		expect(braze.hits('/content_blocks/info')).toBe(2);
	});

	test('a block defined in the node wins and needs no workspace', async () => {
		const result = await runWebhook(
			{
				url: 'https://hooks.example.com/x',
				bodyType: 'raw',
				rawBody: '[{{content_blocks.${footer}}}]',
				connectedContent: { contentBlocks: { block: [{ name: 'footer', content: 'mine {{${first_name}}}' }] } },
				options: { dryRun: true },
			},
			[{ first_name: 'Ada' }],
		);
		expect(dryRunBody(result.outputs[0][0])).toBe('[mine Ada]');
		expect(braze.requests).toHaveLength(0);
	});

	test('clear errors: unknown block, rejected key naming the permission', async () => {
		const unknown = await runWebhook(
			{ url: 'https://hooks.example.com/x', bodyType: 'raw', rawBody: '{{content_blocks.${nope}}}', options: { dryRun: true } },
			[{}],
			{ onError: 'continueRegularOutput' },
		);
		expect(String(unknown.outputs[0][0].json.error)).toContain('unknown Content Block "nope"');
		forbid = true;
		const rejected = await runWebhook(
			{ url: 'https://hooks.example.com/x', bodyType: 'raw', rawBody: '{{content_blocks.${footer}}}', connectedContent: { workspaceContentBlocks: true }, options: { dryRun: true } },
			[{}],
			{ credentials: brazeCredential() },
		);
		expect(rejected.error?.message).toContain('lacks the content_blocks.list permission');
	});

	test('a block from Braze without a Braze API credential names the credential it needs', async () => {
		const result = await runWebhook(
			{ url: 'https://hooks.example.com/x', bodyType: 'raw', rawBody: '{{content_blocks.${footer}}}', connectedContent: { workspaceContentBlocks: true }, options: { dryRun: true } },
			[{}],
		);
		expect(result.error?.message).toContain('need a Braze API credential on this node');
	});

	test('catalog_items exposes items; unknown ids give none', async () => {
		const result = await runWebhook(
			{ url: 'https://hooks.example.com/x', bodyType: 'raw', rawBody: '{% catalog_items games {{g}} missing %}{{items | size}} {{items[0].title}}', options: { dryRun: true } },
			[{ g: 'g1' }],
			{ credentials: brazeCredential() },
		);
		expect(dryRunBody(result.outputs[0][0])).toBe('1 Tetris');
	});

	test('Braze to Braze: connected_content and a block in the request body and in a Track User field', async () => {
		const body = `{% connected_content ${braze.url}/profile :save p %}{"attributes": [{"external_id": "{{\${user_id}}}", "tier": "{{p.tier}}", "note": "{{content_blocks.\${sig}}}"}]}`;
		const custom = await runBrazeToBraze(braze, { operation: 'customRequestBody', body, connectedContent: { ...ANY_PORT, contentBlocks: { block: [{ name: 'sig', content: 'hi' }] } } }, [
			{ user_id: 'u1' },
			{ user_id: 'u2' },
		]);
		expect(custom.error).toBeUndefined();
		const sent = braze.requests.find((r) => r.url === '/users/track');
		expect((sent?.json as { attributes: unknown[] }).attributes).toEqual([
			{ external_id: 'u1', tier: 'gold', note: 'hi' },
			{ external_id: 'u2', tier: 'gold', note: 'hi' },
		]);
		expect(braze.hits('/profile')).toBe(1);
		const track = await runBrazeToBraze(
			braze,
			{
				operation: 'trackUser',
				externalId: `{% connected_content ${braze.url}/profile :save p %}{{p.tier}}-{{\${user_id}}}`,
				attributes: { attribute: [{ name: 'tier', type: 'string', stringValue: `{% connected_content ${braze.url}/profile %}{{connected.tier}}!` }] },
				connectedContent: ANY_PORT,
				options: { dryRun: true },
			},
			[{ user_id: 'u1' }],
		);
		expect(track.error?.message).toBeUndefined();
		expect(JSON.stringify(deliveryOf(track.outputs[0][0]))).toContain('gold-u1');
		expect(JSON.stringify(deliveryOf(track.outputs[0][0]))).toContain('gold!');
		// The dry run shows what each call returned (here both fields were served by one cached fetch).
		expect(deliveryOf(track.outputs[0][0]).connectedContent).toEqual(
			expect.arrayContaining([expect.objectContaining({ method: 'GET', url: `${braze.url}/profile`, statusCode: 200, answer: { tier: 'gold' } })]),
		);
	});
});
