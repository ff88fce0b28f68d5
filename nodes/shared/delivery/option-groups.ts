/**
 * Version 2's options, grouped by purpose: Retries, Host Cooldown and Limits, each its own collection
 * next to Options, with units in the labels (seconds where version 1 had milliseconds). Saved as
 * `<group>.<field>` parameters; `flattenOptionGroups` turns them into version 1's flat names and
 * units, so one reader validates both versions. A new option goes into the group it belongs to, with
 * the flat name its reader uses. (One collection per group, not groups inside Options: n8n's editor
 * cuts the labels of fields nested two levels deep.)
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

// Defaults are literals (n8n's lint wants them so); a test checks they are DEFAULT_DELIVERY_SETTINGS.
const SECONDS = 1000;
const secondsField = { type: 'number' as const, typeOptions: { minValue: 0 } };

/** One field of a group, and the flat (version 1) option it stands for. */
export interface GroupedField {
	property: INodeProperties;
	/** Version 1's option name; the field's own name when absent. */
	flatName?: string;
	/** Multiplier from the field's unit to the flat option's (seconds to milliseconds: 1000). */
	scale?: number;
}

export interface OptionGroup {
	name: string;
	displayName: string;
	placeholder: string;
	description: string;
	fields: GroupedField[];
}

export const RETRY_FIELDS: GroupedField[] = [
	{
		property: {
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				"Retries after the first attempt for 408, 429, 5XX, timeouts and connection failures (Braze: 5). n8n's Retry On Fail (node Settings) runs the node again after a failure and re-sends only the items still failing.",
		},
	},
	{
		property: {
			displayName: 'Initial Retry Delay (Seconds)',
			name: 'initialRetryDelaySeconds',
			...secondsField,
			default: 2,
			description: 'Upper bound of the random wait before the first retry; it doubles with each retry',
		},
		flatName: 'initialRetryDelayMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Max Retry Delay (Seconds)',
			name: 'maxRetryDelaySeconds',
			...secondsField,
			default: 60,
			description: 'Upper bound of any single wait between retries',
		},
		flatName: 'maxRetryDelayMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Max Retry-After Wait (Seconds)',
			name: 'maxRetryAfterSeconds',
			...secondsField,
			default: 300,
			description: 'Longest wait a Retry-After or rate-limit reset header can impose; longer ones are cut to this',
		},
		flatName: 'maxRetryAfterMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Wait Budget (Seconds)',
			name: 'waitBudgetSeconds',
			...secondsField,
			default: 120,
			description:
				'How long this run may keep retrying. An item whose next attempt would fall later comes out deferred, with the time to retry it.',
		},
		flatName: 'waitBudgetMs',
		scale: SECONDS,
	},
];

export const COOLDOWN_FIELDS: GroupedField[] = [
	{
		property: {
			displayName: 'Pause Unhealthy Hosts',
			name: 'enabled',
			type: 'boolean',
			default: true,
			description:
				'Whether to pause requests to a host for a while when most recent requests to it failed, as Braze does. Paused items come out deferred, with the time they may be retried.',
		},
		flatName: 'hostCooldown',
	},
	{
		property: {
			displayName: 'Pause Length (Seconds)',
			name: 'pauseSeconds',
			...secondsField,
			default: 60,
			description: 'How long requests to an unhealthy host are paused (Braze: one minute)',
		},
		flatName: 'cooldownMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Max Pause Length (Seconds)',
			name: 'maxPauseSeconds',
			...secondsField,
			default: 300,
			description: 'Each failed probe doubles the pause, up to this',
		},
		flatName: 'maxCooldownMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Failure Window (Seconds)',
			name: 'windowSeconds',
			...secondsField,
			default: 60,
			description: 'The sliding window in which a majority of failed requests pauses the host',
		},
		flatName: 'cooldownWindowMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Min Requests in Window',
			name: 'minRequests',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 20,
			description: 'The pause starts only when at least this many requests to the host fell in the window',
		},
		flatName: 'cooldownMinRequests',
	},
	{
		property: {
			displayName: 'Probe Requests',
			name: 'probeRequests',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 2,
			description:
				'After a pause, this many requests test the host (others stay deferred); they must all succeed before normal sending resumes',
		},
		flatName: 'cooldownProbeRequests',
	},
	{
		property: {
			displayName: 'Failure Status Codes',
			name: 'failureStatusCodes',
			type: 'string',
			default: '408,429,502,503,504,529',
			description:
				"Comma-separated HTTP status codes that count as host failures (Braze's list). 500 is retried but does not count by default.",
		},
		flatName: 'cooldownFailureStatusCodes',
	},
	{
		property: {
			displayName: 'Count Connection Failures',
			name: 'countConnectionFailures',
			type: 'boolean',
			default: true,
			description: 'Whether timeouts and failed connections count as host failures',
		},
		flatName: 'cooldownCountConnectionFailures',
	},
];

