import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { BRAZE_REST_INSTANCES } from '../nodes/shared/braze/instances';

export class BrazeApi implements ICredentialType {
	name = 'brazeApi';

	displayName = 'Braze API';

	icon = { light: 'file:braze.svg', dark: 'file:braze.dark.svg' } as const;

	documentationUrl = 'https://www.braze.com/docs/api/basics/';

	properties: INodeProperties[] = [
		{
			displayName: 'REST API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A REST API key from Braze (Settings > APIs and Identifiers). For Track User it needs the users.track permission.',
		},
		{
			displayName: 'REST Instance',
			name: 'instance',
			type: 'options',
			options: [
				...BRAZE_REST_INSTANCES.map((instance) => ({
					name: `${instance.id} (${instance.dashboard})`,
					value: instance.restEndpoint,
					description: instance.restEndpoint,
				})),
				{ name: 'Custom Endpoint URL', value: 'custom' },
			],
			default: 'https://rest.iad-01.braze.com',
			description:
				'The REST endpoint of your Braze instance; your dashboard URL tells which one it is',
		},
		{
			displayName: 'Custom Endpoint URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			placeholder: 'https://rest.iad-01.braze.com',
			displayOptions: { show: { instance: ['custom'] } },
			description: 'Base URL of the Braze REST API, without a trailing path',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.instance === "custom" ? String($credentials.customUrl).replace(/\\/+$/, "") : $credentials.instance }}',
			url: '/users/track',
			method: 'POST',
			body: {},
		},
	};
}
