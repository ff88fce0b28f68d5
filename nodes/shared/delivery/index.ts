export type { DeliveryRequest } from './attempt';
export { backoffCeilingMs, fullJitterDelayMs, HINT_SPREAD_RATIO, retryDelayMs, type BackoffSettings } from './backoff';
export {
	classifyRequestError,
	classifyStatus,
	type ClassifiedError,
	type ErrorKind,
	type StatusVerdict,
} from './classify';
export { mapWithConcurrency } from './concurrency';
export {
	CooldownStore,
	readPersistedHosts,
	STATE_VERSION,
	STATIC_DATA_NAMESPACE,
	type PersistedDeliveryState,
} from './cooldown-store';
export {
	admit,
	cooldownFor,
	countsAsHostFailure,
	DEFAULT_COOLDOWN_SETTINGS,
	initialHostState,
	mergeHostStates,
	parseHostState,
	peekAdmission,
	pruneHosts,
	recordOutcome,
	releaseProbe,
	windowTotals,
	type Admission,
	type AttemptSignal,
	type CooldownPhase,
	type CooldownSettings,
	type HostCooldownState,
	type WindowBucket,
} from './host-cooldown';
export { deliveryOptions, deliveryOptionsCollection, readDeliverySettings } from './options';
export {
	DEFAULT_PACER_SETTINGS,
	initialPacerState,
	observeResponse,
	reserveSlot,
	type PacerSettings,
	type PacerState,
} from './pacer';
export { resetProcessState } from './process-state';
export {
	normalizeHeaders,
	parseHttpDate,
	parseRateLimitHeaders,
	parseReset,
	parseRetryAfter,
	retryHintMs,
	type HeaderBag,
	type RateLimitHints,
} from './rate-limit-headers';
export {
	DeliverySession,
	MANUAL_MODE_HINT,
	type DeliverySessionOptions,
} from './session';
export type { DeliveryResult } from './results';
export { DEFAULT_DELIVERY_SETTINGS, PROBE_LEASE_MARGIN_MS, type DeliverySettings } from './settings';
