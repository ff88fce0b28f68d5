import { compileError } from '../helpers';

describe('Braze filters', () => {
	test.each(['money_with_currency', 'money_without_currency', 'lstrip', 'rstrip', 'camelize', 'handleize', 'pluralize'])('%s is not supported by Braze', (name) => {
		const error = compileError(`{{ x | ${name} }}`);
		expect(error.kind).toBe('unsupported');
		expect(error.reason).toBe(`filter "${name}" is not supported by Braze`);
	});
});
