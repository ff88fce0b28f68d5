/**
 * A scripted HTTP server on 127.0.0.1 that plays a remote host: it records every request and answers
 * each from a script (status, headers, body, delay, or a dropped connection). Its lifecycle (time and
 * request limits, closing) is the shared one of support/http-server.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

import { startHttpServer, type Exchange } from '../support/http-server';

export interface ScriptedResponse {
	status?: number;
	headers?: Record<string, string | number | string[] | undefined>;
	/** An object or array is sent as JSON; a string as is. */
	body?: unknown;
	/** Milliseconds to wait before answering. */
	delayMs?: number;
	/** Destroy the connection without answering. */
	drop?: boolean;
	/**
	 * Never answer: the request stays open until the client gives up or the server closes. Only the
	 * client's timeout (or a cancellation) can end it, however loaded the machine.
	 */
	hang?: boolean;
}

export interface RecordedRequest {
	index: number;
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
	/** The body parsed as JSON, or undefined when it is not JSON. */
	json: unknown;
	receivedAt: number;
	/** Which TCP connection carried it (1-based, in accept order). */
	connection: number;
}

export type Script =
	| ScriptedResponse
	| ScriptedResponse[]
	| ((request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>);

export interface LoopbackServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	connectionsAccepted: () => number;
	/** Replaces the script for the requests still to come. */
	setScript: (script: Script) => void;
	close: () => Promise<void>;
}

export interface ServerOptions {
	/** The server closes itself after this many milliseconds. */
	ttlMs?: number;
	/** Requests beyond this many are answered 503 and the server closes. */
	maxRequests?: number;
}

export async function startLoopbackServer(
	script: Script = { status: 200, body: { ok: true } },
	options: ServerOptions = {},
): Promise<LoopbackServer> {
	let current = script;
	const requests: RecordedRequest[] = [];

	const pick = async (request: RecordedRequest): Promise<ScriptedResponse> => {
		if (typeof current === 'function') return await current(request);
		if (Array.isArray(current)) {
			return current[Math.min(request.index, current.length - 1)] ?? { status: 200 };
		}
		return current;
	};

	const respond = async ({ req, res, body, connection, receivedAt }: Exchange) => {
		const text = body.toString('utf8');
		const recorded: RecordedRequest = {
			index: requests.length,
			method: req.method ?? '',
			url: req.url ?? '',
			headers: req.headers,
			body: text,
			json: parseJson(text),
			receivedAt,
			connection,
		};
		requests.push(recorded);
		const response = await pick(recorded);
		if (response.hang) return;
		if (response.delayMs) await server.wait(response.delayMs);
		if (response.drop) {
			req.socket.destroy();
			return;
		}
		const isText = typeof response.body === 'string' || response.body === undefined;
		const payload = isText ? ((response.body as string | undefined) ?? '') : JSON.stringify(response.body);
		const headers: OutgoingHttpHeaders = {
			'content-type': isText ? 'text/plain' : 'application/json',
			...response.headers,
		};
		if (!res.destroyed) res.writeHead(response.status ?? 200, headers).end(payload);
	};

	const server = await startHttpServer({
		name: 'loopback server',
		respond,
		ttlMs: options.ttlMs ?? 120_000,
		maxRequests: options.maxRequests ?? 200_000,
	});
	return {
		url: server.url,
		port: server.port,
		requests,
		connectionsAccepted: server.connectionsAccepted,
		setScript: (next) => {
			current = next;
		},
		close: server.close,
	};
}

function parseJson(body: string): unknown {
	if (!body) return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}
