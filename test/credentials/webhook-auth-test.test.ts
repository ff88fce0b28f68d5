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

	it('the node draws the credential selector under Authentication, and keeps every parameter visible', () => {
		const { credentials, properties } = new BrazeWebhook().description;
		const order = properties.map((property) => property.name);
		// n8n's editor draws the selector where the node has a parameter of type "credentials".
		const slot = properties.findIndex((property) => property.type === 'credentials');
		expect(order[slot - 1]).toBe('authentication');
		// A credential that names other parameters in its displayOptions makes n8n's editor treat one
		// of them as the authentication field and move it out of the panel; only Authentication is named.
		expect(Object.keys(credentials?.[0].displayOptions?.show ?? {})).toEqual(['authentication']);
	});
});
