import type { Context } from '../engine';

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
