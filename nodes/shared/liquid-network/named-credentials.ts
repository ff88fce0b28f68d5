/**
 * Braze's stored Connected Content credentials (`:basic_auth NAME`, `:auth_credentials NAME`) as
 * entries of one n8n credential: a JSON list, each entry named, with the domain it may be sent to.
 */
import { DialectError } from '../liquid/errors/dialect-error';

export type NamedCredential =
	| { kind: 'basic'; name: string; domain: string; username: string; password: string }
	| { kind: 'headers'; name: string; domain: string; headers: Record<string, string> };

/** The credential's text is not a valid list of entries; the message never repeats a value. */
export class CredentialEntriesError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialEntriesError';
	}
}

export const ENTRIES_EXAMPLE =
	'[{"name": "my_api", "domain": "api.example.com", "headers": {"X-Api-Key": "..."}}, {"name": "my_basic", "domain": "*.example.org", "username": "u", "password": "p"}]';

/** Parses the credential's entries; the message names the entry but never repeats a value. */
export function parseNamedCredentials(text: string): Map<string, NamedCredential> {
	const entries = new Map<string, NamedCredential>();
	if (text.trim() === '') return entries;
	const parsed = parseJsonOrUndefined(text);
	if (parsed === undefined) {
		throw new CredentialEntriesError(`Braze Connected Content API credential: Named Credentials (JSON) is not valid JSON; expected a list such as ${ENTRIES_EXAMPLE}`);
	}
	if (!Array.isArray(parsed)) throw new CredentialEntriesError('Braze Connected Content API credential: Named Credentials (JSON) must be a JSON list of entries');
	parsed.forEach((raw, index) => {
		const entry = (raw ?? {}) as Record<string, unknown>;
		const where = `Braze Connected Content API credential: entry ${index + 1}`;
		const name = typeof entry.name === 'string' ? entry.name.trim() : '';
		if (!name) throw new CredentialEntriesError(`${where} has no "name"`);
		const domain = typeof entry.domain === 'string' ? entry.domain.trim().toLowerCase() : '';
		if (!domain) throw new CredentialEntriesError(`${where} ("${name}") has no "domain": Braze sends a credential only to its allowed domain`);
		if (entry.headers !== undefined) {
			if (entry.headers === null || typeof entry.headers !== 'object' || Array.isArray(entry.headers)) {
				throw new CredentialEntriesError(`${where} ("${name}"): "headers" must be an object of header names and values`);
			}
			const headers = Object.fromEntries(Object.entries(entry.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
			entries.set(name, { kind: 'headers', name, domain, headers });
		} else if (typeof entry.username === 'string' && typeof entry.password === 'string') {
			entries.set(name, { kind: 'basic', name, domain, username: entry.username, password: entry.password });
		} else {
			throw new CredentialEntriesError(`${where} ("${name}") needs either "headers" or "username" and "password"`);
		}
	});
	return entries;
}

/** Every secret value of the entries (and the Basic header they make), to scrub from outputs. */
export function namedCredentialSecrets(entries: Map<string, NamedCredential>): string[] {
	const secrets: string[] = [];
	for (const entry of entries.values()) {
		if (entry.kind === 'basic') {
			secrets.push(entry.password, Buffer.from(`${entry.username}:${entry.password}`).toString('base64'));
		} else secrets.push(...Object.values(entry.headers));
	}
	return secrets.filter((secret) => secret.length >= 4);
}

function domainMatches(hostname: string, domain: string): boolean {
	const host = hostname.toLowerCase();
	if (domain.startsWith('*.')) return host.endsWith(domain.slice(1));
	return host === domain || host.endsWith(`.${domain}`);
}

/** The headers a named credential adds to a call to `url`; refuses a wrong kind or another domain. */
export function credentialHeaders(
	entries: Map<string, NamedCredential> | undefined,
	auth: { kind: 'basic' | 'headers'; name: string },
	url: URL,
): Record<string, string> {
	const option = auth.kind === 'basic' ? ':basic_auth' : ':auth_credentials';
	const entry = entries?.get(auth.name);
	if (!entry) {
		const where = entries ? `is not an entry of the node's Braze Connected Content API credential` : 'needs a Braze Connected Content API credential on the node';
		throw new DialectError('render', `connected_content ${option} "${auth.name}" ${where}`);
	}
	if (!domainMatches(url.hostname, entry.domain)) {
		throw new DialectError('render', `connected_content ${option} "${auth.name}" may only be sent to ${entry.domain}, not to ${url.hostname}`);
	}
	if (entry.kind === 'basic') {
		if (auth.kind !== 'basic') throw new DialectError('render', `connected_content: "${auth.name}" holds a user name and password: use :basic_auth`);
		return { Authorization: `Basic ${Buffer.from(`${entry.username}:${entry.password}`).toString('base64')}` };
	}
	if (auth.kind !== 'headers') throw new DialectError('render', `connected_content: "${auth.name}" holds headers: use :auth_credentials`);
	return { ...entry.headers };
}

/** Braze's ports for connected_content (80, 443) unless the node widens them; undefined allows any. */
export function checkPort(url: URL, allowedPorts: Set<number> | undefined): void {
	const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
	if (allowedPorts && !allowedPorts.has(port)) {
		throw new DialectError(
			'render',
			`connected_content: port ${port} is not allowed (Braze calls ports 80 and 443 only; widen Connected Content > Allowed Ports)`,
		);
	}
}

export function parseCallUrl(text: string): URL {
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url) throw new DialectError('render', `connected_content: "${text.slice(0, 100)}" is not a valid URL`);
	return url;
}

function parseJsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
