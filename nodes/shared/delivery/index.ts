/**
 * What the nodes use of delivery. Everything else stays inside this folder; its tests import the
 * file they test.
 */
export type { DeliveryRequest } from './attempt';
export type { SendRequest } from './attempt-headers';
export { mapWithConcurrency } from './concurrency';
export { deliveryOptions, readDeliverySettings, reuseConnectionsOption } from './options';
export {
	groupProperty,
	hostCooldownGroup,
	limitsGroup,
	readFlatOptions,
	retriesGroup,
	type GroupedField,
	type OptionGroup,
} from './option-groups';
export { sessionFields, type DeliveryResult } from './results';
export { DeliverySession } from './session';
export { sharedCooldownStoreProperty } from './shared-store/n8n-store';
