import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const BRAZE_CONNECTED_CONTENT_SECRET_FIELDS = ['secrets'] as const;

/**
 * Braze's Settings > Connected Content credentials, for `:basic_auth NAME` and
 * `:auth_credentials NAME`: each entry named as the Liquid names it, with the one domain it may go to.
 */
export class BrazeConnectedContentApi implements ICredentialType {
	name = 'brazeConnectedContentApi';

	displayName = 'Braze Connected Content API';

	icon = { light: 'file:braze.svg', dark: 'file:braze.dark.svg' } as const;

	documentationUrl =
		'https://www.braze.com/docs/user_guide/messaging/design_and_edit/personalize/connected_content/making_an_api_call/';

	properties: INodeProperties[] = [
		{
			displayName: 'Named Credentials (JSON)',
			name: 'secrets',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder:
				'[{"name": "my_api", "domain": "api.example.com", "headers": {"X-Api-Key": "..."}}, {"name": "my_basic", "domain": "example.org", "username": "u", "password": "p"}]',
			description:
				'A JSON list of named credentials. Each has a "name" (as in :basic_auth NAME or :auth_credentials NAME), a "domain" it may be sent to (api.example.com, or *.example.com), and either "headers" (an object of header names and values) or "username" and "password" (HTTP Basic).',
		},
	];
}
