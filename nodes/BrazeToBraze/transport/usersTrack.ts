/**
 * Sends one `/users/track` batch through the shared delivery core (Braze's retry rules, rate-limit
 * pacing, host cooldown) with the `brazeApi` credential, and reads Braze's answer.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { BRAZE_API_SECRET_FIELDS } from '../../../credentials/BrazeApi.credentials';
import { brazeBaseUrl } from '../../shared/braze/instances';
import type { UsersTrackBody } from '../../shared/braze/users-track';
import type { DeliveryRequest, DeliveryResult, DeliverySession } from '../../shared/delivery';
import { credentialSecretValues, SecretScrubber } from '../../shared/n8n/secrets';

export const CREDENTIAL_TYPE = 'brazeApi';
export const USERS_TRACK_PATH = '/users/track';

export interface BrazeConnection {
	url: string;
	/** The REST endpoint without a path, for the endpoints other than /users/track. */
	base: string;
	/** Removes the API key from anything Braze (or a proxy) echoes back. */
	scrubber: SecretScrubber;
}

/** Where to send, from the credential. Authentication itself is applied by n8n per request. */
export async function readConnection(ctx: IExecuteFunctions): Promise<BrazeConnection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const secrets = credentialSecretValues(credentials, BRAZE_API_SECRET_FIELDS);
	const base = brazeBaseUrl(credentials);
	if (!/^https?:\/\/[^/?#\s]+/i.test(base)) {
		throw new NodeOperationError(ctx.getNode(), 'The Braze API credential has no valid REST endpoint', {
			itemIndex: 0,
			description:
				'Choose your REST instance in the credential, or enter a custom endpoint URL such as https://rest.iad-01.braze.com',
		});
	}
	return {
		url: `${base}${USERS_TRACK_PATH}`,
		base,
		scrubber: new SecretScrubber([...secrets, ...secrets.map((secret) => secret.trim())]),
	};
}

export function usersTrackRequest(url: string, body: UsersTrackBody | Record<string, unknown>): DeliveryRequest {
	return {
		url,
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body,
		json: true,
		credentialType: CREDENTIAL_TYPE,
	};
}

export async function sendUsersTrack(
	session: DeliverySession,
	connection: BrazeConnection,
	body: UsersTrackBody,
): Promise<DeliveryResult> {
	const result = await session.send(usersTrackRequest(connection.url, body));
	return connection.scrubber.deep(result);
}

/** One request to another Braze endpoint (`path` such as /canvas/trigger/send), same rules. */
export async function sendBrazeRequest(
	session: DeliverySession,
	connection: BrazeConnection,
	path: string,
	body: Record<string, unknown>,
): Promise<DeliveryResult> {
	const result = await session.send(usersTrackRequest(`${connection.base}${path}`, body));
	return connection.scrubber.deep(result);
}
