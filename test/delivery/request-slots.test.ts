import { RequestSlots } from '../../nodes/shared/delivery/request-slots';

describe('RequestSlots', () => {
	it('admits up to the limit, then first come first served as slots are released', async () => {
		const slots = new RequestSlots(2);
		const order: string[] = [];
		await slots.acquire();
		await slots.acquire();
		const third = slots.acquire().then(() => order.push('third'));
		const fourth = slots.acquire().then(() => order.push('fourth'));
		await Promise.resolve();
		expect(order).toEqual([]);
		slots.release();
		await third;
		expect(order).toEqual(['third']);
		slots.release();
		await fourth;
		expect(order).toEqual(['third', 'fourth']);
		slots.release();
		slots.release();
		await slots.acquire();
		await slots.acquire();
		const fifth = slots.acquire().then(() => order.push('fifth'));
		await Promise.resolve();
		expect(order).toEqual(['third', 'fourth']);
		slots.release();
		await fifth;
	});
});
