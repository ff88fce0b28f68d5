import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const SHARED_COOLDOWN_UPSTASH_SECRET_FIELDS = ['token'] as const;

/** Statuses the test explains instead of passing: everything but 2XX. */
const NOT_2XX = Array.from({ length: 500 }, (_, index) => index + 100).filter((code) => code < 200 || code > 299);

export class SharedCooldownUpstashApi implements ICredentialType {
	name = 'sharedCooldownUpstashApi';

	displayName = 'Shared Cooldown Store (Upstash REST) API';

	icon = { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' } as const;

	documentationUrl = 'https://upstash.com/docs/redis/features/restapi';

	properties: INodeProperties[] = [
		{
			displayName: 'REST URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://eu1-example-12345.upstash.io',
			description:
				'The REST URL of the Redis database (UPSTASH_REDIS_REST_URL), or of a self-hosted Upstash-compatible proxy in front of your Redis',
		},
		{
			displayName: 'REST Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as "Authorization: Bearer <token>" (UPSTASH_REDIS_REST_TOKEN)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	};

	/** `GET /ping`: Upstash answers `{"result":"PONG"}`, 401 to a wrong token. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.url).trim().replace(/\\/+$/, "") }}',
			url: '/ping',
			method: 'GET',
			json: true,
			ignoreHttpStatusErrors: { ignore: true, except: NOT_2XX },
		},
		// As in BrazeApi.credentials.ts: n8n's tester picks each rule by its type, so one mixed list works.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The store did not accept this token (401 Unauthorized). Copy the REST token of this database again.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The store refused this token (403 Forbidden). A read-only token cannot keep a cooldown: use the full REST token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'This URL is not an Upstash REST endpoint (404 Not Found on /ping). Use the REST URL, not the redis:// one.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'result',
					value: undefined,
					message:
						'The server at this URL answered, but not the way an Upstash REST endpoint does (no JSON "result"). Check the URL.',
				},
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
