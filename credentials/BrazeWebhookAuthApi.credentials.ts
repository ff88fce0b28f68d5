import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const BRAZE_WEBHOOK_AUTH_SECRET_FIELDS = ['token', 'password', 'headerSecret', 'signingSecret'] as const;

/** What the credential test reads when no Test URL is given. */
export const NOTHING_TO_TEST = 'data:text/plain,no-test-url';

export class BrazeWebhookAuthApi implements ICredentialType {
	name = 'brazeWebhookAuthApi';

	displayName = 'Braze-Style Webhook Auth API';

	icon = { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' } as const;

	documentationUrl = 'https://www.braze.com/docs/user_guide/channels/webhooks/create_a_webhook/';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication Type',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'Bearer Token', value: 'bearer' },
				{ name: 'Custom Header', value: 'header' },
				{ name: 'None (Signature Only)', value: 'none' },
			],
			default: 'bearer',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['bearer'] } },
			description: 'Sent as "Authorization: Bearer <token>"',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			placeholder: 'X-API-Key',
			displayOptions: { show: { authType: ['header'] } },
		},
		{
			displayName: 'Header Value',
			name: 'headerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['header'] } },
		},
		{
			displayName: 'Sign Requests (Standard Webhooks)',
			name: 'signRequests',
			type: 'boolean',
			default: false,
			description:
				'Whether to add webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks, as Svix sends them) to every request of the Braze-Style Webhook node, so the receiver can verify it came from you',
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			displayOptions: { show: { signRequests: [true] } },
			description:
				'The secret shared with the receiver, as whsec_ followed by base64. The same id is sent on every retry of an item; each attempt gets a fresh timestamp and signature.',
		},
		{
			displayName: 'Test URL',
			name: 'testUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.example.com/health',
			description:
				'Optional. A URL that answers 2XX to an authenticated GET, used only by the credential test. Left empty, the test calls nothing and passes, because there is nothing to check.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...(requestOptions.headers ?? {}) };
		if (credentials.authType === 'bearer') {
			headers.Authorization = `Bearer ${String(credentials.token ?? '')}`;
		} else if (credentials.authType === 'basic') {
			const pair = `${String(credentials.username ?? '')}:${String(credentials.password ?? '')}`;
			headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
		} else if (credentials.authType === 'header' && credentials.headerName) {
			headers[String(credentials.headerName)] = String(credentials.headerSecret ?? '');
		}
		return { ...requestOptions, headers };
	}

	// With no Test URL there is nothing to call: the test reads an inline data: URL (answered by
	// n8n's HTTP client itself, no network) so that n8n does not report a failed connection.
	test: ICredentialTestRequest = {
		request: {
			url: `={{ String($credentials.testUrl ?? '').trim() || '${NOTHING_TO_TEST}' }}`,
			method: 'GET',
		},
	};
}
