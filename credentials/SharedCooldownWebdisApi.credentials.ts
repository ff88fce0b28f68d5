import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { storePingTest, storeUrlField } from '../nodes/shared/delivery/shared-store/store-credential';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const SHARED_COOLDOWN_WEBDIS_SECRET_FIELDS = ['password'] as const;

export class SharedCooldownWebdisApi implements ICredentialType {
	name = 'sharedCooldownWebdisApi';

	displayName = 'Shared Cooldown Store (Webdis) API';

	icon = { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' } as const;

	documentationUrl = 'https://github.com/nicolasff/webdis';

	properties: INodeProperties[] = [
		storeUrlField({
			displayName: 'Webdis URL',
			placeholder: 'http://127.0.0.1:7379',
			description: 'Where Webdis listens (its http_host and http_port), in front of the Redis all workers share',
		}),
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
	test: ICredentialTestRequest = storePingTest({
		path: '/PING',
		bodyKey: 'PING',
		unauthorized: 'The server asks for a login that was not accepted (401). Check the username and password.',
		forbidden:
			"Webdis refused the request (403 Forbidden): the username or password is wrong, or no ACL entry of webdis.json allows this login to run PING and EVAL.",
		notFound: 'This URL is not a Webdis server (404 Not Found on /PING). Check the host and port.',
		notThisStore: 'The server at this URL answered, but not the way Webdis does (no JSON "PING"). Check the host and port.',
	});
}
