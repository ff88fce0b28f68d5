// The workflows the queue-mode suite runs: a production webhook whose body carries the items, a Code
// node that turns the body into items, and one of the package's nodes sending them to a loopback host. The webhook answers with every item the last node output (`lastNode`, `allEntries`).
import { NODE_TYPES } from './n8n.mjs';

let nodeCounter = 0;
const nodeId = () => `00000000-0000-4000-9000-${String(++nodeCounter).padStart(12, '0')}`;

/**
 * @param {{id: string, name: string, path: string, url: string, options: object, itemsCode?: string,
 *   staticData?: object, parameters?: object, credentials?: object}} spec  url: an n8n expression over
 *   each item (`$json`) and `$execution`; parameters and credentials: more for the webhook node (e.g.
 *   the shared cooldown store).
 */
export function webhookWorkflow({ id, name, path, url, options, itemsCode, staticData, parameters = {}, credentials }) {
	return deliveryWorkflow({ id, name, path, itemsCode, staticData }, {
		name: 'Send webhook',
		type: NODE_TYPES.brazeWebhook,
		parameters: {
			url,
			method: 'POST',
			authentication: 'none',
			bodyType: 'keyValue',
			bodyPairs: { pair: [{ key: 'id', value: '={{ $json.id }}' }] },
			options,
			...parameters,
		},
		...(credentials ? { credentials } : {}),
	});
}

/** Braze to Braze incrementing `seen` on each item's `external_id`, through the given Braze API credential. */
export function brazeToBrazeWorkflow({ id, name, path, credential, options }) {
	return deliveryWorkflow({ id, name, path }, {
		name: 'Braze to Braze',
		type: NODE_TYPES.brazeToBraze,
		parameters: {
			operation: 'incrementCustomAttribute',
			identifierType: 'external_id',
			externalId: '={{ $json.external_id }}',
			attributeName: 'seen',
			incrementBy: 1,
			options,
		},
		credentials: { brazeApi: { id: credential.id, name: credential.name } },
	});
}

function deliveryWorkflow({ id, name, path, itemsCode, staticData }, send) {
	const names = { trigger: 'Production webhook', items: 'Items from body', send: send.name };
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		...(staticData ? { staticData } : {}),
		nodes: [
			{
				id: nodeId(),
				name: names.trigger,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id.toLowerCase()}-hook`,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: nodeId(),
				name: names.items,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: itemsCode ?? 'return $json.body.items.map((json) => ({ json }));' },
			},
			{ id: nodeId(), typeVersion: 1, position: [440, 0], onError: 'continueRegularOutput', ...send },
		],
		connections: {
			[names.trigger]: { main: [[{ node: names.items, type: 'main', index: 0 }]] },
			[names.items]: { main: [[{ node: names.send, type: 'main', index: 0 }]] },
		},
	};
}

/** POSTs to a production webhook; resolves with the items the workflow answered. */
export async function callWebhook(baseUrl, path, body, { timeoutMs = 180_000 } = {}) {
	const res = await fetch(`${baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`webhook ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
	const json = JSON.parse(text);
	return Array.isArray(json) ? json : [json];
}

/** Runs `tasks` (functions returning promises) with at most `limit` at once; results in order. */
export async function inBatches(tasks, limit) {
	const results = new Array(tasks.length);
	let next = 0;
	const lane = async () => {
		while (next < tasks.length) {
			const i = next++;
			results[i] = await tasks[i]();
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
	return results;
}
