/**
 * Braze to Braze under n8n's Retry On Fail (node Settings), in the real engine: the objects of items
 * Braze accepted in an earlier try are not sent again; only the items still failing are.
 */
import { resetEarlierTries, earlierTriesSize } from '../../nodes/shared/n8n/earlier-tries';
import { BrazeStandIn } from './braze-stand-in';
import { API_KEY, deliveries, resetDeliveryState, runBrazeToBraze } from './helpers';

let braze: BrazeStandIn | undefined;

beforeEach(() => {
	resetDeliveryState();
	resetEarlierTries();
});
afterEach(async () => {
	await braze?.close();
	braze = undefined;
});

const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;
const trackEmail = {
	operation: 'trackUser',
	externalId: '={{ $json.id }}',
	attributes: { attribute: [{ name: 'email', type: 'string', stringValue: '={{ $json.email }}' }] },
	options: { batchSize: 10, maxRetries: 0 },
};

function users(count: number, badEmailAt?: number) {
	return Array.from({ length: count }, (_, i) => ({ id: `u${i}`, email: i === badEmailAt ? 'not-an-email' : `u${i}@example.com` }));
}

/** How many times Braze queued each user's attributes. */
function acceptedPerUser(standIn: BrazeStandIn): Map<string, number> {
	const counts = new Map<string, number>();
	for (const { body } of standIn.accepted) {
		for (const object of body.attributes ?? []) {
			const id = String((object as { external_id: string }).external_id);
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
	}
	return counts;
}

describe("Braze to Braze under n8n's Retry On Fail", () => {
	it('a batch that failed is sent again in the next try; the batches Braze accepted are not', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const standIn = braze;
		standIn.server.setScript((request) => (request.index === 1 ? { status: 503 } : standIn.answer(request)));
		const result = await runBrazeToBraze(standIn, trackEmail, users(30), RETRY_ON_FAIL);

		expect(result.error).toBeUndefined();
		// Try 1: batch 1 accepted, batch 2 answered 503 (stop). Try 2: items 10 to 29 only, in 2 batches.
		expect(standIn.requests).toHaveLength(4);
		expect([...acceptedPerUser(standIn).values()]).toEqual(Array(30).fill(1));
		const out = deliveries(result.outputs[0]);
		expect(out.map((delivery) => delivery.status)).toEqual(Array(30).fill('sent'));
		// Items of batch 1 come out with their first try's outcome.
		expect(out[0]).toMatchObject({ status: 'sent', batch: 1 });
		expect(out[10]).toMatchObject({ status: 'sent', batch: 1 });
		expect(earlierTriesSize()).toEqual({ runs: 0, items: 0 });
	});

	it('an item whose object Braze rejected fails again in every try, without sending its batch again', async () => {
		braze = await BrazeStandIn.start({ apiKey: API_KEY });
		const result = await runBrazeToBraze(braze, trackEmail, users(30, 15), RETRY_ON_FAIL);

		expect(result.error?.message).toBe("Braze rejected an object of this item: The value provided for the 'email' field is not a valid email.");
		expect(result.error?.context?.itemIndex).toBe(15);
		expect(result.error?.context?.delivery).toMatchObject({ status: 'failed', reason: 'object-error', batch: 2 });
		// Try 1 sent batch 1 alone, then batches 2 and 3 together (concurrent requests), and stopped at
		// item 15 once both settled; tries 2 and 3 sent nothing: batch 3's items are remembered as sent.
		expect(braze.requests).toHaveLength(3);
		expect([...acceptedPerUser(braze).values()]).toEqual(Array(29).fill(1));
	});
});
