/**
 * `{% connected_content %}` as Braze documents it: the rendered markup read into a request (URL,
 * options, default headers, the body's encoding) and a cache policy. Pure: no I/O.
 */
import { DialectError } from '../errors/dialect-error';

export interface ConnectedContentRequest {
	url: string;
	method: 'GET' | 'POST';
	headers: Record<string, string>;
	body?: string;
	/** `:basic_auth NAME` / `:auth_credentials NAME`: a named entry of the node's credential. */
	auth?: { kind: 'basic' | 'headers'; name: string };
	/** Seconds a successful answer may be served from the cache; 0: not cached. */
	cacheSeconds: number;
	/** method + URL + body + auth name. */
	cacheKey: string;
}

export interface ConnectedContentCall {
	request: ConnectedContentRequest;
	/** Where a JSON answer goes (`connected` unless `:save`). */
	variable: string;
	retry: boolean;
	rerender: boolean;
}

export const DEFAULT_CACHE_SECONDS = 300;
export const MIN_CACHE_SECONDS = 300;
export const MAX_CACHE_SECONDS = 14_400;

const VALUED = new Set(['method', 'headers', 'body', 'content_type', 'basic_auth', 'auth_credentials', 'save', 'cache_max_age']);
const FLAGS = new Set(['retry', 'cache', 'no_cache', 'rerender']);
const OPTION_START = /\s:([a-z_]+)(?=\s|$)/g;
const SYNTAX = '{% connected_content https://… :method post :headers {"K": "V"} :body a=1&b=2 :save result :retry %}';

function syntax(reason: string): DialectError {
	return new DialectError('render', `connected_content: ${reason} (syntax: ${SYNTAX})`);
}

/** Splits ` :name value :flag …` at the known option names; values keep their inner spaces. */
function readOptions(text: string): Map<string, string> {
	const starts: Array<{ name: string; at: number; valueAt: number }> = [];
	OPTION_START.lastIndex = 0;
	for (let match = OPTION_START.exec(text); match; match = OPTION_START.exec(text)) {
		const name = match[1];
		if (!VALUED.has(name) && !FLAGS.has(name)) {
			if (starts.length === 0) throw syntax(`unknown option ":${name}"`);
			continue;
		}
		// A `:name` inside a JSON headers value is part of that value.
		const last = starts[starts.length - 1];
		if (last?.name === 'headers' && !balanced(text.slice(last.valueAt, match.index))) continue;
		starts.push({ name, at: match.index, valueAt: match.index + match[0].length });
	}
	if (starts.length === 0 && text.trim() !== '') throw syntax(`"${text.trim().slice(0, 60)}" is not an option`);
	if (starts.length > 0 && text.slice(0, starts[0].at).trim() !== '') {
		throw syntax(`"${text.slice(0, starts[0].at).trim().slice(0, 60)}" is not an option`);
	}
	const options = new Map<string, string>();
	starts.forEach((start, i) => {
		const value = text.slice(start.valueAt, i + 1 < starts.length ? starts[i + 1].at : text.length).trim();
		if (FLAGS.has(start.name) && value !== '') throw syntax(`":${start.name}" takes no value, got "${value.slice(0, 60)}"`);
		if (VALUED.has(start.name) && value === '') throw syntax(`":${start.name}" needs a value`);
		options.set(start.name, value);
	});
	return options;
}

function balanced(text: string): boolean {
	let depth = 0;
	let quote = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote) quote = '';
		} else if (c === '"') quote = c;
		else if (c === '{') depth++;
		else if (c === '}') depth--;
	}
	return depth <= 0 && !quote;
}

function readHeaders(value: string): Record<string, string> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch {
		throw syntax(`":headers" must be a JSON object such as {"X-Token": "abc"}, got "${value.slice(0, 60)}"`);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw syntax('":headers" must be a JSON object');
	const headers: Record<string, string> = {};
	for (const [name, headerValue] of Object.entries(parsed as Record<string, unknown>)) {
		headers[name] = typeof headerValue === 'string' ? headerValue : JSON.stringify(headerValue);
	}
	return headers;
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
	for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
	headers[name] = value;
}