/** The Limits both nodes have; a node adds its own (concurrency, body size, hosts) with `limitsGroup`. */
export const SHARED_LIMIT_FIELDS: GroupedField[] = [
	{
		property: {
			displayName: 'Request Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 0.001 },
			default: 90,
			description: 'Time allowed for each attempt (Braze: 90 seconds); a timed-out attempt is retried',
		},
		flatName: 'timeoutMs',
		scale: SECONDS,
	},
	{
		property: {
			displayName: 'Follow Redirects',
			name: 'followRedirects',
			type: 'boolean',
			default: false,
			description:
				'Whether to follow 3XX redirects. Off by default, as in Braze: a redirect is then neither delivered nor retried.',
		},
	},
];

export const retriesGroup: OptionGroup = {
	name: 'retries',
	displayName: 'Retries',
	placeholder: 'Add Retry Option',
	description: 'How often and how long failed requests are retried',
	fields: RETRY_FIELDS,
};

export const hostCooldownGroup: OptionGroup = {
	name: 'hostCooldown',
	displayName: 'Host Cooldown',
	placeholder: 'Add Cooldown Option',
	description:
		'Pausing a host that keeps failing, as Braze does (on by default). The settings apply while Pause Unhealthy Hosts is on.',
	fields: COOLDOWN_FIELDS,
};

/** The Limits group: the node's own limits first, then the shared ones. */
export function limitsGroup(nodeFields: GroupedField[] = []): OptionGroup {
	return {
		name: 'limits',
		displayName: 'Limits',
		placeholder: 'Add Limit',
		description: 'How much is sent at once, how long an attempt may take, and where requests may go',
		fields: [...nodeFields, ...SHARED_LIMIT_FIELDS],
	};
}

/** A group as a collection of its own: its header shows, and "Add" lists its fields. */
export function groupProperty(group: OptionGroup): INodeProperties {
	return {
		displayName: group.displayName,
		name: group.name,
		type: 'collection',
		placeholder: group.placeholder,
		default: {},
		description: group.description,
		options: group.fields.map((field) => field.property).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * Version 2's parameters (`options` and one collection per group) as version 1's flat Options: names
 * and units; options outside the groups pass through.
 */
export function flattenOptionGroups(parameters: IDataObject, groups: OptionGroup[]): IDataObject {
	const flat: IDataObject = { ...((parameters.options ?? {}) as IDataObject) };
	// A grouped option is read from its group only, never from a flat name left in Options.
	for (const group of groups) for (const field of group.fields) delete flat[field.flatName ?? field.property.name];
	for (const group of groups) {
		const values = (parameters[group.name] ?? {}) as IDataObject;
		for (const field of group.fields) {
			const value = values[field.property.name];
			if (value === undefined) continue;
			const scaled = field.scale && typeof value === 'number' ? Math.round(value * field.scale) : value;
			flat[field.flatName ?? field.property.name] = scaled;
		}
	}
	return flat;
}

/** The label and unit scale of a flat option in version 2, for error messages. */
export function groupedLabel(flatName: string, groups: OptionGroup[]): { label: string; scale: number } | undefined {
	for (const group of groups) {
		const field = group.fields.find((candidate) => (candidate.flatName ?? candidate.property.name) === flatName);
		if (field) return { label: `${group.displayName}: ${field.property.displayName}`, scale: field.scale ?? 1 };
	}
	return undefined;
}

/** The groups whose fields the delivery session reads; a node's own Limits fields are read by the node. */
export const DELIVERY_GROUPS: OptionGroup[] = [retriesGroup, hostCooldownGroup, limitsGroup()];

/**
 * A node's Options in version 1's flat names and units, whichever version the node is: version 1's
 * collection as saved, version 2's groups flattened.
 */
export function readFlatOptions(ctx: IExecuteFunctions, itemIndex: number, groups: OptionGroup[]): IDataObject {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (!usesOptionGroups(ctx)) return options;
	const parameters: IDataObject = { options };
	for (const group of groups) parameters[group.name] = ctx.getNodeParameter(group.name, itemIndex, {}) as IDataObject;
	return flattenOptionGroups(parameters, groups);
}

export function usesOptionGroups(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().typeVersion >= 2;
}
