/**
 * What Liquid's network tags ask of the node that renders them. The engine stays free of n8n: the
 * node passes an implementation to `renderAsync` (see nodes/shared/n8n/connected-content/).
 */
import type { Context } from '../engine';
import type { ConnectedContentRequest } from './connected-content-call';

export type ConnectedContentAnswer =
	/** The host answered (any status, 404 and other client errors included). */
	| { kind: 'response'; statusCode: number; body: string; contentType: string }
	/** No usable answer: a server error, a timeout, a body over the cap, a redirect, a paused host. */
	| { kind: 'failed'; retriable: boolean; host: string; lastAnswer: string };

export interface LiquidNetwork {
	/** `retrying`: the render is the item's second pass after a `:retry` call failed: retry with backoff. */
	connectedContent(request: ConnectedContentRequest, options: { retrying: boolean }): Promise<ConnectedContentAnswer>;
	/** A catalog's items by id, in the order asked; unknown ids are left out. */
	catalogItems(catalog: string, ids: string[]): Promise<unknown[]>;
}

/** One asynchronous render's network state, kept on the liquidjs context. */
export interface NetworkRender {
	network: LiquidNetwork;
	retrying: boolean;
	/** The first `:retry` call that found no usable answer. */
	retryFailure?: { host: string; lastAnswer: string };
}

interface NetworkContext extends Context {
	brazeNetwork?: NetworkRender;
}

export function attachNetwork(ctx: Context, render: NetworkRender): void {
	(ctx as NetworkContext).brazeNetwork = render;
}

export function networkOf(ctx: Context): NetworkRender | undefined {
	return (ctx as NetworkContext).brazeNetwork;
}

/** Time spent waiting on the network does not count against the render's time limit. */
export async function withoutRenderClock<T>(ctx: Context, wait: Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await wait;
	} finally {
		(ctx.renderLimit as unknown as { limit: number }).limit += Date.now() - started;
	}
}
