import { defaultOperators, Drop, type Context, type Operators } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { RubyFloat } from '../ruby/number';
import { inspect, isPlainObject, toS } from '../ruby/to-s';

const unwrap = (value: unknown): unknown => (value instanceof RubyFloat ? value.value : value);

type Binary = (left: unknown, right: unknown, ctx: Context) => unknown;
type BinaryGenerator = (left: unknown, right: unknown, ctx: Context) => Generator<unknown, boolean, unknown>;

const builtin = (name: string): Binary => defaultOperators[name] as Binary;

type Comparison = '<' | '>' | '<=' | '>=';

function rubyTypeName(value: unknown): string {
	if (typeof value === 'string') return 'String';
	if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
	return 'Object';
}

/**
 * Ruby's Condition: `<`-style comparisons only between two numbers or two strings; a string
 * against a number is an error ("comparison of String with 1 failed"), anything else is false.
 */
function compare(op: Comparison): BinaryGenerator {
	const fallback = builtin(op);
	return function* (left, right, ctx) {
		if (left instanceof Drop || right instanceof Drop) return (yield fallback(left, right, ctx)) as boolean;
		const l = unwrap(left);
		const r = unwrap(right);
		const numbers = typeof l === 'number' && typeof r === 'number';
		const strings = typeof l === 'string' && typeof r === 'string';
		if (numbers || strings) {
			const a = l as number | string;
			const b = r as number | string;
			switch (op) {
				case '<':
					return a < b;
				case '>':
					return a > b;
				case '<=':
					return a <= b;
				case '>=':
					return a >= b;
			}
		}
		const mixed =
			(typeof l === 'string' && typeof r === 'number') || (typeof l === 'number' && typeof r === 'string');
		if (mixed) throw new DialectError('render', `comparison of ${rubyTypeName(l)} with ${inspect(r)} failed`);
		return false;
	};
}

function unwrapped(op: '==' | '!='): BinaryGenerator {
	const fallback = builtin(op);
	return function* (left, right, ctx) {
		return (yield fallback(unwrap(left), unwrap(right), ctx)) as boolean;
	};
}

export const rubyOperators: Operators = {
	...defaultOperators,
	'==': unwrapped('=='),
	'!=': unwrapped('!='),
	// Ruby: a hash "contains" its keys.
	contains: function* (left: unknown, right: unknown, ctx: Context) {
		const value = unwrap(left);
		if (isPlainObject(value)) return Object.prototype.hasOwnProperty.call(value, toS(right));
		return (yield builtin('contains')(value, unwrap(right), ctx)) as boolean;
	},
	'<': compare('<'),
	'>': compare('>'),
	'<=': compare('<='),
	'>=': compare('>='),
};
