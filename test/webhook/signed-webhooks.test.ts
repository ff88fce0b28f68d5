/**
 * Signed webhooks (Standard Webhooks): the `standardwebhooks` library, as the receiver, verifies what
 * the node sends; the same id on every attempt of an item, a fresh signature per attempt.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../harness/loopback-server';
import { deliveries, everything, runWebhook } from './helpers';

const SECRET_BASE64 = Buffer.from('signing-key-for-tests-7d41c0e9b2').toString('base64');
const SECRET = `whsec_${SECRET_BASE64}`;
const OTHER_SECRET = `whsec_${Buffer.from('another-key-the-receiver-has-0000').toString('base64')}`;
const BEARER = 'bearer-for-signed-tests-5a9e';

const SIGNED: ICredentialDataDecryptedObject = {
	authType: 'bearer',
	token: BEARER,
	signRequests: true,
	signingSecret: SECRET,
};

function signedHeaders(request: RecordedRequest): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
		headers[name] = String(request.headers[name] ?? '');
	}
	return headers;
}

/** What a Standard Webhooks receiver does with the raw body it got. */
function verify(request: RecordedRequest, secret = SECRET): unknown {
	return new Webhook(secret).verify(Buffer.from(request.body, 'utf8'), signedHeaders(request), { jsonParse: false });
}

