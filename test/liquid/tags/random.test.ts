import { BrazeLiquid } from '../../../nodes/shared/liquid';
import { output } from '../helpers';

describe('Braze tags', () => {
	test('random', () => {
		expect(output('{% random %}|{% random 10 %}|{% random 3 %}')).toBe('0.42|4|1');
		const real = new BrazeLiquid();
		for (let i = 0; i < 50; i++) {
			const n = Number(output('{% random 6 %}', {}, real));
			expect(Number.isInteger(n) && n >= 0 && n < 6).toBe(true);
			const f = Number(output('{% random %}', {}, real));
			expect(f >= 0 && f < 1).toBe(true);
		}
	});
});
