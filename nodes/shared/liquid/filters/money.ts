import { decimalToString, roundDecimal, toRubyNumber } from '../ruby/number';
import type { FilterFunction } from './filter';

/**
 * Braze's money filter formats the number it is given (Shopify's divides cents by 100):
 * two decimals, comma thousands separators, no currency symbol (`${{ x | money }}`).
 */
export const moneyFilters: Record<string, FilterFunction> = {
	money(input) {
		const n = toRubyNumber(input);
		const decimal = n.kind === 'dec' ? n.value : { mantissa: BigInt(Math.trunc(n.kind === 'int' ? n.value : 0)), scale: 0 };
		const rounded = roundDecimal(decimal, 2);
		const text = decimalToString({ mantissa: rounded.mantissa * BigInt(10) ** BigInt(2 - Math.min(rounded.scale, 2)), scale: 2 });
		const match = /^(-?)(\d+)\.(\d{2})$/.exec(text);
		if (!match) return text;
		return `${match[1]}${match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${match[3]}`;
	},
};
