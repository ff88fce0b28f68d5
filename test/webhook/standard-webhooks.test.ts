import { signingKey, webhookMessageId } from '../../nodes/BrazeWebhook/request/standard-webhooks';

describe('Standard Webhooks helpers', () => {
	const parts = { workflowId: 'wf1', executionId: '41', nodeId: 'node-a', itemIndex: 2 };

	it('the webhook-id depends on workflow, execution, node and item, and on nothing else (so a re-run of the node repeats it)', () => {
		expect(webhookMessageId(parts)).toBe(webhookMessageId({ ...parts }));
		const others = [
			{ ...parts, workflowId: 'wf2' },
			{ ...parts, executionId: '42' },
			{ ...parts, nodeId: 'node-b' },
			{ ...parts, itemIndex: 3 },
		].map(webhookMessageId);
		expect(new Set([webhookMessageId(parts), ...others]).size).toBe(5);
	});

	it('without an execution id, two runs get different ids', () => {
		const withoutExecution = { ...parts, executionId: undefined };
		expect(webhookMessageId(withoutExecution)).not.toBe(webhookMessageId(withoutExecution));
	});

	it('reads the secret with or without the whsec_ prefix, and refuses what is not base64', () => {
		const key = Buffer.from('0123456789abcdef0123456789abcdef');
		expect(signingKey(`whsec_${key.toString('base64')}`)).toEqual(key);
		expect(signingKey(` ${key.toString('base64')} `)).toEqual(key);
		for (const bad of ['', 'whsec_', 'whsec_not base64!', 'whsec_abcde']) expect(signingKey(bad)).toBeUndefined();
	});
});
