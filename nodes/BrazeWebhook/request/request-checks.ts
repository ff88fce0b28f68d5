import { jsonErrorOffset } from './json-error-offset';

/**
 * Checks a rendered request before it is sent. Each failure names the field and, where it has one,
 * the position, so a user can find the mistake in their template.
 */
export class RequestInputError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
		readonly line?: number,
		readonly column?: number,
	) {
		super(`${field}${line !== undefined ? `, line ${line}, column ${column ?? 1}` : ''}: ${reason}`);
		this.name = 'RequestInputError';
	}
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function checkUrl(rendered: string, field: string, allowedHosts: readonly string[] = []): URL {
	const text = rendered.trim();
	if (text === '') throw new RequestInputError(field, 'the URL is empty after rendering');
	const url = parseUrl(text);
	if (!url) throw new RequestInputError(field, `"${truncate(text)}" is not a valid URL after rendering`);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new RequestInputError(
			field,
			`the URL must start with http:// or https://, not ${url.protocol}//`,
		);
	}
	if (allowedHosts.length > 0 && !hostAllowed(url.hostname, allowedHosts)) {
		throw new RequestInputError(
			field,
			`host "${url.hostname}" is not in this node's Allowed Hosts (${allowedHosts.join(', ')})`,
		);
	}
	return url;
}

/** Parses "a.com, *.b.com" into lower-case patterns. */
export function parseAllowedHosts(value: string | undefined): string[] {
	return (value ?? '')
		.split(/[\s,]+/)
		.map((host) => host.trim().toLowerCase())
		.filter(Boolean);
}

export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	return patterns.some((pattern) =>
		pattern.startsWith('*.')
			? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
			: host === pattern.replace(/^\[|\]$/g, ''),
	);
}

export function checkHeader(name: string, value: string, field: string): void {
	if (!HEADER_NAME.test(name)) {
		throw new RequestInputError(field, `"${truncate(name)}" is not a valid header name`);
	}
	const bad = value.search(/[\r\n\0]/);
	if (bad !== -1) {
		const what = value[bad] === '\0' ? 'a NUL character' : 'a line break (CR or LF)';
		throw new RequestInputError(
			field,
			`the value contains ${what} at character ${bad + 1} after rendering, which would split the header`,
		);
	}
}

/** Throws with the line and column of the first JSON syntax error in the rendered body. */
export function checkJson(body: string, field: string): void {
	if (parsesAsJson(body)) return;
	const offset = Math.max(0, jsonErrorOffset(body));
	const { line, column } = lineAndColumn(body, offset);
	const found = offset < body.length ? `unexpected ${JSON.stringify(body[offset])}` : 'unexpected end';
	throw new RequestInputError(field, `the rendered body is not valid JSON (${found})`, line, column);
}

export function checkSize(body: string, field: string, maxBytes: number): void {
	const size = Buffer.byteLength(body, 'utf8');
	if (size > maxBytes) {
		throw new RequestInputError(
			field,
			`the rendered body is ${size} bytes, over the limit of ${maxBytes} bytes (option Max Body Size)`,
		);
	}
}

export function isJsonContentType(contentType: string | undefined): boolean {
	return contentType !== undefined && /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

function parsesAsJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text[i] === '\n') {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: offset - lineStart + 1 };
}

function truncate(text: string): string {
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const SENSITIVE_HEADER = /auth|token|secret|key|password|passwd|signature|cookie|session|credential/i;

export function isSensitiveHeader(name: string): boolean {
	return SENSITIVE_HEADER.test(name);
}

/** Header values that look secret are replaced, so dry runs and outputs never show them. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
	const redacted: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		redacted[name] = SENSITIVE_HEADER.test(name) ? '[redacted]' : value;
	}
	return redacted;
}
