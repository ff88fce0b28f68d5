import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type ScriptedResponse } from '../harness/loopback-server';

/**
 * Connected Content options for loopback stand-ins: any port (the stand-ins do not listen on 80/443),
 * and a timeout no answer can race on a loaded machine; the timeout test uses Braze's 2 s default.
 */
export const ANY_PORT = { allowedPorts: '*', timeoutSeconds: 30 };

/** A stand-in API answering by path, counting the hits of each path. */
export async function startApi(routes: Record<string, (request: RecordedRequest) => ScriptedResponse>): Promise<LoopbackServer & { hits: (path: string) => number }> {
	const server = await startLoopbackServer(
		(request) => {
			const path = request.url.split('?')[0];
			const route = routes[path] ?? Object.entries(routes).find(([prefix]) => prefix.endsWith('*') && path.startsWith(prefix.slice(0, -1)))?.[1];
			return route ? route(request) : { status: 404, body: { message: 'no route' } };
		},
		{ ttlMs: 300_000, maxRequests: 20_000 },
	);
	return Object.assign(server, { hits: (path: string) => server.requests.filter((r) => r.url.split('?')[0] === path).length });
}

export function deliveryOf(item: INodeExecutionData): IDataObject {
	return item.json.delivery as IDataObject;
}

/** The body a dry run shows for an item. */
export function dryRunBody(item: INodeExecutionData): unknown {
	return ((deliveryOf(item).request as IDataObject).body) as unknown;
}
