/**
 * A Redis-over-HTTP store for tests: redis-server and Webdis (Debian packages) on free 127.0.0.1
 * ports, and optionally an Upstash-REST stand-in in front of the same Redis (a loopback server that
 * turns `POST /` JSON command arrays into Webdis requests), so both credential formats hit one real
 * Redis. Everything stops after `ttlMs` at the latest; `close()` stops it at once. The queue-mode e2e
 * loads this file compiled (support/compiled.mjs, entry `redis-http-store`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { startHttpServer, type TestHttpServer } from './http-server';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
export const WEBDIS = process.env.WEBDIS_BIN ?? '/usr/bin/webdis';

export interface RedisHttpStoreOptions {
	/** Also start the Upstash-REST stand-in. */
	upstash?: boolean;
	/** Everything stops after this many milliseconds. Default 10 minutes. */
	ttlMs?: number;
}

export interface RedisHttpStore {
	redisPort: number;
	webdis: { url: string; username: string; password: string };
	upstash?: { url: string; token: string };
	/** Data for the two n8n credentials (sharedCooldownWebdisApi, sharedCooldownUpstashApi). */
	credentials: { webdis: Record<string, string>; upstash?: Record<string, string> };
	/** Runs one command through Webdis (for assertions), answering its value. */
	command: (...args: Array<string | number>) => Promise<unknown>;
	/** The store goes away: Webdis and the Upstash stand-in stop answering (connections refused). */
	stopFronts: () => Promise<void>;
	close: () => Promise<void>;
}

