/**
 * What n8n's helper (axios) does to a request and a response, redone for fetch so both transports
 * put the same bytes on the wire and hand back the same response shape. Pure: no I/O.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { FullResponse } from './types';

/** n8n's outbound User-Agent unless the instance enforces another one, which a node cannot read. */
const N8N_USER_AGENT = 'n8n';
/** axios's Accept when the request does not ask for JSON. */
const AXIOS_ACCEPT = 'application/json, text/plain, */*';

export interface FetchRequestParts {
	method: string;
	headers: Record<string, string>;
	/** A byte array, so fetch adds no Content-Type of its own (it would say text/plain for a string). */
	body?: Uint8Array;
}

/**
 * The body as axios sends it: a Buffer byte for byte, a string as UTF-8, an object as JSON (none
 * when empty, as n8n drops an empty object), with axios's default Accept, Content-Type and n8n's
 * User-Agent where the request has none.
 */
export function toFetchRequest(options: IHttpRequestOptions): FetchRequestParts {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name] = String(value);
	}
	const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
	const { body } = options;
	let bytes: Uint8Array | undefined;
	if (Buffer.isBuffer(body)) bytes = body;
	else if (typeof body === 'string') bytes = body.length > 0 ? Buffer.from(body, 'utf8') : undefined;
	else if (body !== undefined && body !== null && typeof body === 'object' && Object.keys(body).length > 0) {
		bytes = Buffer.from(JSON.stringify(body), 'utf8');
		if (!has('content-type')) headers['Content-Type'] = 'application/json';
	}
	if (!has('accept')) headers.Accept = options.json ? 'application/json' : AXIOS_ACCEPT;
	if (!has('user-agent')) headers['User-Agent'] = N8N_USER_AGENT;
	return { method: (options.method ?? 'GET').toUpperCase(), headers, ...(bytes ? { body: bytes } : {}) };
}

/** The Fetch standard's "bad ports": fetch refuses them, n8n's helper does not. */
const FETCH_BAD_PORTS = new Set([
	0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109,
	110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530,
	531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190,
	5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * Whether fetch can send this request as the helper would: fetch refuses a body on GET and HEAD,
 * and the ports the Fetch standard calls bad.
 */
export function fetchCanSend(options: IHttpRequestOptions): boolean {
	let port: number;
	try {
		const url = new URL(options.url);
		port = url.port === '' ? 0 : Number(url.port);
	} catch {
		return false;
	}
	if (port !== 0 && FETCH_BAD_PORTS.has(port)) return false;
	const method = (options.method ?? 'GET').toUpperCase();
	if (method !== 'GET' && method !== 'HEAD') return true;
	const { body } = options;
	if (body === undefined || body === null) return true;
	if (typeof body === 'string' || Buffer.isBuffer(body)) return body.length === 0;
	return typeof body === 'object' && Object.keys(body).length === 0;
}

/**
 * The response as n8n's helper returns it with returnFullResponse: lower-case headers (set-cookie
 * as a list), and the body as axios leaves it: UTF-8 text without a byte-order mark, parsed as JSON
 * when it parses, whatever the Content-Type says.
 */
export function toFullResponse(status: number, headers: Headers, bytes: Buffer): FullResponse {
	const headerObject: Record<string, unknown> = {};
	headers.forEach((value, name) => {
		headerObject[name] = value;
	});
	const cookies = headers.getSetCookie();
	if (cookies.length > 0) headerObject['set-cookie'] = cookies;
	let text = bytes.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return { statusCode: status, headers: headerObject, body: parseLikeAxios(text) };
}

function parseLikeAxios(text: string): unknown {
	if (text.length === 0) return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = /^(?:authorization|proxy-authorization|cookie)$/i;

export interface RedirectHop {
	url: string;
	method: string;
	headers: Record<string, string>;
	body?: Uint8Array;
}

/**
 * The next hop of a followed redirect, as follow-redirects (axios) makes it: 303, and 301/302 after
 * a POST, become a GET without body; credentials (and the credential's own headers) are not sent on
 * to another host. Undefined when
 * the response is not a redirect to follow.
 */
export function redirectHop(
	from: RedirectHop,
	status: number,
	location: string | null,
	credentialHeaderNames: readonly string[] = [],
): RedirectHop | undefined {
	if (!REDIRECT_STATUSES.has(status) || !location) return undefined;
	const next = new URL(location, from.url);
	const toGet = (status === 303 && from.method !== 'HEAD') || ((status === 301 || status === 302) && from.method === 'POST');
	const headers: Record<string, string> = {};
	const sameHost = next.host === new URL(from.url).host;
	for (const [name, value] of Object.entries(from.headers)) {
		if (toGet && /^content-(?:type|length)$/i.test(name)) continue;
		const credential = CREDENTIAL_HEADERS.test(name) || credentialHeaderNames.includes(name.toLowerCase());
		if (!sameHost && credential) continue;
		headers[name] = value;
	}
	return {
		url: next.toString(),
		method: toGet ? 'GET' : from.method,
		headers,
		...(toGet || !from.body ? {} : { body: from.body }),
	};
}
