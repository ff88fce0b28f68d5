import { DEFAULT_RENDER_LIMITS } from '../../../nodes/shared/liquid';
import { engine, output, render, renderError } from '../helpers';

describe('render limits', () => {
	function timed<T>(fn: () => T): { value: T; ms: number } {
		const start = Date.now();
		const value = fn();
		return { value, ms: Date.now() - start };
	}

	test('defaults', () => {
		expect(DEFAULT_RENDER_LIMITS).toEqual({ renderTimeMs: 1000, maxLoopIterations: 100000, maxOutputBytes: 1048576 });
	});

	test('a huge range is refused before it is allocated', () => {
		const { value, ms } = timed(() => renderError('{% for i in (1..100000000) %}x{% endfor %}'));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(200);
	});

	test('loop iterations over data are counted across nested loops', () => {
		const items = Array.from({ length: 1000 }, (_, i) => i);
		const { value, ms } = timed(() => renderError('{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}', { items }));
		expect([value.kind, value.reason]).toEqual(['limit', 'loops ran more than 100000 iterations']);
		expect(ms).toBeLessThan(1000);
	});

	test('a loop within the limit runs', () => {
		const liquid = engine({ limits: { maxLoopIterations: 10 } });
		expect(output('{% for i in (1..10) %}{{i}}{% endfor %}', {}, liquid)).toBe('12345678910');
		expect(renderError('{% for i in (1..11) %}{{i}}{% endfor %}', {}, liquid).kind).toBe('limit');
	});

	test('render time', () => {
		const liquid = engine({ limits: { renderTimeMs: 30, maxLoopIterations: 1e9 } });
		const source = '{% for a in (1..100000) %}{% for b in (1..100000) %}{% assign x = b | plus: 1 %}{% endfor %}{% endfor %}';
		const { value, ms } = timed(() => renderError(source, {}, liquid));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(1000);
	});

	test('output size', () => {
		const liquid = engine({ limits: { maxOutputBytes: 1000 } });
		const { value, ms } = timed(() => renderError('{% for i in (1..100000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}', {}, liquid));
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(200);
		expect(render('{% for i in (1..600) %}é{% endfor %}', {}, liquid)).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
		expect(output('{% for i in (1..499) %}é{% endfor %}', {}, liquid)).toHaveLength(499);
	});

	test('string doubling hits the memory limit', () => {
		const { value, ms } = timed(() =>
			renderError('{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}'),
		);
		expect(value.kind).toBe('limit');
		expect(ms).toBeLessThan(1000);
	});

	test('captured text is bounded too', () => {
		const liquid = engine({ limits: { maxOutputBytes: 100 } });
		expect(renderError('{% capture c %}{% for i in (1..50) %}xxxxx{% endfor %}{% endcapture %}', {}, liquid).kind).toBe('limit');
	});
});
