import { DEFAULT_COOLDOWN_SETTINGS, type CooldownSettings } from './host-cooldown';

export interface DeliverySettings {
	/** Retries after the first attempt (Braze: up to 5). */
	maxRetries: number;
	/** Ceiling of the first retry's jittered delay; doubles per retry. */
	initialDelayMs: number;
	/** Ceiling of any single backoff delay. */
	maxDelayMs: number;
	/** Per attempt (Braze allows each webhook 90 s). */
	timeoutMs: number;
	/** An item whose next attempt would start later than this after the session began is deferred. */
	waitBudgetMs: number;
	/** Longest wait a server hint (Retry-After, rate-limit reset) can impose. */
	maxHintMs: number;
	followRedirects: boolean;
	/** Send through the global fetch with keep-alive where it can do what n8n's helper does (transport/). */
	reuseConnections: boolean;
	cooldown: CooldownSettings & { enabled: boolean };
}

/** Slack between an attempt's timeout and the moment its probe slot is handed out again. */
export const PROBE_LEASE_MARGIN_MS = 10_000;

/**
 * Braze's rules where they fit a node that holds its execution open while it waits: Braze spreads 5
 * retries over 30 minutes in the background; here the worst case of the default schedule
 * (2 + 4 + 8 + 16 + 32 s of backoff) fits inside the 2-minute wait budget, so without server hints
 * or an open cooldown nothing is deferred, and a slower host defers instead of blocking.
 */
export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
	maxRetries: 5,
	initialDelayMs: 2_000,
	maxDelayMs: 60_000,
	timeoutMs: 90_000,
	waitBudgetMs: 120_000,
	maxHintMs: 300_000,
	followRedirects: false,
	reuseConnections: false,
	cooldown: {
		...DEFAULT_COOLDOWN_SETTINGS,
		probeLeaseMs: 90_000 + PROBE_LEASE_MARGIN_MS,
		enabled: true,
	},
};
