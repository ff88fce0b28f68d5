// The workload every sender uses: the same items and the same bytes on the wire.
// makeItem(i) is the body of research/baseline (see shared/reference/http-baseline.md): 155–165 bytes,
// 161,570 bytes for 1k items and 1,645,670 for 10k.

export function makeItem(i) {
	return {
		external_id: `u-${i}`,
		attr: `v${i}`,
		email: `user${i}@example.com`,
		plan: 'pro',
		country: 'DE',
		signup_ts: '2024-01-01T00:00:00.000Z',
		score: i % 100,
		tags: ['a', 'b'],
	};
}

export function makeItems(n) {
	const items = new Array(n);
	for (let i = 0; i < n; i++) items[i] = makeItem(i);
	return items;
}

/** Braze Liquid that renders exactly JSON.stringify(makeItem(i)) (checked by the server's body digest). */
export const WEBHOOK_BODY =
	'{"external_id":"{{${user_id}}}","attr":"{{${attr}}}","email":"{{${email_address}}}","plan":"{{${plan}}}",' +
	'"country":"{{${country}}}","signup_ts":"{{${signup_ts}}}","score":{{${score}}},"tags":{{${tags} | as_json_string}}}';

/** One /users/track attributes object per item. */
export const USERS_TRACK_BODY =
	'{"attributes":[{"external_id":"{{${user_id}}}","email":"{{${email_address}}}","plan":"{{${plan}}}","score":{{${score}}}}]}';

export const API_KEY = 'bench-braze-rest-key-0000-1111-2222-333344445555';

/** Parameters of the Braze-Style Webhook node posting the item body. */
export function webhookParameters(url, { concurrency = 10, body = WEBHOOK_BODY, auth = false, options = {} } = {}) {
	return {
		url,
		method: 'POST',
		authentication: auth ? 'brazeWebhookAuthApi' : 'none',
		bodyType: 'raw',
		rawBody: body,
		headers: { header: [{ name: 'Content-Type', value: 'application/json' }] },
		options: { concurrency, ...options },
	};
}

/** Parameters of Braze to Braze, Custom Request Body: one attributes object per item. */
export function brazeToBrazeParameters({ batchSize, concurrentRequests, reuseConnections } = {}) {
	return {
		operation: 'customRequestBody',
		body: USERS_TRACK_BODY,
		options: {
			...(batchSize ? { batchSize } : {}),
			...(concurrentRequests ? { concurrentRequests } : {}),
			...(reuseConnections ? { reuseConnections } : {}),
		},
	};
}
