/**
 * The seam where an attempt goes on the wire. attempt.ts builds n8n's request options once; a
 * transport sends them and returns n8n's full-response shape, or throws an error that
 * classifyRequestError reads (a network code in the error or its `cause`, or an abort).
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

/** The response as n8n's helper returns it with returnFullResponse. */
export interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Which way a request went: through n8n's request helpers, or through the global fetch with keep-alive. */
export type TransportName = 'n8n' | 'fetch';

export interface WireTransport {
	readonly name: TransportName;
	send(options: IHttpRequestOptions): Promise<FullResponse>;
}
