/**
 * Allowed Hosts (webhook option `allowedHosts`): checked on the URL after Liquid rendering, as the
 * WHATWG URL parser (the one the request uses) reads the host. Hosts other than 127.0.0.1 are only
 * ever checked in dry runs: nothing here leaves the machine.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { startLoopbackServer, type LoopbackServer } from '../harness/loopback-server';
import { deliveries, runWebhook } from '../webhook/helpers';

let server: LoopbackServer;
beforeAll(async () => {
	resetProcessState();
	server = await startLoopbackServer({ status: 200, body: { ok: true } });
});
afterAll(async () => server.close());

/** Checks one rendered URL against a list, in a dry run; returns the error or 'allowed'. */
async function verdict(allowedHosts: string, url: string, template = '{{${endpoint}}}'): Promise<string> {
	const result = await runWebhook({ url: template, options: { allowedHosts, dryRun: true } }, [{ endpoint: url, sub: url }], {
		onError: 'continueRegularOutput',
	});
	expect(result.error).toBeUndefined();
	const [item] = result.outputs[0];
	const delivery = item.json.delivery as IDataObject;
	if (delivery.status === 'dryRun') return 'allowed';
	expect(delivery).toMatchObject({ status: 'failed', reason: 'invalid-input' });
	return String(item.json.error);
}

const denied = (host: string, list: string) =>
	`Webhook URL: host "${host}" is not in this node's Allowed Hosts (${list}) [item 0]`;

