import { DialectError } from '../errors/dialect-error';
import {
	applyOperation,
	ceilDecimal,
	decimalToNumber,
	floorDecimal,
	roundDecimal,
	toFloat,
	toRubyNumber,
	type RubyFloat,
	type RubyNumber,
} from '../ruby/number';
import type { FilterFunction, FilterThis } from './filter';

function numberResult(n: RubyNumber): number | RubyFloat {
	return n.kind === 'dec' ? toFloat(decimalToNumber(n.value)) : n.kind === 'special' ? toFloat(n.value) : n.value;
}

function compareMax(self: FilterThis, input: unknown, limit: unknown, keepLarger: boolean): unknown {
	const bound = toRubyNumber(limit);
	const value = toRubyNumber(input);
	const a = value.kind === 'dec' ? decimalToNumber(value.value) : value.value;
	const b = bound.kind === 'dec' ? decimalToNumber(bound.value) : bound.value;
	const pick = keepLarger ? (b > a ? bound : value) : b < a ? bound : value;
	return numberResult(pick);
}

export const mathFilters: Record<string, FilterFunction> = {
	abs(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'dec') {
			const m = n.value.mantissa;
			return toFloat(decimalToNumber({ mantissa: m < BigInt(0) ? -m : m, scale: n.value.scale }));
		}
		return n.kind === 'special' ? toFloat(Math.abs(n.value)) : Math.abs(n.value);
	},
	plus: (input, operand) => applyOperation(input, operand, '+'),
	minus: (input, operand) => applyOperation(input, operand, '-'),
	times: (input, operand) => applyOperation(input, operand, '*'),
	divided_by: (input, operand) => applyOperation(input, operand, '/'),
	modulo: (input, operand) => applyOperation(input, operand, '%'),
	round(input, digits = 0) {
		const n = toRubyNumber(input);
		const places = toRubyNumber(digits);
		const count = places.kind === 'dec' ? Math.trunc(decimalToNumber(places.value)) : places.kind === 'int' ? places.value : 0;
		const integerResult = digits === 0;
		if (n.kind === 'int') {
			if (count >= 0) return n.value;
			const factor = 10 ** -count;
			const rounded = Math.sign(n.value) * Math.floor(Math.abs(n.value) / factor + 0.5) * factor;
			return rounded;
		}
		if (n.kind === 'special') {
			if (integerResult) throw new DialectError('render', `${n.value}`);
			return toFloat(n.value);
		}
		const value = decimalToNumber(roundDecimal(n.value, count));
		return integerResult ? value : toFloat(value);
	},
	ceil(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'special') throw new DialectError('render', String(n.value));
		return n.kind === 'dec' ? ceilDecimal(n.value) : n.value;
	},
	floor(input) {
		const n = toRubyNumber(input);
		if (n.kind === 'special') throw new DialectError('render', String(n.value));
		return n.kind === 'dec' ? floorDecimal(n.value) : n.value;
	},
	at_least(input, n) {
		return compareMax(this, input, n, true);
	},
	at_most(input, n) {
		return compareMax(this, input, n, false);
	},
};
