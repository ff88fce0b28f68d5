/**
 * 10,000 items through the Braze-Style Webhook node against a host that answers a seeded mix of
 * faults. The server's log is the witness: per item, attempts, answers and the time between them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { runWebhook } from '../webhook/helpers';
import { expectedOutcome, FAULT_MIX, SPEC_BY_KIND, startFaultServer, type FaultServer } from './fault-server';

const SEED = 20260901;
const ITEMS = 10_000;
const MAX_RETRIES = 3;
// Generous, so that no answer the server sent races the client's timer on a starved event loop: only
// the `slow` kind, which the server never answers, ends in a timeout.
const TIMEOUT_MS = 30_000;
const CONCURRENCY = 100;
/** The run's own bound (server and hook); a loaded 2-core machine needs a few minutes. */
const RUN_LIMIT_MS = 600_000;

describe('10,000 items against a host answering a seeded fault mix', () => {
	let server: FaultServer;
	let output: INodeExecutionData[];
	let elapsedMs: number;
	let error: unknown;

	beforeAll(async () => {
		resetProcessState();
		server = await startFaultServer({ seed: SEED, ttlMs: RUN_LIMIT_MS });
		const items = Array.from({ length: ITEMS }, (_, i) => ({
			user_id: String(i),
			n: i,
		}));
		const started = Date.now();
		const result = await runWebhook(
			{
				url: `${server.url}/hook?item={{\${user_id}}}`,
				bodyType: 'raw',
				rawBody: '{"user":"{{${user_id}}}","n":{{${n}}}}',
				headers: {
					header: [
						{ name: 'Content-Type', value: 'application/json' },
						{ name: 'X-Item', value: '{{${user_id}}}' },
					],
				},
				options: {
					concurrency: CONCURRENCY,
					maxRetries: MAX_RETRIES,
					initialRetryDelayMs: 20,
					maxRetryDelayMs: 100,
					timeoutMs: TIMEOUT_MS,
					waitBudgetMs: 600_000,
					// The cooldown has its own tests; here it would turn a lucky streak of failures into deferrals.
					hostCooldown: false,
				},
			},
			items,
			{
				onError: 'continueRegularOutput',
				mode: 'trigger',
				workflowId: 'ReliabilityMix001',
			},
		);
		elapsedMs = Date.now() - started;
		error = result.error;
		output = result.outputs[0] ?? [];
		process.stdout.write(`10k mixed faults: ${server.log.length} requests in ${elapsedMs} ms\n`);
	}, RUN_LIMIT_MS);

	afterAll(async () => {
		await server?.close();
		resetProcessState();
	});

	it('every item leaves exactly once, in input order, paired with its input', () => {
		expect(error).toBeUndefined();
		expect(output).toHaveLength(ITEMS);
		expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));
		expect(output.map((item) => item.json.user_id)).toEqual(Array.from({ length: ITEMS }, (_, i) => String(i)));
		expect(server.unnamed()).toBe(0);
		// Nothing followed a redirect: every request went to the hook path.
		expect(server.log.filter((entry) => !entry.url.startsWith('/hook?item='))).toEqual([]);
	});

	it("each item's outcome is exactly what the seeded answers imply", () => {
		const mismatches: string[] = [];
		const counts: Record<string, number> = {};
		for (let i = 0; i < ITEMS; i++) {
			const expected = expectedOutcome(SEED, i, MAX_RETRIES);
			const delivery = output[i].json.delivery as IDataObject;
			const key = expected.reason ? `${expected.status}/${expected.reason}` : expected.status;
			counts[key] = (counts[key] ?? 0) + 1;
			const actual = {
				status: delivery.status,
				reason: delivery.reason,
				attempts: delivery.attempts,
				statusCode: delivery.statusCode,
			};
			const wanted = {
				status: expected.status,
				reason: expected.reason,
				attempts: expected.attempts,
				statusCode: expected.statusCode,
			};
			if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
				mismatches.push(`item ${i}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)} (${expected.kinds.join(', ')})`);
			}
		}
		expect(mismatches.slice(0, 10)).toEqual([]);
		const actualCounts: Record<string, number> = {};
		for (const item of output) {
			const delivery = item.json.delivery as IDataObject;
			const key = delivery.reason ? `${delivery.status}/${delivery.reason}` : String(delivery.status);
			actualCounts[key] = (actualCounts[key] ?? 0) + 1;
		}
		expect(actualCounts).toEqual(counts);
		process.stdout.write(`10k mixed faults: outcomes ${JSON.stringify(counts)}\n`);
	});

	it("the server's log per item is the seeded script's prefix: no extra, no missing attempt", () => {
		const byItem = server.byItem();
		expect(byItem.size).toBe(ITEMS);
		const wrong: string[] = [];
		for (let i = 0; i < ITEMS; i++) {
			const entries = byItem.get(i) ?? [];
			const expected = expectedOutcome(SEED, i, MAX_RETRIES);
			const kinds = entries.map((entry) => entry.kind);
			if (JSON.stringify(kinds) !== JSON.stringify(expected.kinds))
				wrong.push(`item ${i}: ${kinds.join(',')} != ${expected.kinds.join(',')}`);
			// Every attempt carried the item's own rendered body and header.
			for (const entry of entries) {
				if (entry.body !== `{"user":"${i}","n":${i}}` || entry.headers['x-item'] !== String(i))
					wrong.push(`item ${i}: body ${entry.body}`);
			}
		}
		expect(wrong.slice(0, 10)).toEqual([]);
		expect(server.log).toHaveLength(
			[...Array(ITEMS).keys()].reduce((sum, i) => sum + expectedOutcome(SEED, i, MAX_RETRIES).attempts, 0),
		);
	});

	it('no attempt after a 2XX, a redirect, a 400, 401 or 404 (even with Retry-After); at most 1 + maxRetries attempts', () => {
		const violations: string[] = [];
		let finalAnswers = 0;
		for (const [item, entries] of server.byItem()) {
			if (entries.length > MAX_RETRIES + 1) violations.push(`item ${item}: ${entries.length} attempts`);
			entries.forEach((entry, position) => {
				const treatment = SPEC_BY_KIND.get(entry.kind)!.treatment;
				if (treatment !== 'retry') {
					finalAnswers++;
					if (position !== entries.length - 1) violations.push(`item ${item}: retried after ${entry.kind}`);
				}
			});
		}
		expect(violations).toEqual([]);
		// Sent items are exactly those whose last answer was a 2XX that reached the node.
		const sent = new Set(output.flatMap((item, i) => ((item.json.delivery as IDataObject).status === 'sent' ? [i] : [])));
		const last2xx = new Set(
			[...server.byItem()]
				.filter(([, entries]) => SPEC_BY_KIND.get(entries.at(-1)!.kind)!.treatment === 'delivered')
				.map(([item]) => item),
		);
		expect([...sent].sort((a, b) => a - b)).toEqual([...last2xx].sort((a, b) => a - b));
		expect(finalAnswers).toBeGreaterThan(ITEMS * 0.9);
	});

	it('no retry came sooner than the hint of the answer before it', () => {
		const early: string[] = [];
		const waitsByHint: Record<string, { count: number; minSlackMs: number }> = {};
		for (const [item, entries] of server.byItem()) {
			for (let k = 1; k < entries.length; k++) {
				const previous = entries[k - 1];
				if (previous.notBefore === undefined) continue;
				const slack = entries[k].receivedAt - previous.notBefore;
				const stats = (waitsByHint[previous.hint!] ??= {
					count: 0,
					minSlackMs: Infinity,
				});
				stats.count++;
				stats.minSlackMs = Math.min(stats.minSlackMs, slack);
				if (slack < 0)
					early.push(`item ${item} attempt ${k + 1}: ${-slack} ms before the ${previous.hint} hint of ${previous.kind}`);
			}
		}
		expect(early).toEqual([]);
		// Every retriable hint form was exercised and waited out at least once.
		expect(Object.keys(waitsByHint).sort()).toEqual(
			[...new Set(FAULT_MIX.filter((spec) => spec.treatment === 'retry' && spec.hint).map((spec) => spec.hint!))].sort(),
		);
		process.stdout.write(`10k mixed faults: waited hints ${JSON.stringify(waitsByHint)}\n`);
	});

	it('the log covers every fault kind, and answers that never came or were dropped never counted as delivered', () => {
		const seen: Record<string, number> = {};
		for (const entry of server.log) seen[entry.kind] = (seen[entry.kind] ?? 0) + 1;
		expect(Object.keys(seen).sort()).toEqual(FAULT_MIX.map((spec) => spec.kind).sort());
		expect(server.log.filter((e) => (e.kind === 'slow' || e.kind === 'drop') && e.delivered !== false)).toEqual([]);
		expect(server.log.filter((e) => e.kind !== 'slow' && e.kind !== 'drop' && e.delivered !== true)).toEqual([]);
		const attempts: Record<number, number> = {};
		for (const entries of server.byItem().values()) attempts[entries.length] = (attempts[entries.length] ?? 0) + 1;
		process.stdout.write(
			`10k mixed faults: ${server.log.length} requests, ${elapsedMs} ms, items by attempts ${JSON.stringify(attempts)}, answers ${JSON.stringify(seen)}\n`,
		);
	});
});
