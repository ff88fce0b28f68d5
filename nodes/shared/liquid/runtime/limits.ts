export interface RenderLimits {
	/** Wall-clock budget for one render, in milliseconds. */
	renderTimeMs: number;
	/** Loop iterations (for and tablerow, all loops together) in one render. */
	maxLoopIterations: number;
	/** Size of the rendered output (and of any captured text), in UTF-8 bytes. */
	maxOutputBytes: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = Object.freeze({
	renderTimeMs: 1000,
	maxLoopIterations: 100_000,
	maxOutputBytes: 1024 * 1024,
});

export function resolveLimits(overrides?: Partial<RenderLimits>): RenderLimits {
	const limits = { ...DEFAULT_RENDER_LIMITS };
	for (const key of Object.keys(limits) as Array<keyof RenderLimits>) {
		const value = overrides?.[key];
		if (value !== undefined) {
			if (!(value > 0)) throw new RangeError(`render limit ${key} must be a positive number`);
			limits[key] = value;
		}
	}
	return limits;
}

/**
 * liquidjs' allocation budget (ranges, arrays and strings built by filters), in its units
 * (elements or characters): enough for any output the byte limit allows, small enough that
 * `(1..100000000)` is refused before it is allocated.
 */
export function memoryBudget(limits: RenderLimits): number {
	return Math.max(4 * limits.maxOutputBytes, 10 * limits.maxLoopIterations);
}
