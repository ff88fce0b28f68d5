/**
 * Recipes 09 and 10 in the real engine: the Braze to Braze node of each recipe, with the items its
 * Code node makes, against the endpoints stand-in; what Braze receives is what the recipe's
 * .e2e.json expects from real n8n.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BrazeEndpointsStandIn } from './endpoints-stand-in';
import { deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const KEY = 'example-braze-rest-key';

interface RecipeNode {
	type: string;
	parameters: IDataObject;
}

function loadRecipe(name: string) {
	const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as { nodes: RecipeNode[] };
	const expectation = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.e2e.json`), 'utf8')) as {
		runs: Array<{ requests: { braze: Array<{ path: string; json: IDataObject }> } }>;
	};
	const node = workflow.nodes.find((n) => n.type === 'n8n-nodes-braze-webhooks.brazeToBraze')!;
	const code = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.code')!;
	// The Code node's sample items (plain data, no n8n helpers).
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const items = (new Function(String(code.parameters.jsCode))() as Array<{ json: IDataObject }>).map((item) => item.json);
	return { parameters: node.parameters as INodeParameters, items, expected: expectation.runs[0].requests.braze };
}

let braze: BrazeEndpointsStandIn | undefined;
beforeEach(() => resetDeliveryState());
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

it.each(['09-trigger-second-canvas', '10-crm-unsubscribe-to-braze'])('recipe %s sends what its expectation file says', async (name) => {
	braze = await BrazeEndpointsStandIn.start({ keys: { [KEY]: ['canvas.trigger.send', 'subscription.status.set'] } });
	const { parameters, items, expected } = loadRecipe(name);
	const result = await runBrazeToBraze(braze, parameters, items, { apiKey: KEY });
	expect(result.error).toBeUndefined();
	expect(braze.accepted.map((call) => ({ path: call.path, json: call.body }))).toEqual(expected.map(({ path: p, json }) => ({ path: p, json })));
	expect(deliveries(result.outputs[0]).every((delivery) => delivery.status === 'sent')).toBe(true);
});
