/**
 * The parts the two shared cooldown store credentials (Upstash REST and Webdis) have in common: the
 * URL field and the credential test, which pings the store and explains each way it can refuse.
 */
import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	INodeProperties,
} from 'n8n-workflow';

/** Statuses the test explains instead of passing: everything but 2XX. */
const NOT_2XX = Array.from({ length: 500 }, (_, index) => index + 100).filter((code) => code < 200 || code > 299);

/** The store's URL, always named `url`: the credential test and the node's requests read it by that name. */
export function storeUrlField(field: { displayName: string; placeholder: string; description: string }): INodeProperties {
	return {
		displayName: field.displayName,
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: field.placeholder,
		description: field.description,
	};
}

export interface StorePingTest {
	/** The ping path, answered with a JSON body holding `bodyKey`. */
	path: string;
	bodyKey: string;
	unauthorized: string;
	forbidden: string;
	notFound: string;
	/** For a 2XX answer without `bodyKey`: some other server is at this URL. */
	notThisStore: string;
}

/** `GET <url><path>`, with a message for 401, 403, 404 and for a 2XX answer that is not the store's. */
export function storePingTest(ping: StorePingTest): ICredentialTestRequest {
	const refusal = (value: number, message: string): IAuthenticateRuleResponseCode => ({
		type: 'responseCode',
		properties: { value, message },
	});
	return {
		request: {
			baseURL: '={{ String($credentials.url).trim().replace(/\\/+$/, "") }}',
			url: ping.path,
			method: 'GET',
			json: true,
			ignoreHttpStatusErrors: { ignore: true, except: NOT_2XX },
		},
		// As in BrazeApi.credentials.ts: n8n's tester picks each rule by its type, so one mixed list works.
		rules: [
			refusal(401, ping.unauthorized),
			refusal(403, ping.forbidden),
			refusal(404, ping.notFound),
			{
				type: 'responseSuccessBody',
				properties: { key: ping.bodyKey, value: undefined, message: ping.notThisStore },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
