/**
 * n8n's Retry On Fail (node Settings) in the real engine: WorkflowExecute runs the node again after a
 * try that threw. Items delivered, aborted or deferred in an earlier try come out with that outcome
 * and reach the host once; only the failing item is sent again.
 */
import type { IDataObject } from 'n8n-workflow';

import { earlierTriesSize, resetEarlierTries } from '../../nodes/shared/n8n/earlier-tries';
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { registerNodeType } from '../harness/engine';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../harness/loopback-server';
import { defineTestNode } from '../support/test-node';
import { deliveries, runWebhook, statuses } from './helpers';

/** Hands its items back once (a loop in the workflow), then ends the execution. */
let loopRuns = 0;
const LOOP_BACK = defineTestNode({
	name: 'loopBackOnce',
	displayName: 'Loop back once',
	description: 'Routes the items back into the node under test, the first time only',
	async execute() {
		return [loopRuns++ === 0 ? this.getInputData() : []];
	},
});
registerNodeType(LOOP_BACK);

const USERS = [{ user_id: 'ok-1' }, { user_id: 'gone' }, { user_id: 'ok-2' }];
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;

/** 404 for /users/gone, 503 for /users/busy, 200 for everyone else. */
function byUser(request: RecordedRequest) {
	if (request.url.endsWith('/gone')) return { status: 404, body: { error: 'no such user' } };
	if (request.url.endsWith('/busy')) return { status: 503, body: 'busy' };
	return { status: 200, body: { ok: true, user: request.url } };
}

function requestsPerUser(server: LoopbackServer): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of server.requests) {
		const user = request.url.split('/').pop() ?? '';
		counts[user] = (counts[user] ?? 0) + 1;
	}
	return counts;
}

describe("Braze-Style Webhook under n8n's Retry On Fail", () => {
	let server: LoopbackServer;
	beforeEach(() => {
		resetProcessState();
		resetEarlierTries();
	});
	afterEach(async () => server?.close());

	it('On Error Stop Workflow: each delivered user gets one request, the 404 user one per try', async () => {
		server = await startLoopbackServer(byUser);
		const result = await runWebhook({ url: `${server.url}/users/{{\${user_id}}}` }, USERS, RETRY_ON_FAIL);

		expect(result.error?.message).toMatch(/404/);
		expect(requestsPerUser(server)).toEqual({ 'ok-1': 1, gone: 3, 'ok-2': 1 });
		// The execution ended: n8n told the node, and nothing is kept.
		expect(earlierTriesSize()).toEqual({ runs: 0, items: 0 });
	});

	it('a deferred or aborted item keeps its first outcome and is not sent again', async () => {
		server = await startLoopbackServer(byUser);
		const users = [...USERS, { user_id: 'busy' }, { user_id: 'quiet' }];
		const result = await runWebhook(
			{
				url: `${server.url}/users/{{\${user_id}}}{% if \${user_id} == "quiet" %}{% abort_message("quiet") %}{% endif %}`,
				options: { waitBudgetMs: 0, hostCooldown: false },
			},
			users,
			RETRY_ON_FAIL,
		);

		expect(result.error?.message).toMatch(/404/);
		expect(requestsPerUser(server)).toEqual({ 'ok-1': 1, gone: 3, 'ok-2': 1, busy: 1 });
	});

	it('On Error Continue: when the first item fails n8n retries, and the delivered users are not sent again', async () => {
		server = await startLoopbackServer(byUser);
		const users = [USERS[1], USERS[0], USERS[2]];
		const result = await runWebhook({ url: `${server.url}/users/{{\${user_id}}}` }, users, {
			...RETRY_ON_FAIL,
			onError: 'continueRegularOutput',
		});

		expect(result.error).toBeUndefined();
		expect(requestsPerUser(server)).toEqual({ gone: 3, 'ok-1': 1, 'ok-2': 1 });
		expect(statuses(result.outputs[0])).toEqual(['failed', 'sent', 'sent']);
		// The replayed outcomes are the first try's: one attempt each, the same response.
		const [, first, second] = deliveries(result.outputs[0]);
		expect(first).toMatchObject({ status: 'sent', attempts: 1, response: { user: '/users/ok-1' } as IDataObject });
		expect(second).toMatchObject({ status: 'sent', attempts: 1, response: { user: '/users/ok-2' } as IDataObject });
	});

	it('an item that fails on the first try and succeeds on the second is sent twice, the others once', async () => {
		let goneAnswers = 0;
		server = await startLoopbackServer((request) => {
			if (request.url.endsWith('/gone') && goneAnswers++ === 0) return { status: 404 };
			return { status: 200, body: { ok: true } };
		});
		const result = await runWebhook({ url: `${server.url}/users/{{\${user_id}}}` }, USERS, RETRY_ON_FAIL);

		expect(result.error).toBeUndefined();
		expect(requestsPerUser(server)).toEqual({ 'ok-1': 1, gone: 2, 'ok-2': 1 });
		expect(statuses(result.outputs[0])).toEqual(['sent', 'sent', 'sent']);
		expect(earlierTriesSize()).toEqual({ runs: 0, items: 0 });
	});

	it('without Retry On Fail nothing is remembered: a second execution sends every item again', async () => {
		server = await startLoopbackServer(byUser);
		const parameters = { url: `${server.url}/users/{{\${user_id}}}` };
		await runWebhook(parameters, [USERS[0]]);
		await runWebhook(parameters, [USERS[0]], RETRY_ON_FAIL);
		await runWebhook(parameters, [USERS[0]], RETRY_ON_FAIL);

		expect(requestsPerUser(server)).toEqual({ 'ok-1': 3 });
		expect(earlierTriesSize()).toEqual({ runs: 0, items: 0 });
	});

	it('a later run of the node in the same execution (a loop) sends its items again', async () => {
		server = await startLoopbackServer(byUser);
		loopRuns = 0;
		const loop = { id: 'node-loop', name: 'Loop', type: LOOP_BACK.type, typeVersion: 1, position: [200, 0] as [number, number], parameters: {} };
		await runWebhook({ url: `${server.url}/users/{{\${user_id}}}` }, [USERS[1], USERS[0]], {
			...RETRY_ON_FAIL,
			onError: 'continueRegularOutput',
			downstream: {
				nodes: [loop],
				connections: {
					'Node Under Test': { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
					Loop: { main: [[{ node: 'Node Under Test', type: 'main', index: 0 }]] },
				},
			},
		});

		// Each run: 3 tries for the 404 user (the first item fails), one request for the other.
		expect(loopRuns).toBe(2);
		expect(requestsPerUser(server)).toEqual({ gone: 6, 'ok-1': 2 });
	});
});