function decodeForm(part: string): string {
	try {
		return decodeURIComponent(part.replace(/\+/g, ' '));
	} catch {
		return part;
	}
}

/** Braze JSON-encodes a form-style body (`a=1&b=2`) sent as application/json. */
function jsonBody(body: string): string {
	const trimmed = body.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[') || !trimmed.includes('=')) return body;
	const object: Record<string, string> = {};
	for (const pair of trimmed.split('&')) {
		if (pair === '') continue;
		const equals = pair.indexOf('=');
		const key = decodeForm(equals < 0 ? pair : pair.slice(0, equals));
		object[key] = equals < 0 ? '' : decodeForm(pair.slice(equals + 1));
	}
	return JSON.stringify(object);
}

function cacheSeconds(method: 'GET' | 'POST', options: Map<string, string>): number {
	const maxAge = options.get('cache_max_age');
	if (maxAge !== undefined) {
		const seconds = Number(maxAge);
		if (!Number.isFinite(seconds)) throw syntax(`":cache_max_age" takes seconds (${MIN_CACHE_SECONDS}-${MAX_CACHE_SECONDS}), got "${maxAge}"`);
		return Math.min(MAX_CACHE_SECONDS, Math.max(MIN_CACHE_SECONDS, Math.floor(seconds)));
	}
	if (options.has('no_cache')) return 0;
	return method === 'GET' || options.has('cache') ? DEFAULT_CACHE_SECONDS : 0;
}

/** Reads the tag's markup once its Liquid is rendered. Throws DialectError naming the bad option. */
export function parseConnectedContent(markup: string): ConnectedContentCall {
	const text = markup.trim();
	const urlEnd = text.search(/\s/);
	const url = urlEnd < 0 ? text : text.slice(0, urlEnd);
	if (url === '') throw syntax('the URL is missing');
	if (!/^https?:\/\//i.test(url)) throw syntax(`the URL must start with http:// or https://, got "${url.slice(0, 80)}"`);
	const options = readOptions(urlEnd < 0 ? '' : ` ${text.slice(urlEnd).trim()}`);
	const methodName = (options.get('method') ?? 'get').toLowerCase();
	if (methodName !== 'get' && methodName !== 'post') throw syntax(`":method" is get or post (Braze supports no other), got "${methodName}"`);
	const method = methodName === 'post' ? 'POST' : 'GET';
	const headers: Record<string, string> = {
		'Content-Type': method === 'POST' ? 'application/x-www-form-urlencoded' : 'application/json',
		Accept: '*/*',
	};
	const contentType = options.get('content_type');
	if (contentType !== undefined) {
		setHeader(headers, 'Content-Type', contentType);
		setHeader(headers, 'Accept', contentType);
	}
	const headersOption = options.get('headers');
	if (headersOption !== undefined) for (const [name, value] of Object.entries(readHeaders(headersOption))) setHeader(headers, name, value);
	let body = options.get('body');
	if (body !== undefined && method === 'GET') body = undefined;
	if (body !== undefined && /application\/json/i.test(contentType ?? '')) body = jsonBody(body);
	const basic = options.get('basic_auth');
	const token = options.get('auth_credentials');
	if (basic !== undefined && token !== undefined) throw syntax('use either ":basic_auth" or ":auth_credentials", not both');
	const auth = basic !== undefined ? { kind: 'basic' as const, name: basic } : token !== undefined ? { kind: 'headers' as const, name: token } : undefined;
	const save = options.get('save');
	if (save !== undefined && !/^[A-Za-z_][\w-]*$/.test(save)) throw syntax(`":save" takes a variable name, got "${save}"`);
	return {
		request: {
			url,
			method,
			headers,
			...(body !== undefined ? { body } : {}),
			...(auth ? { auth } : {}),
			cacheSeconds: cacheSeconds(method, options),
			cacheKey: [method, url, body ?? '', auth ? `${auth.kind}:${auth.name}` : ''].join('\u0000'),
		},
		variable: save ?? 'connected',
		retry: options.has('retry'),
		rerender: options.has('rerender'),
	};
}
