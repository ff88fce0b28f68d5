/**
 * Secrets never leave through the node: credential values (bearer token, basic auth, custom header,
 * Braze REST API key) are searched in every output item, error message, error description, error
 * context and dry run, while the remote host echoes them back in bodies of every status.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { BrazeStandIn } from '../braze-to-braze/braze-stand-in';
import { runBrazeToBraze } from '../braze-to-braze/helpers';
import type { ExecutionResult } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../harness/loopback-server';
import { deliveries, everything, runWebhook } from '../webhook/helpers';

const BEARER = 'bearer-secret-7f3a9c41d2';
const BASIC_USER = 'svc-user';
const BASIC_PASSWORD = 'basic-pass-91b2c7e5';
const HEADER_SECRET = 'hdr-secret-55d1e0a8b3';
const BRAZE_KEY = 'braze-rest-key-0c9d8e7f-6a5b-4c3d-2e1f-000000000042';
const SIGNING_KEY_BASE64 = Buffer.from('signing-key-never-in-outputs-3c8e').toString('base64');

const CREDENTIALS: Array<[string, ICredentialDataDecryptedObject, string[]]> = [
	['bearer', { authType: 'bearer', token: BEARER }, [BEARER]],
	[
		'basic',
		{ authType: 'basic', username: BASIC_USER, password: BASIC_PASSWORD },
		[BASIC_PASSWORD, Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')],
	],
	['custom header', { authType: 'header', headerName: 'X-Api-Key', headerSecret: HEADER_SECRET }, [HEADER_SECRET]],
	[
		'bearer with a signing secret',
		{ authType: 'bearer', token: BEARER, signRequests: true, signingSecret: `whsec_${SIGNING_KEY_BASE64}` },
		[BEARER, SIGNING_KEY_BASE64],
	],
];

/** Every string the execution produced, plus the error's own fields (context, description, cause). */
function allText(result: ExecutionResult): string {
	const error = result.error as (Error & IDataObject) | undefined;
	return [
		everything(result),
		error ? JSON.stringify({ ...error, message: error.message, description: error.description, stack: error.stack }) : '',
		error?.cause ? everything(error.cause) : '',
	].join('\n');
}

function echo(request: RecordedRequest) {
	// A receiver of signed requests that shows the signing secret it holds (as a careless error page would).
	const signingKey = request.headers['webhook-signature'] ? SIGNING_KEY_BASE64 : undefined;
	const secrets = { authorization: request.headers.authorization, apiKey: request.headers['x-api-key'], signingKey };
	const text = `you sent ${secrets.authorization ?? ''} ${secrets.apiKey ?? ''} ${signingKey ?? ''}`;
	const path = request.url.split('?')[0];
	if (path === '/ok') return { status: 200, body: { echo: secrets, nested: [{ again: text }] } };
	if (path === '/text') return { status: 201, body: text };
	if (path === '/bad') return { status: 400, body: { error: text } };
	if (path === '/unauthorized') return { status: 401, headers: { 'www-authenticate': text }, body: text };
	if (path === '/redirect')
		return { status: 302, headers: { location: `/ok?from=${encodeURIComponent(text)}` }, body: { echo: secrets } };
	return { status: 503, body: { echo: secrets } };
}

