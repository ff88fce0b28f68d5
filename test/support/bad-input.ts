/**
 * What the bad-input tables of both nodes share: each case fails only the items it concerns, with an
 * error that names the item and the field, while the other items are sent. A template error that
 * every item shares fails every item and sends nothing.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

const PRINT = process.env.PRINT_ERRORS === '1';

export interface Case {
	name: string;
	parameters: INodeParameters;
	/** Item 1 is the bad one unless `allFail`. */
	items: IDataObject[];
	error: string;
	/** The failed item's errorDescription, when the case pins it. */
	description?: string;
	/** A template error every item shares: every item fails with it, nothing is sent. */
	allFail?: boolean;
	/** The failure comes back from the remote host (one request for the bad item). */
	remote?: boolean;
	/** Extra delivery fields expected on the failed item (default: invalid-input). */
	delivery?: IDataObject;
	/** Replaces the credentials (Braze to Braze). */
	apiKey?: string;
	customUrl?: (url: string) => string;
	/**
	 * The clock liquidjs reads for its render-time limit stands still during the run, so that a case
	 * about another limit cannot hit the time limit first on a slow or loaded machine.
	 */
	renderClockStopped?: boolean;
}

/** Runs `run` with the render-time clock standing still when the case asks for it. */
export async function withCaseClock<T>(c: Case, run: () => Promise<T>): Promise<T> {
	if (!c.renderClockStopped) return run();
	const stopped = performance.now();
	const spy = jest.spyOn(performance, 'now').mockReturnValue(stopped);
	try {
		return await run();
	} finally {
		spy.mockRestore();
	}
}

export const three = (bad: IDataObject, good: IDataObject = {}) => [
	{ user_id: 'a', ...good },
	{ user_id: 'b', ...bad },
	{ user_id: 'c', ...good },
];

export function expectOutcome(c: Case, out: INodeExecutionData[]) {
	expect(out).toHaveLength(c.items.length);
	expect(out.map((item) => item.pairedItem)).toEqual(c.items.map((_, item) => ({ item })));
	const bad = c.allFail ? c.items.map((_, i) => i) : [1];
	out.forEach((item, i) => {
		const delivery = item.json.delivery as IDataObject;
		if (!bad.includes(i)) {
			expect([i, delivery.status]).toEqual([i, 'sent']);
			return;
		}
		if (PRINT)
			process.stdout.write(`${c.name}\n  ${JSON.stringify(item.json.error)}\n  ${JSON.stringify(item.json.errorDescription)}\n`);
		expect(item.json.error).toBe(c.allFail ? c.error.replace('[item 0]', `[item ${i}]`) : c.error);
		if (c.description !== undefined) expect(item.json.errorDescription).toBe(c.description);
		expect(delivery).toMatchObject(c.delivery ?? { status: 'failed', reason: 'invalid-input' });
		// The input item's own fields stay with it.
		expect(item.json.user_id).toBe(c.items[i].user_id);
	});
}
