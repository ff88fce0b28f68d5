/**
 * The delivery settings as node options (for a node's "Options" collection) and their reader.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { DELIVERY_OPTIONS } from './option-fields';
import { DELIVERY_GROUPS, groupedLabel, readFlatOptions, usesOptionGroups } from './option-groups';
import { DEFAULT_DELIVERY_SETTINGS, PROBE_LEASE_MARGIN_MS, type DeliverySettings } from './settings';

const defaults = DEFAULT_DELIVERY_SETTINGS;
const cooldownDefaults = DEFAULT_DELIVERY_SETTINGS.cooldown;

/** Both versions: how requests go out (n8n's helper, or fetch with keep-alive). */
export const reuseConnectionsOption: INodeProperties = {
	displayName: 'Reuse Connections',
	name: 'reuseConnections',
	type: 'boolean',
	default: false,
	description:
		"Whether to keep connections to a host open and reuse them (Node's fetch with keep-alive) instead of n8n's request helper, which opens a new connection, and over HTTPS does a new TLS handshake, for every request. Measured gain: about 1.5x more requests per second on a fast local host, and one to two network round trips saved per request on a distant HTTPS host. What it bypasses: n8n's proxy settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), n8n's custom User-Agent and trace headers. n8n's SSRF protection checks every URL and redirect, but the checked address is not pinned for the connection. Certificates are verified as usual (this node has no ignore-SSL-issues option). A request fetch cannot make as n8n would (a credential restricted to some domains, a GET with a body) still goes through n8n's helper; delivery.transport says which way each item went. Leave off where outbound traffic must go through a proxy.",
};

/**
 * Version 1's option entries, spread into a node's Options collection, sorted by label as n8n lists
 * a collection's options (version 2 groups them: option-groups.ts).
 */
export const deliveryOptions: INodeProperties[] = [
	...DELIVERY_OPTIONS.map((option) => option.flat),
	reuseConnectionsOption,
].sort((a, b) => a.displayName.localeCompare(b.displayName));

/** The options as one collection, for a node that keeps them apart from its other options. */
export const deliveryOptionsCollection: INodeProperties = {
	displayName: 'Delivery Options',
	name: 'deliveryOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: deliveryOptions,
};

/**
 * Reads and validates the delivery options from the node's Options collection (`collectionName`),
 * falling back to the defaults for options that are not set. Version 2's groups are read through
 * version 1's names; its errors name the grouped field and its unit.
 */
export function readDeliverySettings(
	ctx: IExecuteFunctions,
	itemIndex = 0,
	collectionName = 'options',
): DeliverySettings {
	const raw = collectionName === 'options' ? readFlatOptions(ctx, itemIndex, DELIVERY_GROUPS) : (ctx.getNodeParameter(collectionName, itemIndex, {}) as IDataObject);
	const grouped = usesOptionGroups(ctx);
	const problems: string[] = [];
	const complain = (name: string, integer: boolean, min: number, max: number) => {
		const label = grouped ? groupedLabel(name, DELIVERY_GROUPS) : undefined;
		const scale = label?.scale ?? 1;
		const range = max === Number.MAX_SAFE_INTEGER ? `${min / scale} or more` : `from ${min / scale} to ${max / scale}`;
		problems.push(`"${label?.label ?? name}" must be ${integer ? 'a whole number' : 'a number'} ${range}`);
	};
	const number = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER, integer = false) => {
		const value = raw[name];
		if (value === undefined || value === null || value === '') return fallback;
		const parsed = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
			complain(name, integer, min, max);
			return fallback;
		}
		return parsed;
	};
	const flag = (name: string, fallback: boolean) => (typeof raw[name] === 'boolean' ? (raw[name] as boolean) : fallback);

	const timeoutMs = number('timeoutMs', defaults.timeoutMs, 1);
	const cooldownMs = number('cooldownMs', cooldownDefaults.cooldownMs, 0);
	const settings: DeliverySettings = {
		maxRetries: number('maxRetries', defaults.maxRetries, 0, 20, true),
		initialDelayMs: number('initialRetryDelayMs', defaults.initialDelayMs, 0),
		maxDelayMs: number('maxRetryDelayMs', defaults.maxDelayMs, 0),
		timeoutMs,
		waitBudgetMs: number('waitBudgetMs', defaults.waitBudgetMs, 0),
		maxHintMs: number('maxRetryAfterMs', defaults.maxHintMs, 0),
		followRedirects: flag('followRedirects', defaults.followRedirects),
		reuseConnections: flag('reuseConnections', defaults.reuseConnections),
		cooldown: {
			...cooldownDefaults,
			enabled: flag('hostCooldown', cooldownDefaults.enabled),
			windowMs: number('cooldownWindowMs', cooldownDefaults.windowMs, 1),
			minRequests: number('cooldownMinRequests', cooldownDefaults.minRequests, 1, Number.MAX_SAFE_INTEGER, true),
			cooldownMs,
			maxCooldownMs: Math.max(cooldownMs, number('maxCooldownMs', cooldownDefaults.maxCooldownMs, 0)),
			probeRequests: number('cooldownProbeRequests', cooldownDefaults.probeRequests, 1, 1_000, true),
			failureStatusCodes: parseStatusCodes(raw.cooldownFailureStatusCodes, cooldownDefaults.failureStatusCodes, problems),
			countConnectionFailures: flag('cooldownCountConnectionFailures', cooldownDefaults.countConnectionFailures),
			probeLeaseMs: timeoutMs + PROBE_LEASE_MARGIN_MS,
		},
	};
	if (problems.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `Invalid delivery options: ${problems.join('; ')}`, { itemIndex });
	}
	return settings;
}

function parseStatusCodes(value: unknown, fallback: number[], problems: string[]): number[] {
	if (value === undefined || value === null) return [...fallback];
	const text = String(value).trim();
	if (text === '') return [];
	const codes: number[] = [];
	for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
		const code = Number(part);
		if (!/^\d{3}$/.test(part) || code < 100 || code > 599) {
			problems.push(`"cooldownFailureStatusCodes" has "${part.slice(0, 20)}", which is not an HTTP status code`);
			continue;
		}
		if (!codes.includes(code)) codes.push(code);
	}
	return codes;
}
