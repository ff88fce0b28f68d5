import type { Context } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { toS } from '../ruby/to-s';

/** What liquidjs binds `this` to when it calls a filter. */
export interface FilterThis {
	context: Context;
}

export type FilterFunction = (this: FilterThis, input: unknown, ...args: unknown[]) => unknown;

/** liquidjs passes a `key: value` filter argument as a [key, value] pair. */
export function keywordArgument(args: unknown[], key: string): { found: boolean; value?: unknown } {
	for (const arg of args) {
		if (Array.isArray(arg) && arg.length === 2 && arg[0] === key) return { found: true, value: arg[1] };
	}
	return { found: false };
}

/** Charges a freshly built string or array to the render's memory limit. */
export function charge(self: FilterThis, size: number): void {
	self.context.memoryLimit.use(size);
}

export const chars = (text: string): string[] => Array.from(text);

export function isNil(value: unknown): boolean {
	return value === null || value === undefined;
}

/** Liquid's Utils.to_integer: Integer(value.to_s), else "invalid integer". */
export function toInteger(value: unknown): number {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	const text = toS(value).trim();
	if (/^[+-]?\d+(?:_\d+)*$/.test(text)) return Number(text.replace(/_/g, ''));
	const radix = /^([+-]?)0(x|b|o)([0-9a-f_]+)$/i.exec(text);
	if (radix) {
		const base = { x: 16, b: 2, o: 8 }[radix[2].toLowerCase() as 'x' | 'b' | 'o'];
		const parsed = parseInt(radix[3].replace(/_/g, ''), base);
		if (!Number.isNaN(parsed)) return radix[1] === '-' ? -parsed : parsed;
	}
	throw new DialectError('render', 'invalid integer');
}
