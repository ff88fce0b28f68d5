/**
 * One non-default value for every delivery option, and the settings they read as: version 1's test
 * sets them by their flat names in milliseconds, version 2's in its groups in seconds; both must read
 * as these same settings.
 */
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from '../../nodes/shared/delivery/settings';

export const EVERY_OPTION_SETTINGS: DeliverySettings = {
	...DEFAULT_DELIVERY_SETTINGS,
	maxRetries: 2,
	initialDelayMs: 10,
	maxDelayMs: 20,
	timeoutMs: 300,
	waitBudgetMs: 400,
	maxHintMs: 500,
	followRedirects: true,
	reuseConnections: true,
	cooldown: {
		...DEFAULT_DELIVERY_SETTINGS.cooldown,
		enabled: false,
		windowMs: 600,
		minRequests: 7,
		cooldownMs: 800,
		maxCooldownMs: 900,
		probeRequests: 3,
		failureStatusCodes: [503, 429],
		countConnectionFailures: false,
		probeLeaseMs: 300 + 10_000,
	},
};
