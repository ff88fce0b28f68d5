/**
 * The delivery settings as node options (for a node's "Options" collection) and their reader.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

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

/** Version 1's option entries, spread into a node's Options collection (version 2 groups them: option-groups.ts). */
export const deliveryOptions: INodeProperties[] = [
	{
		displayName: 'Follow Redirects',
		name: 'followRedirects',
		type: 'boolean',
		default: false,
		description:
			'Whether to follow 3XX redirects. Off by default, as in Braze: a redirect is then neither delivered nor retried.',
	},
	{
		displayName: 'Host Cooldown',
		name: 'hostCooldown',
		type: 'boolean',
		default: true,
		description:
			'Whether to pause requests to a host for a while when most recent requests to it failed, as Braze does. Paused items come out deferred, with the time they may be retried.',
	},
	{
		displayName: 'Host Cooldown Count Connection Failures',
		name: 'cooldownCountConnectionFailures',
		type: 'boolean',
		default: true,
		description: 'Whether timeouts and failed connections count as host failures for the cooldown',
	},
	{
		displayName: 'Host Cooldown Failure Status Codes',
		name: 'cooldownFailureStatusCodes',
		type: 'string',
		default: '408,429,502,503,504,529',
		description:
			"Comma-separated HTTP status codes that count as host failures for the cooldown (Braze's list). 500 is retried but does not count by default.",
	},
	{
		displayName: 'Host Cooldown Length (Ms)',
		name: 'cooldownMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60000,
		description: 'How long requests to an unhealthy host are paused, in milliseconds (Braze: one minute)',
	},
	{
		displayName: 'Host Cooldown Max Length (Ms)',
		name: 'maxCooldownMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 300000,
		description: 'Each failed probe doubles the pause, up to this many milliseconds',
	},
	{
		displayName: 'Host Cooldown Min Requests',
		name: 'cooldownMinRequests',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 20,
		description: 'The cooldown starts only when at least this many requests to the host fell in the window',
	},
	{
		displayName: 'Host Cooldown Probe Requests',
		name: 'cooldownProbeRequests',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 2,
		description:
			'After a pause, this many requests test the host (others stay deferred); they must all succeed before normal sending resumes',
	},
	{
		displayName: 'Host Cooldown Window (Ms)',
		name: 'cooldownWindowMs',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60000,
		description: 'The sliding window, in milliseconds, in which a majority of failed requests pauses the host',
	},
	{
		displayName: 'Initial Retry Delay (Ms)',
		name: 'initialRetryDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 2000,
		description: 'Upper bound of the random delay before the first retry; it doubles with each retry',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 5,
		description:
			"Retries after the first attempt for 408, 429, 5XX, timeouts and connection failures (Braze: 5). They run within one run of the node; n8n's Retry On Fail (node Settings) runs the node again after a failure and then re-sends only the items still failing, never one already delivered.",
	},
	{
		displayName: 'Max Retry Delay (Ms)',
		name: 'maxRetryDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60000,
		description: 'Upper bound of any single backoff delay',
	},
	{
		displayName: 'Max Retry-After Hint (Ms)',
		name: 'maxRetryAfterMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 300000,
		description:
			'Longest wait a Retry-After or rate-limit reset header can impose; longer hints are cut to this',
	},
	{
		displayName: 'Request Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 90000,
		description: 'Time allowed for each attempt (Braze: 90 seconds); a timed-out attempt is retried',
	},
	reuseConnectionsOption,
	{
		displayName: 'Wait Budget (Ms)',
		name: 'waitBudgetMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120000,
		description:
			'How long this execution may keep retrying. An item whose next attempt would fall later comes out deferred, with the time to retry it, instead of holding the workflow.',
	},
];

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