export async function startRedisHttpStore(options: RedisHttpStoreOptions = {}): Promise<RedisHttpStore> {
	for (const binary of [REDIS_SERVER, WEBDIS]) {
		if (!fs.existsSync(binary)) {
			throw new Error(`${binary} is missing: install the Debian packages redis-server and webdis (apt-get install redis-server webdis)`);
		}
	}
	const ttlMs = options.ttlMs ?? 600_000;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'braze-webhooks-redis-http-'));
	const children: ChildProcess[] = [];
	let upstashServer: TestHttpServer | undefined;
	const password = `pw-${Math.random().toString(36).slice(2)}`;
	const username = 'n8n';
	let closing: Promise<void> | undefined;

	const stopFronts = async () => {
		await upstashServer?.close();
		await stop(children[1]);
	};
	const close = () =>
		(closing ??= (async () => {
			clearTimeout(ttl);
			await stopFronts();
			await stop(children[0]);
			fs.rmSync(dir, { recursive: true, force: true });
		})());
	const ttl = setTimeout(() => void close(), ttlMs);
	ttl.unref();

	try {
		const redisPort = await freePort();
		children.push(
			spawn(REDIS_SERVER, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
				stdio: 'ignore',
			}),
		);
		const webdisPort = await freePort();
		const config = {
			redis_host: '127.0.0.1',
			redis_port: redisPort,
			redis_auth: null,
			http_host: '127.0.0.1',
			http_port: webdisPort,
			threads: 2,
			daemonize: false,
			database: 0,
			// Nothing without the login; everything with it.
			acl: [{ disabled: ['*'] }, { http_basic_auth: `${username}:${password}`, enabled: ['*'] }],
			verbosity: 3,
			logfile: path.join(dir, 'webdis.log'),
		};
		fs.writeFileSync(path.join(dir, 'webdis.json'), JSON.stringify(config));
		await waitFor(async () => (await redisPing(redisPort)) === true, 'redis-server');
		children.push(spawn(WEBDIS, [path.join(dir, 'webdis.json')], { stdio: 'ignore' }));
		const webdisUrl = `http://127.0.0.1:${webdisPort}`;
		const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
		const command = async (...args: Array<string | number>) => {
			const body = args.map((arg) => encodeURIComponent(String(arg)).replace(/\./g, '%2E')).join('/');
			const response = await fetch(`${webdisUrl}/`, { method: 'POST', body, headers: { authorization } });
			const json = (await response.json()) as Record<string, unknown>;
			return Object.values(json)[0];
		};
		await waitFor(async () => JSON.stringify(await command('PING').catch(() => undefined)) === '[true,"PONG"]', 'webdis');

		let upstash: RedisHttpStore['upstash'];
		if (options.upstash) {
			const token = `tok-${Math.random().toString(36).slice(2)}`;
			upstashServer = await startUpstashStandIn(token, command, ttlMs);
			upstash = { url: upstashServer.url, token };
		}
		return {
			redisPort,
			webdis: { url: webdisUrl, username, password },
			upstash,
			credentials: {
				webdis: { url: webdisUrl, username, password },
				...(upstash ? { upstash: { url: upstash.url, token: upstash.token } } : {}),
			},
			command,
			stopFronts,
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

/** Fixed ids, so workflows can name the credentials before they are imported. */
export const STORE_CREDENTIAL_IDS = { webdis: 'SharedCdWebdis01', upstash: 'SharedCdUpstash1' } as const;

/**
 * The store's credentials as `n8n import:credentials --input=<file>` reads them. A node uses one with
 * `parameters.sharedCooldownStore: 'webdis'` (or 'upstash') and
 * `credentials: { sharedCooldownWebdisApi: { id: STORE_CREDENTIAL_IDS.webdis, name } }`.
 */
export function n8nStoreCredentials(store: RedisHttpStore): Array<{ id: string; name: string; type: string; data: Record<string, string> }> {
	const credentials: Array<{ id: string; name: string; type: string; data: Record<string, string> }> = [
		{
			id: STORE_CREDENTIAL_IDS.webdis,
			name: 'Shared cooldown store (Webdis, test)',
			type: 'sharedCooldownWebdisApi',
			data: store.credentials.webdis,
		},
	];
	if (store.credentials.upstash) {
		credentials.push({
			id: STORE_CREDENTIAL_IDS.upstash,
			name: 'Shared cooldown store (Upstash REST stand-in, test)',
			type: 'sharedCooldownUpstashApi',
			data: store.credentials.upstash,
		});
	}
	return credentials;
}

/** Upstash's REST format: `POST /` with a JSON array, `GET /<cmd>/<args>`; `{"result"}` or `{"error"}`. */
async function startUpstashStandIn(
	token: string,
	command: (...args: string[]) => Promise<unknown>,
	ttlMs: number,
): Promise<TestHttpServer> {
	return await startHttpServer({
		name: 'upstash-stand-in',
		ttlMs,
		maxRequests: 1_000_000,
		respond: async ({ req, res, body }) => {
			const send = (status: number, json: unknown): void => {
				res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
			};
			if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
			const pathname = new URL(req.url ?? '/', 'http://x').pathname;
			let args: unknown;
			if (req.method === 'POST' && pathname === '/') {
				try {
					args = JSON.parse(body.toString('utf8'));
				} catch {
					return send(400, { error: 'ERR failed to parse command' });
				}
			} else if (req.method === 'GET' && pathname.length > 1) {
				args = pathname.slice(1).split('/').map(decodeURIComponent);
			} else return send(404, { error: 'Not Found' });
			if (!Array.isArray(args) || args.length === 0) return send(400, { error: 'ERR failed to parse command' });
			const value = await command(...args.map(String));
			if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'boolean' && typeof value[1] === 'string') {
				return value[0] ? send(200, { result: value[1] }) : send(400, { error: value[1] });
			}
			return send(200, { result: value });
		},
	});
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** One RESP PING on a fresh connection: true once Redis answers +PONG. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(2_000, () => socket.destroy());
		socket.once('error', () => resolve(false));
		socket.once('close', () => resolve(false));
		socket.once('data', (data) => {
			resolve(data.toString().startsWith('+PONG'));
			socket.destroy();
		});
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

async function waitFor(ready: () => Promise<boolean>, name: string): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		if (await ready().catch(() => false)) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${name} did not start within 10 seconds`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(killed);
}
