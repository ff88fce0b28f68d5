/**
 * The lifecycle every HTTP server of the tests shares: it listens on 127.0.0.1 only, stops by itself
 * after a time limit or a request limit (so a runaway test cannot keep it serving), and closing it
 * destroys every open socket and cancels the timers it scheduled. What a server answers is its own
 * behaviour, given as `respond`.
 *
 * The jest suites import this file; the .mjs tools (bench, e2e) load it compiled (support/compiled.mjs).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

const LOOPBACK = '127.0.0.1';

/** One complete request (body read) and the response to write. */
export interface Exchange {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	body: Buffer;
	/** 0-based, in the order the requests' bodies completed. */
	index: number;
	/** Which TCP connection carried it (1-based, in accept order); 0 over TLS. */
	connection: number;
	receivedAt: number;
}

export interface HttpServerOptions {
	/** Names the server in its request-limit answer. */
	name: string;
	/** The server's own behaviour. A throw or rejection is answered 500 when nothing was sent yet. */
	respond: (exchange: Exchange) => void | Promise<void>;
	/** The server closes itself after this many milliseconds. */
	ttlMs: number;
	/** Requests beyond this many are answered 503 and the server closes. */
	maxRequests: number;
	/** 0 (the default) picks a free port. */
	port?: number;
	/** Serve HTTPS with this certificate instead of HTTP. */
	tls?: { cert: string | Buffer; key: string | Buffer };
	backlog?: number;
	/** Tunes the server (keep-alive, timeouts) before it listens. */
	configure?: (server: http.Server | https.Server) => void;
	/** Sees every accepted TCP connection (1-based number in accept order). */
	onConnection?: (socket: Socket, connection: number) => void;
}

export interface TestHttpServer {
	url: string;
	port: number;
	connectionsAccepted: () => number;
	openConnections: () => number;
	/** Runs `task` after `ms` milliseconds, unless the server closes first. */
	after: (ms: number, task: () => void) => void;
	/** Resolves after `ms` milliseconds; never, if the server closes first. */
	wait: (ms: number) => Promise<void>;
	/** Resolves once the server has closed, whoever closed it (time limit, request limit, close()). */
	closed: Promise<void>;
	close: () => Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<TestHttpServer> {
	assertBounded(options);
	const sockets = new Set<Socket>();
	const connectionIds = new WeakMap<Socket, number>();
	const timers = new Set<NodeJS.Timeout>();
	let accepted = 0;
	let received = 0;
	let closing: Promise<void> | undefined;

	const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const index = received++;
			if (received > options.maxRequests) {
				res.writeHead(503, { 'content-type': 'text/plain' }).end(`${options.name}: request limit reached`);
				void close();
				return;
			}
			const exchange: Exchange = {
				req,
				res,
				body: Buffer.concat(chunks),
				index,
				connection: connectionIds.get(req.socket) ?? 0,
				receivedAt: Date.now(),
			};
			const fail = (error: Error) => {
				if (!res.headersSent && !res.destroyed) res.writeHead(500).end(`${options.name} failed: ${error.message}`);
			};
			try {
				void options.respond(exchange)?.catch(fail);
			} catch (error) {
				fail(error as Error);
			}
		});
	};
	const server = options.tls ? https.createServer(options.tls, onRequest) : http.createServer(onRequest);
	options.configure?.(server);
	server.on('connection', (socket: Socket) => {
		accepted++;
		connectionIds.set(socket, accepted);
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		options.onConnection?.(socket, accepted);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({ port: options.port ?? 0, host: LOOPBACK, backlog: options.backlog }, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const ttl = setTimeout(() => void close(), options.ttlMs);
	ttl.unref();

	let markClosed: () => void = () => {};
	const closed = new Promise<void>((resolve) => (markClosed = resolve));
	function close(): Promise<void> {
		closing ??= new Promise<void>((resolve) => {
			clearTimeout(ttl);
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			server.close(() => {
				markClosed();
				resolve();
			});
			for (const socket of sockets) socket.destroy();
		});
		return closing;
	}

	function after(ms: number, task: () => void): void {
		if (closing) return;
		const timer = setTimeout(() => {
			timers.delete(timer);
			task();
		}, ms);
		timers.add(timer);
	}

	return {
		url: `${options.tls ? 'https' : 'http'}://${LOOPBACK}:${port}`,
		port,
		connectionsAccepted: () => accepted,
		openConnections: () => sockets.size,
		after,
		wait: (ms) => new Promise<void>((resolve) => after(ms, resolve)),
		closed,
		close,
	};
}

function assertBounded(options: HttpServerOptions): void {
	if (!(options.ttlMs > 0 && Number.isFinite(options.ttlMs))) {
		throw new Error(`${options.name}: ttlMs must be a finite number of milliseconds, not ${options.ttlMs}`);
	}
	if (!(options.maxRequests > 0 && Number.isFinite(options.maxRequests))) {
		throw new Error(`${options.name}: maxRequests must be a finite number, not ${options.maxRequests}`);
	}
}
