/**
 * Each delivery option once: its version 1 field (flat in Options, milliseconds) and the group and
 * changes of its version 2 field (its own name and label, seconds where version 1 has milliseconds).
 * options.ts lists the version 1 fields; option-groups.ts builds version 2's groups from the same
 * entries. A new option is one entry here.
 */
import type { INodeProperties } from 'n8n-workflow';

export type DeliveryGroupName = 'retries' | 'hostCooldown' | 'limits';

export interface DeliveryOption {
	group: DeliveryGroupName;
	/** Version 1's field; its name is the one the settings reader uses for both versions. */
	flat: INodeProperties;
	/** What version 2's field changes; absent where it shows the version 1 field as it is. */
	grouped?: Partial<INodeProperties> & Pick<INodeProperties, 'displayName' | 'name'>;
	/** Multiplier from version 2's unit to version 1's (seconds to milliseconds: 1000). */
	scale?: number;
}

// Defaults are literals (n8n's lint wants them so); tests check both versions' are DEFAULT_DELIVERY_SETTINGS.
const SECONDS = 1000;

/** In the order of version 2's groups; version 1 lists them sorted by label. */
export const DELIVERY_OPTIONS: DeliveryOption[] = [
	{
		group: 'retries',
		flat: {
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				"Retries after the first attempt for 408, 429, 5XX, timeouts and connection failures (Braze: 5). They run within one run of the node; n8n's Retry On Fail (node Settings) runs the node again after a failure and then re-sends only the items still failing, never one already delivered.",
		},
		grouped: {
			displayName: 'Max Retries',
			name: 'maxRetries',
			description:
				"Retries after the first attempt for 408, 429, 5XX, timeouts and connection failures (Braze: 5). n8n's Retry On Fail (node Settings) runs the node again after a failure and re-sends only the items still failing.",
		},
	},
	{
		group: 'retries',
		flat: {
			displayName: 'Initial Retry Delay (Ms)',
			name: 'initialRetryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 2000,
			description: 'Upper bound of the random delay before the first retry; it doubles with each retry',
		},
		grouped: {
			displayName: 'Initial Retry Delay (Seconds)',
			name: 'initialRetryDelaySeconds',
			default: 2,
			description: 'Upper bound of the random wait before the first retry; it doubles with each retry',
		},
		scale: SECONDS,
	},
	{
		group: 'retries',
		flat: {
			displayName: 'Max Retry Delay (Ms)',
			name: 'maxRetryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60000,
			description: 'Upper bound of any single backoff delay',
		},
		grouped: {
			displayName: 'Max Retry Delay (Seconds)',
			name: 'maxRetryDelaySeconds',
			default: 60,
			description: 'Upper bound of any single wait between retries',
		},
		scale: SECONDS,
	},
	{
		group: 'retries',
		flat: {
			displayName: 'Max Retry-After Hint (Ms)',
			name: 'maxRetryAfterMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300000,
			description:
				'Longest wait a Retry-After or rate-limit reset header can impose; longer hints are cut to this',
		},
		grouped: {
			displayName: 'Max Retry-After Wait (Seconds)',
			name: 'maxRetryAfterSeconds',
			default: 300,
			description: 'Longest wait a Retry-After or rate-limit reset header can impose; longer ones are cut to this',
		},
		scale: SECONDS,
	},
	{
		group: 'retries',
		flat: {
			displayName: 'Wait Budget (Ms)',
			name: 'waitBudgetMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120000,
			description:
				'How long this execution may keep retrying. An item whose next attempt would fall later comes out deferred, with the time to retry it, instead of holding the workflow.',
		},
		grouped: {
			displayName: 'Wait Budget (Seconds)',
			name: 'waitBudgetSeconds',
			default: 120,
			description:
				'How long this run may keep retrying. An item whose next attempt would fall later comes out deferred, with the time to retry it.',
		},
		scale: SECONDS,
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown',
			name: 'hostCooldown',
			type: 'boolean',
			default: true,
			description:
				'Whether to pause requests to a host for a while when most recent requests to it failed, as Braze does. Paused items come out deferred, with the time they may be retried.',
		},
		grouped: { displayName: 'Pause Unhealthy Hosts', name: 'enabled' },
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Length (Ms)',
			name: 'cooldownMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60000,
			description: 'How long requests to an unhealthy host are paused, in milliseconds (Braze: one minute)',
		},
		grouped: {
			displayName: 'Pause Length (Seconds)',
			name: 'pauseSeconds',
			default: 60,
			description: 'How long requests to an unhealthy host are paused (Braze: one minute)',
		},
		scale: SECONDS,
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Max Length (Ms)',
			name: 'maxCooldownMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300000,
			description: 'Each failed probe doubles the pause, up to this many milliseconds',
		},
		grouped: {
			displayName: 'Max Pause Length (Seconds)',
			name: 'maxPauseSeconds',
			default: 300,
			description: 'Each failed probe doubles the pause, up to this',
		},
		scale: SECONDS,
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Window (Ms)',
			name: 'cooldownWindowMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60000,
			description: 'The sliding window, in milliseconds, in which a majority of failed requests pauses the host',
		},
		grouped: {
			displayName: 'Failure Window (Seconds)',
			name: 'windowSeconds',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'The sliding window in which a majority of failed requests pauses the host',
		},
		scale: SECONDS,
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Min Requests',
			name: 'cooldownMinRequests',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 20,
			description: 'The cooldown starts only when at least this many requests to the host fell in the window',
		},
		grouped: {
			displayName: 'Min Requests in Window',
			name: 'minRequests',
			description: 'The pause starts only when at least this many requests to the host fell in the window',
		},
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Probe Requests',
			name: 'cooldownProbeRequests',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 2,
			description:
				'After a pause, this many requests test the host (others stay deferred); they must all succeed before normal sending resumes',
		},
		grouped: { displayName: 'Probe Requests', name: 'probeRequests' },
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Failure Status Codes',
			name: 'cooldownFailureStatusCodes',
			type: 'string',
			default: '408,429,502,503,504,529',
			description:
				"Comma-separated HTTP status codes that count as host failures for the cooldown (Braze's list). 500 is retried but does not count by default.",
		},
		grouped: {
			displayName: 'Failure Status Codes',
			name: 'failureStatusCodes',
			description:
				"Comma-separated HTTP status codes that count as host failures (Braze's list). 500 is retried but does not count by default.",
		},
	},
	{
		group: 'hostCooldown',
		flat: {
			displayName: 'Host Cooldown Count Connection Failures',
			name: 'cooldownCountConnectionFailures',
			type: 'boolean',
			default: true,
			description: 'Whether timeouts and failed connections count as host failures for the cooldown',
		},
		grouped: {
			displayName: 'Count Connection Failures',
			name: 'countConnectionFailures',
			description: 'Whether timeouts and failed connections count as host failures',
		},
	},
	{
		group: 'limits',
		flat: {
			displayName: 'Request Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 90000,
			description: 'Time allowed for each attempt (Braze: 90 seconds); a timed-out attempt is retried',
		},
		grouped: {
			displayName: 'Request Timeout (Seconds)',
			name: 'timeoutSeconds',
			typeOptions: { minValue: 0.001 },
			default: 90,
		},
		scale: SECONDS,
	},
	{
		group: 'limits',
		flat: {
			displayName: 'Follow Redirects',
			name: 'followRedirects',
			type: 'boolean',
			default: false,
			description:
				'Whether to follow 3XX redirects. Off by default, as in Braze: a redirect is then neither delivered nor retried.',
		},
	},
];