describe('Allowed Hosts', () => {
	const table: Array<[string, string, string, string]> = [
		// [what, list, url, verdict ('allowed' or the denied host)]
		['exact name', 'api.example.com', 'https://api.example.com/hook', 'allowed'],
		['another name', 'api.example.com', 'https://evil.test/hook', 'evil.test'],
		['list entries are case-insensitive', 'API.Example.COM', 'https://api.example.com/x', 'allowed'],
		['URL host case is normalised', 'api.example.com', 'HTTPS://API.EXAMPLE.COM/x', 'allowed'],
		['port in the URL does not matter', 'api.example.com', 'https://api.example.com:8443/x', 'allowed'],
		['a name does not allow its subdomains', 'example.com', 'https://api.example.com/x', 'api.example.com'],
		['wildcard: one level', '*.example.com', 'https://a.example.com/x', 'allowed'],
		['wildcard: deeper levels', '*.example.com', 'https://a.b.example.com/x', 'allowed'],
		['wildcard: not the apex', '*.example.com', 'https://example.com/x', 'example.com'],
		['wildcard: not a suffix of a label', '*.example.com', 'https://badexample.com/x', 'badexample.com'],
		['wildcard: not a prefix of another domain', '*.example.com', 'https://a.example.com.evil.test/x', 'a.example.com.evil.test'],
		['trailing dot is another name (fails closed)', 'api.example.com', 'https://api.example.com./x', 'api.example.com.'],
		['userinfo cannot smuggle an allowed host', 'api.example.com', 'https://api.example.com@evil.test/x', 'evil.test'],
		['a fragment cannot smuggle an allowed host', 'api.example.com', 'https://evil.test#@api.example.com', 'evil.test'],
		['a backslash cannot smuggle an allowed host', 'api.example.com', 'https://evil.test\\@api.example.com/', 'evil.test'],
		['IPv4 literal', '10.1.2.3', 'http://10.1.2.3:8080/x', 'allowed'],
		['IPv4 literal: a neighbour', '10.1.2.3', 'http://10.1.2.4/x', '10.1.2.4'],
		['IPv4 in decimal is the same address', '10.1.2.3', 'http://167838211/x', 'allowed'],
		['IPv4 in hex is the same address', '10.1.2.3', 'http://0xa.1.2.3/x', 'allowed'],
		['IPv4 shorthand is the same address', '127.0.0.1', 'http://127.1/x', 'allowed'],
		['a name is not its address', 'localhost', 'http://127.0.0.1/x', '127.0.0.1'],
		['IPv6 literal written bare', '::1', 'http://[::1]:8080/x', 'allowed'],
		['IPv6 literal written in brackets', '[::1]', 'http://[::1]:8080/x', 'allowed'],
		['IPv6 literal: another address', '::1', 'http://[::2]/x', '[::2]'],
		[
			'a port in the list never matches (list host names only)',
			'api.example.com:443',
			'https://api.example.com/x',
			'api.example.com',
		],
		['list separated by spaces, commas and newlines', ' a.test ,\n*.b.test  c.test ', 'https://x.b.test/', 'allowed'],
	];

	it.each(table)('%s: [%s] %s', async (_what, list, url, expected) => {
		const result = await verdict(list, url);
		const shown = list
			.split(/[\s,]+/)
			.map((host) => host.trim().toLowerCase())
			.filter(Boolean)
			.join(', ');
		expect(result).toBe(expected === 'allowed' ? 'allowed' : denied(expected, shown));
	});

	it('an empty list allows every host', async () => {
		expect(await verdict('', 'https://anything.test/x')).toBe('allowed');
		expect(await verdict('  ', 'https://anything.test/x')).toBe('allowed');
	});

	it('is checked after Liquid rendering: item data cannot steer the request elsewhere', async () => {
		const list = '*.example.com';
		const template = 'https://{{${sub}}}.example.com/hook';
		expect(await verdict(list, 'tenant-1', template)).toBe('allowed');
		expect(await verdict(list, 'evil.test/#', template)).toBe(denied('evil.test', list));
		expect(await verdict(list, 'evil.test?', template)).toBe(denied('evil.test', list));
		// Userinfo rendered in front of the host changes nothing: the request would go to x.example.com.
		expect(await verdict(list, 'evil.test:443@x', template)).toBe('allowed');
	});

	it('sends to allowed hosts and fails the others, item by item, in a real run', async () => {
		const before = server.requests.length;
		const list = '127.0.0.1, *.example.com';
		const result = await runWebhook(
			{ url: '{{${endpoint}}}/hook?u={{${user_id}}}', options: { allowedHosts: list } },
			[
				{ user_id: 'a', endpoint: server.url },
				{ user_id: 'b', endpoint: `http://localhost:${server.port}` },
				{ user_id: 'c', endpoint: `http://2130706433:${server.port}` },
				{ user_id: 'd', endpoint: `http://127.0.0.2:${server.port}` },
			],
			{ onError: 'continueRegularOutput' },
		);
		expect(deliveries(result.outputs[0]).map((d) => d.status)).toEqual(['sent', 'failed', 'sent', 'failed']);
		expect(result.outputs[0][1].json.error).toBe(denied('localhost', list).replace('[item 0]', '[item 1]'));
		expect(result.outputs[0][3].json.error).toBe(denied('127.0.0.2', list).replace('[item 0]', '[item 3]'));
		expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/hook?u=a', '/hook?u=c']);
	});

	it('a redirect from an allowed host to another host is not followed, even with Follow Redirects', async () => {
		const elsewhere = await startLoopbackServer({ status: 200, body: { reached: true } });
		try {
			const redirecting = await startLoopbackServer({
				status: 302,
				headers: { location: `http://localhost:${elsewhere.port}/stolen` },
			});
			try {
				const result = await runWebhook(
					{ url: `${redirecting.url}/start`, options: { allowedHosts: '127.0.0.1', followRedirects: true, maxRetries: 0 } },
					[{ user_id: 'a' }],
					{ onError: 'continueRegularOutput' },
				);
				expect(redirecting.requests).toHaveLength(1);
				expect(elsewhere.requests).toHaveLength(0);
				expect(deliveries(result.outputs[0])[0]).toMatchObject({
					status: 'failed',
					reason: 'redirect',
					statusCode: 302,
					attempts: 1,
				});
				expect(result.outputs[0][0].json.error).toBe(
					`127.0.0.1:${redirecting.port} answered HTTP 302 (a redirect), which is not followed and not retried [item 0]`,
				);
			} finally {
				await redirecting.close();
			}
		} finally {
			await elsewhere.close();
		}
	});
});
