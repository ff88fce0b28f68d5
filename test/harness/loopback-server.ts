/**
 * A scripted HTTP server on 127.0.0.1 that plays a remote host: it records every request and answers
 * each from a script (status, headers, body, delay, or a dropped connection). It stops by itself after
 * a time limit or a request limit, so a runaway test cannot keep it serving.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedResponse {
	status?: number;
	headers?: Record<string, string | number | string[] | undefined>;
	/** An object or array is sent as JSON; a string as is. */
	body?: unknown;
	/** Milliseconds to wait before answering. */
	delayMs?: number;
	/** Destroy the connection without answering. */
	drop?: boolean;
}

export interface RecordedRequest {
	index: number;
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: http.IncomingHttpHeaders;
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
	const ttlMs = options.ttlMs ?? 120_000;
	const maxRequests = options.maxRequests ?? 200_000;
	let current = script;
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const socketIds = new WeakMap<Socket, number>();
	let accepted = 0;

	const pick = async (request: RecordedRequest): Promise<ScriptedResponse> => {
		if (typeof current === 'function') return await current(request);
		if (Array.isArray(current)) {
			return current[Math.min(request.index, current.length - 1)] ?? { status: 200 };
		}
		return current;
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				const body = Buffer.concat(chunks).toString('utf8');
				const recorded: RecordedRequest = {
					index: requests.length,
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					body,
					json: parseJson(body),
					receivedAt: Date.now(),
					connection: socketIds.get(req.socket) ?? 0,
				};
				requests.push(recorded);
				if (requests.length > maxRequests) {
					res.writeHead(503, { 'content-type': 'text/plain' }).end('loopback server request limit');
					void close();
					return;
				}
				const response = await pick(recorded);
				if (response.delayMs) await delay(response.delayMs);
				if (response.drop) {
					req.socket.destroy();
					return;
				}
				const isText = typeof response.body === 'string' || response.body === undefined;
				const payload = isText ? ((response.body as string | undefined) ?? '') : JSON.stringify(response.body);
				const headers: http.OutgoingHttpHeaders = {
					'content-type': isText ? 'text/plain' : 'application/json',
					...response.headers,
				};
				if (!res.destroyed) res.writeHead(response.status ?? 200, headers).end(payload);
			})().catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500).end(`loopback script failed: ${error.message}`);
			});
		});
	});
	server.on('connection', (socket) => {
		accepted++;
		socketIds.set(socket, accepted);
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const ttl = setTimeout(() => void close(), ttlMs);
	ttl.unref();

	let closing: Promise<void> | undefined;
	function close(): Promise<void> {
		closing ??= new Promise<void>((resolve) => {
			clearTimeout(ttl);
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
		});
		return closing;
	}

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		connectionsAccepted: () => accepted,
		setScript: (next) => {
			current = next;
		},
		close,
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

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
