import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { FullResponse, WireTransport } from './types';

/** n8n's request helpers: proxy settings, SSL options, SSRF protection and credentials all apply. */
export function n8nHelperTransport(ctx: IExecuteFunctions, credentialType: string | undefined): WireTransport {
	return {
		name: 'n8n',
		send: async (options: IHttpRequestOptions) =>
			(credentialType
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)
				: await ctx.helpers.httpRequest(options)) as FullResponse,
	};
}