describe('signed webhooks (Standard Webhooks), verified by the standardwebhooks library', () => {
	let server: LoopbackServer;
	beforeEach(() => resetProcessState());
	afterEach(async () => server?.close());

	const credentials = (credential: ICredentialDataDecryptedObject = SIGNED) => ({
		credentials: { brazeWebhookAuthApi: credential },
	});

	it('a signed request verifies, alongside the credential’s own authentication; the ids differ per item', async () => {
		server = await startLoopbackServer({ status: 200, body: { ok: true } });
		const result = await runWebhook(
			{
				url: `${server.url}/hook`,
				authentication: 'brazeWebhookAuthApi',
				bodyType: 'keyValue',
				bodyPairs: { pair: [{ key: 'user', value: '{{${user_id}}}' }] },
				// A typed header of the same name does not replace or duplicate the signature.
				headers: { header: [{ name: 'Webhook-Signature', value: 'v1,typed' }] },
			},
			[{ user_id: 'u1' }, { user_id: 'u2' }],
			credentials(),
		);
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'sent']);
		expect(server.requests).toHaveLength(2);
		for (const request of server.requests) {
			expect(request.headers.authorization).toBe(`Bearer ${BEARER}`);
			expect(request.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
			expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
			expect(() => verify(request)).not.toThrow();
		}
		expect(new Set(server.requests.map((r) => r.headers['webhook-id'])).size).toBe(2);
		expect(everything(result)).not.toContain(SECRET_BASE64);
	});

	it('a retried item (503, then 200) keeps its webhook-id; each attempt is signed afresh and verifies', async () => {
		let calls = 0;
		// Retry-After: 1 puts the second attempt at least a second later, in a later timestamp second.
		server = await startLoopbackServer(() =>
			++calls === 1 ? { status: 503, headers: { 'retry-after': '1' }, body: 'busy' } : { status: 200, body: 'ok' },
		);
		const result = await runWebhook(
			{
				url: `${server.url}/retry`,
				authentication: 'brazeWebhookAuthApi',
				bodyType: 'raw',
				rawBody: '{"user":"{{${user_id}}}"}',
				headers: { header: [{ name: 'Content-Type', value: 'application/json' }] },
				options: { maxRetries: 2 },
			},
			[{ user_id: 'u1' }],
			credentials(),
		);
		expect(deliveries(result.outputs[0])[0]).toMatchObject({ status: 'sent', attempts: 2 });
		const [first, second] = server.requests;
		expect(server.requests).toHaveLength(2);
		expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
		expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThan(Number(first.headers['webhook-timestamp']));
		expect(second.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
		expect(() => verify(first)).not.toThrow();
		expect(() => verify(second)).not.toThrow();
	});

	it('a body with non-ASCII characters and surrounding whitespace verifies over the exact bytes received', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		const rawBody = '  {"name":"{{${name}}}","note":"naïve café ✓ 日本 🎉"}\n';
		await runWebhook(
			{
				url: `${server.url}/utf8`,
				authentication: 'brazeWebhookAuthApi',
				bodyType: 'raw',
				rawBody,
				headers: { header: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }] },
			},
			[{ name: 'Zoë Ågren' }],
			credentials(),
		);
		const [request] = server.requests;
		expect(request.body).toBe('  {"name":"Zoë Ågren","note":"naïve café ✓ 日本 🎉"}\n');
		expect(() => verify(request)).not.toThrow();
		const plain = await runWebhook(
			{ url: `${server.url}/text`, authentication: 'brazeWebhookAuthApi', bodyType: 'raw', rawBody: 'Grüße, {{${name}}}' },
			[{ name: 'Zoë' }],
			credentials(),
		);
		expect(deliveries(plain.outputs[0])[0].status).toBe('sent');
		expect(server.requests[1].body).toBe('Grüße, Zoë');
		expect(() => verify(server.requests[1])).not.toThrow();
	});

	it('a receiver with another secret, or a body changed on the way, fails verification', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		await runWebhook(
			{ url: `${server.url}/x`, authentication: 'brazeWebhookAuthApi', bodyType: 'raw', rawBody: 'hello {{${name}}}' },
			[{ name: 'Zoë' }],
			credentials(),
		);
		const [request] = server.requests;
		expect(() => verify(request)).not.toThrow();
		expect(() => verify(request, OTHER_SECRET)).toThrow(WebhookVerificationError);
		expect(() => verify({ ...request, body: 'hello Zoe' })).toThrow(WebhookVerificationError);
	});

	it('signature only (no authentication header), and another execution gets other ids', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		const parameters = { url: `${server.url}/only`, authentication: 'brazeWebhookAuthApi', bodyType: 'none' };
		const credential = { authType: 'none', signRequests: true, signingSecret: SECRET };
		await runWebhook(parameters, [{ user_id: 'u1' }], credentials(credential));
		await runWebhook(parameters, [{ user_id: 'u1' }], credentials(credential));
		const [first, second] = server.requests;
		expect(first.headers.authorization).toBeUndefined();
		expect(() => verify(first)).not.toThrow();
		expect(() => verify(second)).not.toThrow();
		expect(second.headers['webhook-id']).not.toBe(first.headers['webhook-id']);
	});

	it('without Sign Requests, no signature headers are sent', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		await runWebhook(
			{ url: `${server.url}/plain`, authentication: 'brazeWebhookAuthApi' },
			[{ user_id: 'u1' }],
			credentials({ authType: 'bearer', token: BEARER, signingSecret: SECRET }),
		);
		expect(server.requests[0].headers['webhook-signature']).toBeUndefined();
		expect(server.requests[0].headers['webhook-id']).toBeUndefined();
	});

	it('Dry Run says the request will be signed, with its webhook-id, and shows no secret', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		const result = await runWebhook(
			{ url: `${server.url}/dry`, authentication: 'brazeWebhookAuthApi', options: { dryRun: true } },
			[{ user_id: 'u1' }],
			credentials(),
		);
		expect(server.requests).toHaveLength(0);
		const request = deliveries(result.outputs[0])[0].request as IDataObject;
		expect(request.signature).toMatch(
			/^Standard Webhooks: webhook-id msg_[0-9a-f]{32}; webhook-timestamp and webhook-signature computed for each attempt when sending$/,
		);
		expect(everything(result)).not.toContain(SECRET_BASE64);
		expect(everything(result)).not.toContain(BEARER);
	});

	it('a secret not in whsec_ base64 form fails the node before sending, without repeating it', async () => {
		server = await startLoopbackServer({ status: 200, body: 'ok' });
		const badSecret = 'whsec_not base64 at all!!';
		const result = await runWebhook(
			{ url: `${server.url}/bad`, authentication: 'brazeWebhookAuthApi' },
			[{ user_id: 'u1' }],
			credentials({ authType: 'bearer', token: BEARER, signRequests: true, signingSecret: badSecret }),
		);
		expect(server.requests).toHaveLength(0);
		expect(result.error?.message).toMatch(/^The signing secret is not in the form whsec_<base64>/);
		expect(everything(result)).not.toContain('not base64 at all');
	});
});
