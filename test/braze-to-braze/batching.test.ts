import { mapObjectErrors, packBatches, type ItemObjects } from '../../nodes/BrazeToBraze/batching';
import { checkIdentifier, checkUsersTrackBody, parseUsersTrackResponse } from '../../nodes/shared/braze/users-track';

const attr = (id: string) => ({ external_id: id, plan: 'gold' });
const event = (id: string) => ({ external_id: id, name: 'seen', time: '2026-01-01T00:00:00Z' });

function items(count: number, make: (i: number) => ItemObjects['objects']): ItemObjects[] {
	return Array.from({ length: count }, (_, itemIndex) => ({ itemIndex, objects: make(itemIndex) }));
}

describe('packBatches', () => {
	it('puts 1,000 one-object items into 14 requests of at most 75 objects, in input order', () => {
		const { batches, oversized, empty } = packBatches(items(1000, (i) => ({ attributes: [attr(`u${i}`)] })));
		expect(batches.map((batch) => batch.objectCount)).toEqual([...Array(13).fill(75), 25]);
		expect(batches.map((batch) => batch.number)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
		expect(batches.flatMap((batch) => batch.itemIndexes)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
		expect(batches[13].body.attributes?.[24]).toEqual(attr('u999'));
		expect(batches[0].body.events).toBeUndefined();
		expect([oversized, empty]).toEqual([[], []]);
	});

	it('never splits an item: a 3-object item that does not fit opens the next request', () => {
		const list = items(26, (i) => ({ attributes: [attr(`u${i}`)], events: [event(`u${i}`)], purchases: i === 25 ? [{ external_id: 'x' }] : [] }));
		// 25 items × 2 objects = 50, the 26th brings 3: 53 <= 75, fits. Then add more.
		const more = items(12, (i) => ({ attributes: [attr(`v${i}`)], events: [event(`v${i}`)] })).map((item) => ({ ...item, itemIndex: item.itemIndex + 26 }));
		const { batches } = packBatches([...list, ...more]);
		// 53 + 11 × 2 = 75 exactly; the 12th of the second group opens request 2.
		expect(batches.map((batch) => [batch.objectCount, batch.itemIndexes.length])).toEqual([
			[75, 37],
			[2, 1],
		]);
		expect(batches[1].itemIndexes).toEqual([37]);
	});

	it('legacy limit: 75 per array, up to 225 per request', () => {
		const list = items(80, (i) => ({ attributes: [attr(`u${i}`)], events: [event(`u${i}`)], purchases: [{ external_id: `u${i}` }] }));
		const { batches } = packBatches(list, { mode: 'perArray', max: 75 });
		expect(batches.map((batch) => batch.objectCount)).toEqual([225, 15]);
		expect(batches[0].body.attributes).toHaveLength(75);
		expect(batches[0].body.events).toHaveLength(75);
		expect(batches[0].body.purchases).toHaveLength(75);
	});

	it('reports items too big for one request and items without objects instead of sending them', () => {
		const list: ItemObjects[] = [
			{ itemIndex: 0, objects: { attributes: Array.from({ length: 76 }, (_, i) => attr(`a${i}`)) } },
			{ itemIndex: 1, objects: {} },
			{ itemIndex: 2, objects: { events: [event('b')] } },
		];
		const { batches, oversized, empty } = packBatches(list);
		expect(oversized).toEqual([0]);
		expect(empty).toEqual([1]);
		expect(batches.map((batch) => batch.itemIndexes)).toEqual([[2]]);
		expect(packBatches(list.slice(0, 1), { mode: 'perArray', max: 76 }).oversized).toEqual([]);
	});

	it('honours a smaller limit', () => {
		const { batches } = packBatches(items(10, (i) => ({ attributes: [attr(`u${i}`)] })), { mode: 'total', max: 4 });
		expect(batches.map((batch) => batch.itemIndexes)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
		expect(() => packBatches([], { mode: 'total', max: 0 })).toThrow(RangeError);
	});
});

describe('mapObjectErrors', () => {
	const list: ItemObjects[] = [
		{ itemIndex: 0, objects: { attributes: [attr('a')], events: [event('a')] } },
		{ itemIndex: 1, objects: { attributes: [attr('b')] } },
		{ itemIndex: 2, objects: { events: [event('c'), event('c2')], purchases: [{ external_id: 'c' }] } },
	];
	const [batch] = packBatches(list).batches;

	it('maps input_array and index to the item and its own object', () => {
		const mapped = mapObjectErrors(batch, [
			{ type: 'bad email', input_array: 'attributes', index: 1 },
			{ type: 'no time', input_array: 'events', index: 2 },
			{ type: 'no price', input_array: 'purchases', index: 0 },
		]);
		expect([...mapped.byItem.entries()]).toEqual([
			[1, [{ type: 'bad email', input_array: 'attributes', index: 1, object_index: 0 }]],
			[
				2,
				[
					{ type: 'no time', input_array: 'events', index: 2, object_index: 1 },
					{ type: 'no price', input_array: 'purchases', index: 0, object_index: 0 },
				],
			],
		]);
		expect(mapped.unmatched).toEqual([]);
	});

	it('keeps errors it cannot place', () => {
		const mapped = mapObjectErrors(batch, [
			{ type: 'whole thing' },
			{ type: 'out of range', input_array: 'attributes', index: 9 },
			{ type: 'unknown array', input_array: 'users', index: 0 },
			{ type: 'string index', input_array: 'events', index: '0' as unknown as number },
		]);
		expect(mapped.unmatched.map((error) => error.type)).toEqual(['whole thing', 'out of range', 'unknown array']);
		expect(mapped.byItem.get(0)).toEqual([{ type: 'string index', input_array: 'events', index: '0', object_index: 0 }]);
	});
});

describe('users-track helpers', () => {
	it('parses answers', () => {
		expect(parseUsersTrackResponse('{"message":"success","errors":[{"type":"x","input_array":"events","index":0}]}')).toEqual({
			message: 'success',
			errors: [{ type: 'x', input_array: 'events', index: 0 }],
		});
		expect(parseUsersTrackResponse('<html>')).toBeUndefined();
		expect(parseUsersTrackResponse({ message: 'x', errors: ['oops'] })).toEqual({ message: 'x', errors: [{ type: 'oops' }] });
	});

	it('checks hand-written bodies and identifiers', () => {
		expect(checkUsersTrackBody({ attributes: [{}] })).toBeUndefined();
		expect(checkUsersTrackBody([])).toMatch(/must be a JSON object/);
		expect(checkUsersTrackBody({ attributes: [], api_key: 'x' })).toBe('The body may only have "attributes", "events" and "purchases" (found "api_key")');
		expect(checkUsersTrackBody({ events: {} })).toBe('"events" must be an array of objects');
		expect(checkUsersTrackBody({ purchases: [{}, 3] })).toBe('"purchases"[1] must be an object');
		expect(checkIdentifier({ external_id: 'a' })).toBeUndefined();
		expect(checkIdentifier({ email: 'a@b.c' })).toBeUndefined();
		expect(checkIdentifier({ external_id: 'a', braze_id: 'b' })).toMatch(/only one of/);
		expect(checkIdentifier({ name: 'x' })).toMatch(/needs an identifier/);
	});
});
