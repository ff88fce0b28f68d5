import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const SHARED_COOLDOWN_WEBDIS_SECRET_FIELDS = ['password'] as const;

/** Statuses the test explains instead of passing: everything but 2XX. */
const NOT_2XX = Array.from({ length: 500 }, (_, index) => index + 100).filter((code) => code < 200 || code > 299);

export class SharedCooldownWebdisApi implements ICredentialType {
	name = 'sharedCooldownWebdisApi';

	displayName = 'Shared Cooldown Store (Webdis) API';

	icon = { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' } as const;

	documentationUrl = 'https://github.com/nicolasff/webdis';

	properties: INodeProperties[] = [
		{
			displayName: 'Webdis URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:7379',
			description: 'Where Webdis listens (its http_host and http_port), in front of the Redis all workers share',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: "The user of the Webdis ACL entry's http_basic_auth that allows EVAL. Empty if Webdis needs no login.",
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' } },
	};

	/** `GET /PING`: Webdis answers `{"PING":[true,"PONG"]}`, 403 when its ACL refuses the login. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.url).trim().replace(/\\/+$/, "") }}',
			url: '/PING',
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
					message: 'The server asks for a login that was not accepted (401). Check the username and password.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Webdis refused the request (403 Forbidden): the username or password is wrong, or no ACL entry of webdis.json allows this login to run PING and EVAL.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'This URL is not a Webdis server (404 Not Found on /PING). Check the host and port.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'PING',
					value: undefined,
					message: 'The server at this URL answered, but not the way Webdis does (no JSON "PING"). Check the host and port.',
				},
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
