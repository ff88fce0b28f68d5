/**
 * The node side of the shared cooldown store: the node parameter that turns it on, and the store's
 * requests sent through n8n's request helper with the chosen credential (no Redis client: a
 * verified community package may not open sockets or ship dependencies).
 */
import type { IExecuteFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import type { CooldownSettings } from '../host-cooldown';
import { RedisHttpClient, type RedisHttpFormat, type RedisHttpRequest } from './redis-http';
import { SharedCooldown } from './shared-cooldown';

export const SHARED_COOLDOWN_PARAMETER = 'sharedCooldownStore';

export const SHARED_COOLDOWN_CREDENTIALS: Record<RedisHttpFormat, string> = {
	upstash: 'sharedCooldownUpstashApi',
	webdis: 'sharedCooldownWebdisApi',
};

/** A slow store delays items; past this it counts as unavailable and the in-process cooldown takes over. */
export const STORE_TIMEOUT_MS = 3_000;

export const sharedCooldownStoreProperty: INodeProperties = {
	displayName: 'Shared Cooldown Store',
	name: SHARED_COOLDOWN_PARAMETER,
	type: 'options',
	options: [
		{
			name: 'None',
			value: 'none',
			description: 'Each n8n process (each queue-mode worker) keeps its own host cooldown and pacing',
		},
		{
			name: 'Redis via Upstash REST',
			value: 'upstash',
			description: 'Upstash, or a self-hosted Upstash-compatible REST proxy in front of Redis',
		},
		{
			name: 'Redis via Webdis',
			value: 'webdis',
			description: 'Webdis (an HTTP front for Redis, packaged by Debian) in front of your Redis',
		},
	],
	default: 'none',
	description:
		'Where the host cooldown and the rate-limit pacing live. In queue mode, a Redis store shared by all workers makes a failing host pause for every worker at once. If the store cannot be reached, each worker falls back to its own cooldown and pacing and items say so in delivery.cooldownStore; sending never waits for the store.',
};

export function sharedStoreFormat(ctx: IExecuteFunctions): RedisHttpFormat | undefined {
	const value = ctx.getNodeParameter(SHARED_COOLDOWN_PARAMETER, 0, 'none') as string;
	return value === 'upstash' || value === 'webdis' ? value : undefined;
}

/** The shared cooldown for this run, or undefined when the node keeps its cooldown per process. */
export async function sharedCooldownFor(
	ctx: IExecuteFunctions,
	settings: CooldownSettings,
	now: () => number,
): Promise<{ cooldown?: SharedCooldown; unavailable?: string } | undefined> {
	const format = sharedStoreFormat(ctx);
	if (!format) return undefined;
	const workflowId = ctx.getWorkflow().id;
	if (!workflowId) return { unavailable: 'the workflow has no id yet (save it to share its cooldown)' };
	const credentialType = SHARED_COOLDOWN_CREDENTIALS[format];
	let url: string;
	try {
		const credentials = await ctx.getCredentials<{ url?: string }>(credentialType);
		url = String(credentials.url ?? '').trim().replace(/\/+$/, '');
	} catch {
		return { unavailable: 'no store credential could be read' };
	}
	if (!/^https?:\/\/[^/]/i.test(url)) return { unavailable: 'the store credential has no http(s) URL' };
	const send = async (request: RedisHttpRequest) => {
		const options: IHttpRequestOptions = {
			url: `${url}/`,
			method: request.method,
			// Webdis (0.1.x) stalls on a request whose body arrives after its headers when the client
			// asks to close the connection, as Node does by default without a keep-alive agent.
			headers: { 'Content-Type': request.contentType, Connection: 'keep-alive' },
			body: request.body as IHttpRequestOptions['body'],
			json: request.contentType === 'application/json',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: STORE_TIMEOUT_MS,
		};
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)) as {
			statusCode: number;
			body: unknown;
		};
		return { statusCode: response.statusCode, body: response.body };
	};
	return { cooldown: new SharedCooldown(new RedisHttpClient(format, send), workflowId, settings, now) };
}
