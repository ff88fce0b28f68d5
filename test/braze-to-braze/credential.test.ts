import { BrazeApi } from '../../credentials/BrazeApi.credentials';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { BrazeStandIn } from './braze-stand-in';
import { testCredential } from './credential-tester';

const KEY = 'braze-key-0123456789abcdef';
const credentialType = new BrazeApi();

describe('Braze API credential test, run the way n8n 2.41 runs it', () => {
	let braze: BrazeStandIn;
	let other: LoopbackServer | undefined;
	beforeEach(async () => {
		braze = await BrazeStandIn.start({ apiKey: KEY });
	});
	afterEach(async () => {
		await braze.close();
		await other?.close();
		other = undefined;
	});

	it('a working key on the right instance: "Connection successful!", without changing anything in Braze', async () => {
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: `${braze.url}/` });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(braze.requests).toHaveLength(1);
		const [request] = braze.requests;
		expect([request.method, request.url]).toEqual(['POST', '/users/track']);
		expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({ attributes: [] });
		expect(braze.accepted).toHaveLength(0);
	});

	it('a wrong key (or a key from another instance): 401 in plain words, key not echoed', async () => {
		const result = await testCredential(credentialType, { apiKey: 'wrong-key-xyz', instance: 'custom', customUrl: braze.url });
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			'Braze did not accept this API key (401 Unauthorized). Either the key is wrong, or it belongs to a workspace on another REST instance. Check the key, and: Pick the REST instance that matches your dashboard URL (for example dashboard-06.braze.com is US-06, dashboard-01.braze.eu is EU-01).',
		);
		expect(result.message).not.toContain('wrong-key-xyz');
		// n8n's httpRequestWithAuthentication re-authenticates and repeats a request answered 401 once.
		expect(braze.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer wrong-key-xyz',
			'Bearer wrong-key-xyz',
		]);
	});

	it('a listed instance (not custom) is used as the base URL as it is', async () => {
		const result = await testCredential(credentialType, { apiKey: KEY, instance: braze.url, customUrl: 'http://127.0.0.1:9/' });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(braze.requests).toHaveLength(1);
	});

	it('a key without the users.track permission (403) is told apart from a wrong key', async () => {
		braze.queue({ status: 403, body: { message: 'Access Denied' } });
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: braze.url });
		expect(result).toEqual({
			status: 'Error',
			message:
				'Braze knows this API key, but it may not use /users/track (403 Forbidden). Give the key the users.track permission (Settings > APIs and Identifiers).',
		});
	});

	it('a host that is no Braze REST endpoint (404): wrong instance or URL', async () => {
		other = await startLoopbackServer({ status: 404, body: '<html>Not Found</html>' });
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: other.url });
		expect(result).toEqual({
			status: 'Error',
			message:
				'This URL is not a Braze REST endpoint: it has no /users/track (404 Not Found). Pick the REST instance that matches your dashboard URL (for example dashboard-06.braze.com is US-06, dashboard-01.braze.eu is EU-01).',
		});
	});

	it('a host that answers, but not like Braze (HTML 200): not a Braze REST endpoint', async () => {
		other = await startLoopbackServer({ status: 200, body: '<html>welcome</html>' });
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: other.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The server at this URL answered, but not the way Braze's REST API does/);
	});

	it('a host name that does not resolve: n8n reports the network code ENOTFOUND', async () => {
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: 'http://rest.no-such-instance.invalid' });
		expect(result).toMatchObject({ status: 'Error', message: 'ENOTFOUND' });
	});

	it('a host nobody listens on: n8n reports the network code', async () => {
		other = await startLoopbackServer();
		const url = other.url;
		await other.close();
		const result = await testCredential(credentialType, { apiKey: KEY, instance: 'custom', customUrl: url });
		expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
