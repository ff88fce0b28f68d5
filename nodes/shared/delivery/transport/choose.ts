/**
 * Which transport an attempt takes. n8n's helper unless Reuse Connections is on; with it, fetch
 * whenever fetch can do what the helper would: the instance's egress filter is reachable (n8n
 * 2.x nodes API), the credential is one that only adds a header, and the request has no body on a
 * GET. Everything else still goes through the helper, and the output says which way it went.
 */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { fetchTransport } from './fetch-transport';
import { fetchCanSend } from './fetch-wire';
import { n8nHelperTransport } from './n8n-helper';
import { plainCredential } from './plain-credentials';
import type { WireTransport } from './types';

/** Per execution context and credential type: credentials are read once per run, not per attempt. */
const fetchTransports = new WeakMap<IExecuteFunctions, Map<string, Promise<WireTransport | undefined>>>();

export async function chooseTransport(
	ctx: IExecuteFunctions,
	credentialType: string | undefined,
	reuseConnections: boolean,
	options: IHttpRequestOptions,
): Promise<WireTransport> {
	const helper = n8nHelperTransport(ctx, credentialType);
	if (!reuseConnections || !fetchCanSend(options)) return helper;
	let byCredential = fetchTransports.get(ctx);
	if (!byCredential) fetchTransports.set(ctx, (byCredential = new Map()));
	const key = credentialType ?? '';
	let pending = byCredential.get(key);
	if (!pending) byCredential.set(key, (pending = buildFetchTransport(ctx, credentialType)));
	return (await pending) ?? helper;
}

async function buildFetchTransport(
	ctx: IExecuteFunctions,
	credentialType: string | undefined,
): Promise<WireTransport | undefined> {
	if (typeof fetch !== 'function' || typeof ctx.helpers.getSecureEgressFilter !== 'function') return undefined;
	const egress = ctx.helpers.getSecureEgressFilter();
	if (credentialType === undefined) return fetchTransport({ egress });
	const credential = await plainCredential(ctx, credentialType);
	if (!credential) return undefined;
	return fetchTransport({ egress, applyCredential: credential.apply, credentialHeaderNames: credential.headerNames });
}