describe('webhook credentials never appear in outputs, errors or dry runs', () => {
	let server: LoopbackServer;
	beforeAll(async () => {
		resetProcessState();
		server = await startLoopbackServer(echo);
	});
	afterAll(async () => server.close());

	const paths = ['ok', 'text', 'bad', 'unauthorized', 'redirect', 'down'];
	const parameters = {
		url: `{{\${base}}}/{{\${path}}}?u={{\${user_id}}}`,
		authentication: 'brazeWebhookAuthApi',
		bodyType: 'keyValue',
		bodyPairs: { pair: [{ key: 'user', value: '{{${user_id}}}' }] },
		options: { maxRetries: 1, hostCooldown: false },
	};

	describe.each(CREDENTIALS)('%s', (_name, credential, secrets) => {
		const run = (onError?: 'continueRegularOutput' | 'continueErrorOutput', extra: IDataObject = {}) =>
			runWebhook(
				{ ...parameters, options: { ...parameters.options, ...extra } },
				paths.map((path, i) => ({ user_id: `u${i}`, path, base: server.url })),
				{ credentials: { brazeWebhookAuthApi: credential }, onError },
			);
		const expectClean = (result: ExecutionResult) => {
			const text = allText(result);
			for (const secret of secrets) expect(text).not.toContain(secret);
		};

		it('continue: every status, the echoed secret is scrubbed', async () => {
			const before = server.requests.length;
			const result = await run('continueRegularOutput');
			// The host did get (and echo) the secret.
			const seen = JSON.stringify(server.requests.slice(before).map((r) => r.headers));
			expect(secrets.some((secret) => seen.includes(secret))).toBe(true);
			expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual([
				'sent',
				'sent',
				'failed',
				'failed',
				'failed',
				'failed',
			]);
			expect(JSON.stringify(result.outputs[0][0].json.delivery)).toContain('[redacted]');
			expectClean(result);
		});

		it('error output', async () => {
			const result = await run('continueErrorOutput');
			expect(result.outputs[1]).toHaveLength(4);
			expectClean(result);
		});

		it('stop workflow: the thrown error', async () => {
			const result = await run(undefined, { concurrency: 1 });
			expect(result.error?.message).toMatch(/ \[item 2\]$/);
			expectClean(result);
		});

		it('dry run', async () => {
			const before = server.requests.length;
			const result = await run('continueRegularOutput', { dryRun: true });
			expect(server.requests.length).toBe(before);
			expect(deliveries(result.outputs[0]).every((d) => d.status === 'dryRun')).toBe(true);
			expectClean(result);
		});
	});

	it('auth headers pasted into the parameters are redacted in a dry run', async () => {
		const result = await runWebhook(
			{
				url: `${server.url}/ok`,
				headers: {
					header: [
						{ name: 'Authorization', value: `Bearer ${BEARER}` },
						{ name: 'X-Api-Key', value: HEADER_SECRET },
						{ name: 'X-Signature', value: '{{ ${user_id} | hmac_sha256_hex: "k" }}' },
					],
				},
				options: { dryRun: true },
			},
			[{ user_id: 'u1' }],
		);
		expect((deliveries(result.outputs[0])[0].request as IDataObject).headers).toEqual({
			Authorization: '[redacted]',
			'X-Api-Key': '[redacted]',
			'X-Signature': '[redacted]',
		});
		expect(allText(result)).not.toContain(BEARER);
		expect(allText(result)).not.toContain(HEADER_SECRET);
	});
});

describe('the Braze REST API key never appears in outputs, errors or dry runs', () => {
	let braze: BrazeStandIn;
	beforeAll(async () => {
		resetProcessState();
		braze = await BrazeStandIn.start({ apiKey: BRAZE_KEY });
	});
	afterAll(async () => braze.close());

	const track = {
		operation: 'trackUser',
		externalId: '={{ $json.id }}',
		attributes: { attribute: [{ name: 'plan', type: 'string', stringValue: 'gold' }] },
	};
	const items = [{ id: 'a' }, { id: 'b' }];
	const run = (extra: Parameters<typeof runBrazeToBraze>[3] = {}, options: IDataObject = {}) =>
		runBrazeToBraze(braze, { ...track, options: { maxRetries: 1, hostCooldown: false, ...options } }, items, {
			apiKey: BRAZE_KEY,
			...extra,
		});
	const expectClean = (result: ExecutionResult) => expect(allText(result)).not.toContain(BRAZE_KEY);

	it('echoed in a 201 with per-object errors, a 400, a 500 and a 401, with every error mode', async () => {
		braze.queue({
			status: 201,
			body: { message: 'success', errors: [{ type: `bad key ${BRAZE_KEY}`, input_array: 'attributes', index: 1 }] },
		});
		const objectError = await run({ onError: 'continueRegularOutput' });
		expect(deliveries(objectError.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed']);
		expectClean(objectError);

		braze.queue({ status: 400, body: { message: `rejected ${BRAZE_KEY}` } });
		const badRequest = await run({ onError: 'continueErrorOutput' });
		expect(badRequest.outputs[1]).toHaveLength(2);
		expectClean(badRequest);

		braze.queue({ status: 500, body: { message: `oops ${BRAZE_KEY}` } }, { status: 500, body: `Bearer ${BRAZE_KEY}` });
		const exhausted = await run();
		expect(exhausted.error?.message).toBe(
			`Gave up on 127.0.0.1:${braze.server.port} after 2 attempts; the last one answered HTTP 500`,
		);
		expectClean(exhausted);

		// The stand-in answers a wrong key with "Invalid API key: <the key it got>".
		const wrongKey = 'wrong-key-that-is-also-secret-123456';
		const unauthorized = await runBrazeToBraze(braze, track, items, { apiKey: wrongKey });
		expect(braze.requests.at(-1)?.headers.authorization).toBe(`Bearer ${wrongKey}`);
		expect(unauthorized.error?.message).toMatch(/^Braze did not accept the API key \(401 Unauthorized\)/);
		expect(allText(unauthorized)).not.toContain(wrongKey);
	});

	it('dry run shows a placeholder, not the key', async () => {
		const before = braze.requests.length;
		const result = await run({}, { dryRun: true });
		expect(braze.requests.length).toBe(before);
		expect(((deliveries(result.outputs[0])[0].request as IDataObject).headers as IDataObject).Authorization).toBe(
			'Bearer <the API key from the Braze API credential>',
		);
		expectClean(result);
	});
});
