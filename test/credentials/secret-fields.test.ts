import { BRAZE_API_SECRET_FIELDS, BrazeApi } from '../../credentials/BrazeApi.credentials';
import {
	BRAZE_CONNECTED_CONTENT_SECRET_FIELDS,
	BrazeConnectedContentApi,
} from '../../credentials/BrazeConnectedContentApi.credentials';
import {
	BRAZE_WEBHOOK_AUTH_SECRET_FIELDS,
	BrazeWebhookAuthApi,
} from '../../credentials/BrazeWebhookAuthApi.credentials';
import {
	SHARED_COOLDOWN_UPSTASH_SECRET_FIELDS,
	SharedCooldownUpstashApi,
} from '../../credentials/SharedCooldownUpstashApi.credentials';
import {
	SHARED_COOLDOWN_WEBDIS_SECRET_FIELDS,
	SharedCooldownWebdisApi,
} from '../../credentials/SharedCooldownWebdisApi.credentials';

// Nodes scrub outputs of the values of these fields: a password field missing from the list would leak.
describe('credential secret fields', () => {
	it.each([
		['brazeApi', new BrazeApi().properties, BRAZE_API_SECRET_FIELDS],
		['brazeConnectedContentApi', new BrazeConnectedContentApi().properties, BRAZE_CONNECTED_CONTENT_SECRET_FIELDS],
		['brazeWebhookAuthApi', new BrazeWebhookAuthApi().properties, BRAZE_WEBHOOK_AUTH_SECRET_FIELDS],
		['sharedCooldownUpstashApi', new SharedCooldownUpstashApi().properties, SHARED_COOLDOWN_UPSTASH_SECRET_FIELDS],
		['sharedCooldownWebdisApi', new SharedCooldownWebdisApi().properties, SHARED_COOLDOWN_WEBDIS_SECRET_FIELDS],
	])('%s lists exactly its password fields', (_name, properties, listed) => {
		const passwordFields = properties.filter((property) => property.typeOptions?.password === true).map((p) => p.name);
		expect([...listed].sort()).toEqual(passwordFields.sort());
	});
});
