/**
 * The harness (harness.ts) over this package's TypeScript sources: what the jest suites import to run
 * the Braze-Style Webhook and Braze to Braze nodes inside n8n-core's real WorkflowExecute.
 */
import { BrazeApi } from '../../credentials/BrazeApi.credentials';
import { BrazeConnectedContentApi } from '../../credentials/BrazeConnectedContentApi.credentials';
import { BrazeWebhookAuthApi } from '../../credentials/BrazeWebhookAuthApi.credentials';
import { SharedCooldownUpstashApi } from '../../credentials/SharedCooldownUpstashApi.credentials';
import { SharedCooldownWebdisApi } from '../../credentials/SharedCooldownWebdisApi.credentials';
import { BrazeToBraze } from '../../nodes/BrazeToBraze/BrazeToBraze.node';
import { BrazeWebhook } from '../../nodes/BrazeWebhook/BrazeWebhook.node';
import { createHarness, HarnessCredentialsHelper, type TestCredentials } from './harness';

export {
	QueueWorkerStaticData,
	StaticDataStore,
	type ExecuteOptions,
	type ExecutionResult,
	type NodeSpec,
	type TestCredentials,
} from './harness';

export const PACKAGE = 'n8n-nodes-braze-webhooks';

export const harness = createHarness({
	packageName: PACKAGE,
	nodes: [BrazeWebhook, BrazeToBraze],
	credentials: [BrazeApi, BrazeWebhookAuthApi, BrazeConnectedContentApi, SharedCooldownUpstashApi, SharedCooldownWebdisApi],
});

export const WEBHOOK_TYPE = harness.types.brazeWebhook;
export const BRAZE_TO_BRAZE_TYPE = harness.types.brazeToBraze;

export const { executeNode, registerNodeType, getCredentialType } = harness;

/** n8n's CLI CredentialsHelper over this package's credential types. */
export class TestCredentialsHelper extends HarnessCredentialsHelper {
	constructor(credentials: TestCredentials) {
		super(getCredentialType, credentials);
	}
}
