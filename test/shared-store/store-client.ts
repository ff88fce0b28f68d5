/** The shared cooldown over a test store, sending with fetch as n8n's request helper would. */
import { RedisHttpClient, type RedisHttpFormat, type RedisHttpSend } from '../../nodes/shared/delivery/shared-store/redis-http';
import type { RedisHttpStore } from '../support/redis-http-store';

export function fetchSend(store: RedisHttpStore, format: RedisHttpFormat, secret?: string): RedisHttpSend {
	const url = format === 'webdis' ? store.webdis.url : (store.upstash?.url ?? '');
	const authorization =
		format === 'webdis'
			? `Basic ${Buffer.from(`${store.webdis.username}:${secret ?? store.webdis.password}`).toString('base64')}`
			: `Bearer ${secret ?? store.upstash?.token}`;
	return async (request) => {
		const response = await fetch(`${url}/`, {
			method: request.method,
			headers: { authorization, 'content-type': request.contentType },
			body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
		});
		return { statusCode: response.status, body: await response.text() };
	};
}

export function clientFor(store: RedisHttpStore, format: RedisHttpFormat, secret?: string): RedisHttpClient {
	return new RedisHttpClient(format, fetchSend(store, format, secret));
}
