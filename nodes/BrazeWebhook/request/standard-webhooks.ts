/**
 * Signed webhooks in the Standard Webhooks form (https://www.standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` (`v1,` base64 HMAC-SHA256 of `id.timestamp.body`).
 */
import { createHash, createHmac, randomUUID } from 'crypto';

export const SIGNING_SECRET_PREFIX = 'whsec_';

export const MALFORMED_SIGNING_SECRET = `The signing secret is not in the form ${SIGNING_SECRET_PREFIX}<base64> (for example ${SIGNING_SECRET_PREFIX}MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)`;

/** The base64 part of a `whsec_` secret (receivers accept it with or without the prefix). */
export function encodedSigningSecret(secret: string): string {
	const trimmed = secret.trim();
	return trimmed.startsWith(SIGNING_SECRET_PREFIX) ? trimmed.slice(SIGNING_SECRET_PREFIX.length) : trimmed;
}

/** The HMAC key a `whsec_` secret stands for, or undefined when it is not valid base64. */
export function signingKey(secret: string): Buffer | undefined {
	const encoded = encodedSigningSecret(secret);
	if (encoded === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 === 1) return undefined;
	return Buffer.from(encoded, 'base64');
}

/**
 * One logical delivery's id: the same for every attempt of an item and for n8n's Retry On Fail of
 * the same execution, so the receiver can deduplicate; different in every other execution. Without
 * an execution id, a random one keeps ids of separate runs apart.
 */
export function webhookMessageId(parts: { workflowId?: string; executionId?: string; nodeId: string; itemIndex: number }): string {
	const source = [parts.workflowId ?? '', parts.executionId ?? randomUUID(), parts.nodeId, String(parts.itemIndex)].join('\n');
	return `msg_${createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The three headers for one attempt. The body is signed as the UTF-8 bytes that go on the wire (the
 * node renders text bodies; an object would go out as its JSON).
 */
export function standardWebhookHeaders(
	key: Buffer,
	messageId: string,
	nowMs: number,
	body: string | object | undefined,
): Record<string, string> {
	const timestamp = String(Math.floor(nowMs / 1000));
	const text = typeof body === 'object' ? JSON.stringify(body) : (body ?? '');
	const signature = createHmac('sha256', key)
		.update(`${messageId}.${timestamp}.`, 'utf8')
		.update(text, 'utf8')
		.digest('base64');
	return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
