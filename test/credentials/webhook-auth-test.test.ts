/** The webhook auth credential's test, run as n8n 2.41's CLI runs it (test/braze-to-braze/credential-tester.ts). */
import { BrazeWebhookAuthApi } from '../../credentials/BrazeWebhookAuthApi.credentials';
import { BrazeWebhook } from '../../nodes/BrazeWebhook/BrazeWebhook.node';
import { testCredential } from '../braze-to-braze/credential-tester';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';

const credentialType = new BrazeWebhookAuthApi();

describe('Braze-Style Webhook Auth credential test', () => {
	let server: LoopbackServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	it.each([undefined, '', '   '])('passes without calling anything when the optional Test URL is %j', async (testUrl) => {
		const result = await testCredential(credentialType, { authType: 'bearer', token: 't-1', ...(testUrl === undefined ? {} : { testUrl }) });
		expect(result).toMatchObject({ status: 'OK' });
	});

	it('calls the Test URL with the credential applied, and passes on 2XX', async () => {
		server = await startLoopbackServer({ status: 200, body: { ok: true } });
		const result = await testCredential(credentialType, { authType: 'bearer', token: 'tok-42', testUrl: `${server.url}/health` });
		expect(result).toMatchObject({ status: 'OK' });
		expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/health', 'Bearer tok-42']]);
	});

	it('fails when the Test URL refuses the credential', async () => {
		server = await startLoopbackServer({ status: 401, body: { error: 'no' } });
		const result = await testCredential(credentialType, { authType: 'basic', username: 'a', password: 'b', testUrl: server.url });
		expect(result.status).toBe('Error');
		expect(server.requests.length).toBeGreaterThan(0);
		expect(server.requests.every((r) => r.headers.authorization === 'Basic YTpi')).toBe(true);
	});

	it('the node draws the credential selector under Authentication: it names a later parameter, with every value', () => {
		const { credentials, properties } = new BrazeWebhook().description;
		const show = credentials?.[0].displayOptions?.show ?? {};
		const order = properties.map((property) => property.name);
		const last = Math.max(...Object.keys(show).map((name) => order.indexOf(name)));
		// n8n puts the selector just above the last parameter the credential's displayOptions name.
		expect(order[last - 1]).toBe('authentication');
		const bodyType = properties.find((property) => property.name === 'bodyType');
		expect(show.bodyType).toEqual(bodyType?.options?.map((option) => (option as { value: string }).value));
	});
});
