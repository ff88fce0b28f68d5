/**
 * The two store credentials' tests, run as n8n's CLI runs them: a right URL and secret pass; a wrong
 * secret, a URL that is no store, or no server at all fail with a message that says what to fix and
 * never contains the secret.
 */
import { SharedCooldownUpstashApi } from '../../credentials/SharedCooldownUpstashApi.credentials';
import { SharedCooldownWebdisApi } from '../../credentials/SharedCooldownWebdisApi.credentials';
import { testCredential } from '../braze-to-braze/credential-tester';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { startRedisHttpStore, type RedisHttpStore } from '../support/redis-http-store';

let store: RedisHttpStore;
let notAStore: LoopbackServer;
let notFound: LoopbackServer;
let closedPort: string;

beforeAll(async () => {
	store = await startRedisHttpStore({ upstash: true, ttlMs: 120_000 });
	notAStore = await startLoopbackServer({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>hello</html>' });
	notFound = await startLoopbackServer({ status: 404, body: 'Not Found' });
	const gone = await startLoopbackServer();
	closedPort = gone.url;
	await gone.close();
}, 30_000);
afterAll(async () => {
	await notAStore?.close();
	await notFound?.close();
	await store?.close();
});

const upstash = new SharedCooldownUpstashApi();
const webdis = new SharedCooldownWebdisApi();

it('passes with the right URL and secret', async () => {
	expect(await testCredential(upstash, { url: store.upstash?.url ?? '', token: store.upstash?.token ?? '' })).toMatchObject({ status: 'OK' });
	expect(await testCredential(webdis, { ...store.credentials.webdis, url: `${store.webdis.url}/` })).toMatchObject({ status: 'OK' });
});

it('names a wrong token or password, without repeating it', async () => {
	const upstashResult = await testCredential(upstash, { url: store.upstash?.url ?? '', token: 'wrong-token-123' });
	expect(upstashResult).toMatchObject({ status: 'Error', message: expect.stringContaining('did not accept this token (401') });
	const webdisResult = await testCredential(webdis, { ...store.credentials.webdis, password: 'wrong-password-123' });
	expect(webdisResult).toMatchObject({ status: 'Error', message: expect.stringContaining('username or password is wrong') });
	expect(JSON.stringify([upstashResult.message, webdisResult.message])).not.toMatch(/wrong-(token|password)-123/);
});

it('names a URL that is not a store', async () => {
	for (const [type, data] of [
		[upstash, { url: notAStore.url, token: 't' }],
		[webdis, { url: notAStore.url, username: '', password: '' }],
	] as const) {
		const result = await testCredential(type, data);
		expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/answered, but not the way (an Upstash REST endpoint|Webdis) does/) });
	}
	expect(await testCredential(upstash, { url: notFound.url, token: 't' })).toMatchObject({
		message: expect.stringContaining('not an Upstash REST endpoint (404'),
	});
	expect(await testCredential(webdis, { url: notFound.url, username: '', password: '' })).toMatchObject({
		message: expect.stringContaining('not a Webdis server (404'),
	});
});

it('reports a URL where nothing listens with the network error, as n8n does', async () => {
	const result = await testCredential(webdis, { url: closedPort, username: 'n8n', password: 'pw-secret-9' });
	expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	expect(result.message).not.toContain('pw-secret-9');
});
