import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { BRAZE_REST_INSTANCES } from '../nodes/shared/braze/instances';

/**
 * Every status the credential test treats as an answer to explain rather than a success: all codes
 * from 100 to 599 except 2XX and 400. A working key on the right instance gets `400` from Braze for
 * the empty body the test sends (Braze checks the key first, then the body), so 400 and 2XX reach
 * the success path, where the body is checked for Braze's `message` field.
 */
const STATUSES_TO_EXPLAIN = Array.from({ length: 500 }, (_, index) => index + 100).filter(
	(code) => code !== 400 && (code < 200 || code > 299),
);

/** The fields holding secrets, so nodes using this credential can keep their values out of outputs. */
export const BRAZE_API_SECRET_FIELDS = ['apiKey'] as const;

const INSTANCE_HINT =
	'Pick the REST instance that matches your dashboard URL (for example dashboard-06.braze.com is US-06, dashboard-01.braze.eu is EU-01).';

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

	/**
	 * `POST /users/track` with `{"attributes": []}`: it changes nothing in Braze (an empty `{}` would be
	 * dropped by n8n's request helper, and Braze answers 415 to a request without a JSON body). Braze answers 401 to a key
	 * it does not know (before looking at the body) and 400 "Valid data must be provided..." to a key
	 * it accepts, so a 400 carrying Braze's JSON `message` means the key and the instance belong
	 * together. A key that is valid on another instance also gets 401 there: the 401 answer says so.
	 * Hosts that cannot be reached at all are reported by n8n itself with the network error code
	 * (for example ENOTFOUND or ECONNREFUSED): rules only apply to answered requests.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.instance === "custom" ? String($credentials.customUrl).trim().replace(/\\/+$/, "") : $credentials.instance }}',
			url: '/users/track',
			method: 'POST',
			body: { attributes: [] },
			json: true,
			ignoreHttpStatusErrors: { ignore: true, except: STATUSES_TO_EXPLAIN },
		},
		// n8n-workflow types `rules` as all-responseCode or all-responseSuccessBody, but the CLI's tester
		// walks one list and picks each rule by its `type` (responseCode on errors, responseSuccessBody
		// on successes), so one mixed list works at runtime.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: `Braze did not accept this API key (401 Unauthorized). Either the key is wrong, or it belongs to a workspace on another REST instance. Check the key, and: ${INSTANCE_HINT}`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Braze knows this API key, but it may not use /users/track (403 Forbidden). Give the key the users.track permission (Settings > APIs and Identifiers).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: `This URL is not a Braze REST endpoint: it has no /users/track (404 Not Found). ${INSTANCE_HINT}`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 405,
					message: `This URL is not a Braze REST endpoint: it refuses POST /users/track (405). ${INSTANCE_HINT}`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Braze is rate-limiting this API key right now (429), so the key and instance could not be checked. Try again in a minute.',
				},
			},
			...[500, 502, 503, 504].map((code) => ({
				type: 'responseCode' as const,
				properties: {
					value: code,
					message: `The Braze instance answered with a server error (${code}), so the key could not be checked. Try again later, or check the instance's status page.`,
				},
			})),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'message',
					value: undefined,
					message: `The server at this URL answered, but not the way Braze's REST API does (no JSON "message"): it is probably not a Braze REST endpoint. ${INSTANCE_HINT}`,
				},
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
