import { DEFAULT_RENDER_LIMITS } from '../../../nodes/shared/liquid';
import { engine, output, render, renderError } from '../helpers';

/**
 * No assertion here races the machine's speed: a limit that is not under test gets a budget no
 * render can reach, the time limit runs against an injected clock, and "it stopped early" is
 * measured in CPU time (what this process ran, not how long other processes held the cores).
 */
const UNREACHABLE_TIME_MS = 1e9;
const MEMORY = 'the template builds too large a value (a range, list or text) for the memory limit';
const TOO_SLOW = 'rendering took longer than the time limit';

describe('render limits', () => {
	afterEach(() => jest.restoreAllMocks());

	function timed<T>(fn: () => T): { value: T; cpuMs: number } {
		const start = process.cpuUsage();
		const value = fn();
		const used = process.cpuUsage(start);
		return { value, cpuMs: (used.user + used.system) / 1000 };
	}

	test('defaults', () => {
		expect(DEFAULT_RENDER_LIMITS).toEqual({ renderTimeMs: 1000, maxLoopIterations: 100000, maxOutputBytes: 1048576 });
	});

	test('a huge range is refused before it is allocated', () => {
		const liquid = engine({ limits: { renderTimeMs: UNREACHABLE_TIME_MS } });
		const { value, cpuMs } = timed(() => renderError('{% for i in (1..100000000) %}x{% endfor %}', {}, liquid));
		expect([value.kind, value.reason]).toEqual(['limit', MEMORY]);
		expect(cpuMs).toBeLessThan(200);
	});

	test('loop iterations over data are counted across nested loops', () => {
		// The time budget cannot run out, so only the iteration limit can stop the million iterations.
		const liquid = engine({ limits: { renderTimeMs: UNREACHABLE_TIME_MS } });
		let innerBodies = 0;
		const items = Array.from({ length: 1000 }, () => ({
			get seen() {
				innerBodies++;
				return '';
			},
		}));
		const source = '{% for a in items %}{% for b in items %}{{ b.seen }}{% endfor %}{% endfor %}';
		const { value, cpuMs } = timed(() => renderError(source, { items }, liquid));
		expect([value.kind, value.reason]).toEqual(['limit', 'loops ran more than 100000 iterations']);
		// Outer and inner iterations both count: 99 whole outer ones (1 + 1000 each), then 900 inner.
		expect(innerBodies).toBe(99 * 1000 + 900);
		expect(cpuMs).toBeLessThan(1000);
	});

	test('a loop within the limit runs', () => {
		const liquid = engine({ limits: { maxLoopIterations: 10 } });
		expect(output('{% for i in (1..10) %}{{i}}{% endfor %}', {}, liquid)).toBe('12345678910');
		expect(renderError('{% for i in (1..11) %}{{i}}{% endfor %}', {}, liquid).kind).toBe('limit');
	});

	const NEVER_ENDING = '{% for a in (1..100000) %}{% for b in (1..100000) %}{% assign x = b | plus: 1 %}{% endfor %}{% endfor %}';

	test('render time: a render that outlasts the budget stops, by the clock liquidjs reads', () => {
		// An injected clock that moves 1 ms per reading: the 30 ms budget is spent after ~30 readings,
		// whatever the machine's speed, and the 10^10 iterations are cut short.
		let readings = 0;
		jest.spyOn(performance, 'now').mockImplementation(() => ++readings);
		const liquid = engine({ limits: { renderTimeMs: 30, maxLoopIterations: 1e12 } });
		const value = renderError(NEVER_ENDING, {}, liquid);
		expect([value.kind, value.reason]).toEqual(['limit', TOO_SLOW]);
		expect(readings).toBeGreaterThan(30);
		expect(readings).toBeLessThan(100);
	});

	test('render time on the real clock: a 1 ms budget no machine can meet for 10^10 iterations', () => {
		const liquid = engine({ limits: { renderTimeMs: 1, maxLoopIterations: 1e12 } });
		const { value, cpuMs } = timed(() => renderError(NEVER_ENDING, {}, liquid));
		expect([value.kind, value.reason]).toEqual(['limit', TOO_SLOW]);
		expect(cpuMs).toBeLessThan(1000);
	});

	test('output size', () => {
		const liquid = engine({ limits: { maxOutputBytes: 1000, renderTimeMs: UNREACHABLE_TIME_MS } });
		const { value, cpuMs } = timed(() => renderError('{% for i in (1..100000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}', {}, liquid));
		expect([value.kind, value.reason]).toEqual(['limit', 'output is larger than the 1000 byte limit']);
		expect(cpuMs).toBeLessThan(200);
		expect(render('{% for i in (1..600) %}é{% endfor %}', {}, liquid)).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
		expect(output('{% for i in (1..499) %}é{% endfor %}', {}, liquid)).toHaveLength(499);
	});

	test('string doubling hits the memory limit', () => {
		const liquid = engine({ limits: { renderTimeMs: UNREACHABLE_TIME_MS } });
		const { value, cpuMs } = timed(() =>
			renderError('{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}', {}, liquid),
		);
		expect([value.kind, value.reason]).toEqual(['limit', MEMORY]);
		expect(cpuMs).toBeLessThan(1000);
	});

	test('captured text is bounded too', () => {
		const liquid = engine({ limits: { maxOutputBytes: 100 } });
		expect(renderError('{% capture c %}{% for i in (1..50) %}xxxxx{% endfor %}{% endcapture %}', {}, liquid).kind).toBe('limit');
	});
});
