import { compileError, render } from '../helpers';

describe('Braze tags', () => {
	test.each([
		['{% abort_message %}', undefined],
		["{% abort_message('Not a VIP') %}", 'Not a VIP'],
		['{% abort_message("Not a VIP") %}', 'Not a VIP'],
		["{% abort_message() %}", undefined],
	])('%s aborts', (source, reason) => {
		expect(render(`text ${source} more`)).toEqual({ kind: 'abort', reason });
	});

	test('abort_message only when its branch runs', () => {
		const source = '{% if ${first_name} == blank %}{% abort_message("no name") %}{% endif %}Hi {{${first_name}}}';
		expect(render(source, { first_name: 'Al' })).toEqual({ kind: 'output', output: 'Hi Al' });
		expect(render(source, {})).toEqual({ kind: 'abort', reason: 'no name' });
	});

	test('abort_message takes a static string only', () => {
		expect(compileError('{% abort_message(reason) %}').kind).toBe('syntax');
	});
});
