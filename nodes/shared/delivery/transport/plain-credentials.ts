/**
 * The credentials fetch can apply by itself: this package's own, which only add a header (bearer,
 * basic or a custom one). Anything else (another credential type, an authentication type not
 * known here, a credential limited to some domains) is left to n8n's helper.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApplyCredential } from './fetch-transport';

export interface PlainCredential {
	apply: ApplyCredential;
	headerNames: string[];
}

export async function plainCredential(
	ctx: IExecuteFunctions,
	credentialType: string,
): Promise<PlainCredential | undefined> {
	if (credentialType !== 'brazeApi' && credentialType !== 'brazeWebhookAuthApi') return undefined;
	const data = await ctx.getCredentials(credentialType);
	// n8n adds "Allowed HTTP Request Domains" to credentials; where it is set, n8n decides.
	const domainRule = data.allowedHttpRequestDomains;
	if (domainRule !== undefined && domainRule !== 'all') return undefined;
	const header = credentialHeader(credentialType, data);
	if (!header) return undefined;
	const [name, value] = header;
	return {
		apply: (headers) => ({ ...headers, [name]: value }),
		headerNames: [name.toLowerCase()],
	};
}

/** The header each credential's `authenticate` sets, computed from the same fields. */
function credentialHeader(credentialType: string, data: ICredentialDataDecryptedObject): [string, string] | undefined {
	if (credentialType === 'brazeApi') return ['Authorization', `Bearer ${String(data.apiKey ?? '')}`];
	switch (data.authType) {
		case 'bearer':
			return ['Authorization', `Bearer ${String(data.token ?? '')}`];
		case 'basic': {
			const pair = `${String(data.username ?? '')}:${String(data.password ?? '')}`;
			return ['Authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`];
		}
		case 'header':
			return data.headerName ? [String(data.headerName), String(data.headerSecret ?? '')] : undefined;
		default:
			return undefined;
	}
}
