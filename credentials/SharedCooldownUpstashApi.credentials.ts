import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { storePingTest, storeUrlField } from '../nodes/shared/delivery/shared-store/store-credential';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const SHARED_COOLDOWN_UPSTASH_SECRET_FIELDS = ['token'] as const;

export class SharedCooldownUpstashApi implements ICredentialType {
	name = 'sharedCooldownUpstashApi';

	displayName = 'Shared Cooldown Store (Upstash REST) API';

	icon = { light: 'file:brazeWebhook.svg', dark: 'file:brazeWebhook.dark.svg' } as const;

	documentationUrl = 'https://upstash.com/docs/redis/features/restapi';

	properties: INodeProperties[] = [
		storeUrlField({
			displayName: 'REST URL',
			placeholder: 'https://eu1-example-12345.upstash.io',
			description:
				'The REST URL of the Redis database (UPSTASH_REDIS_REST_URL), or of a self-hosted Upstash-compatible proxy in front of your Redis',
		}),
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
	test: ICredentialTestRequest = storePingTest({
		path: '/ping',
		bodyKey: 'result',
		unauthorized: 'The store did not accept this token (401 Unauthorized). Copy the REST token of this database again.',
		forbidden: 'The store refused this token (403 Forbidden). A read-only token cannot keep a cooldown: use the full REST token.',
		notFound: 'This URL is not an Upstash REST endpoint (404 Not Found on /ping). Use the REST URL, not the redis:// one.',
		notThisStore:
			'The server at this URL answered, but not the way an Upstash REST endpoint does (no JSON "result"). Check the URL.',
	});
}
