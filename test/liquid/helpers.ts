import {
	BrazeLiquid,
	LiquidTemplateError,
	type LiquidScope,
	type RenderResult,
} from '../../nodes/shared/liquid';

export const NOW = new Date('2024-03-05T14:07:09Z');

export function engine(options: ConstructorParameters<typeof BrazeLiquid>[0] = {}): BrazeLiquid {
	return new BrazeLiquid({ now: () => NOW, random: () => 0.42, ...options });
}

export function render(source: string, scope: LiquidScope = {}, liquid = engine()): RenderResult {
	return liquid.compile(source, 'Body').render(scope);
}

export function output(source: string, scope: LiquidScope = {}, liquid = engine()): string {
	const result = render(source, scope, liquid);
	if (result.kind !== 'output') {
		throw new Error(`expected output, got ${result.kind}: ${result.kind === 'error' ? result.error.message : result.reason}`);
	}
	return result.output;
}

export function compileError(source: string, field = 'Body'): LiquidTemplateError {
	try {
		engine().compile(source, field);
	} catch (error) {
		if (error instanceof LiquidTemplateError) return error;
		throw error;
	}
	throw new Error('expected a compile error');
}

export function renderError(source: string, scope: LiquidScope = {}, liquid = engine()): LiquidTemplateError {
	const result = render(source, scope, liquid);
	if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
	return result.error;
}

/** 1-based line and column of the n-th occurrence of `needle` in `source`. */
export function positionOf(source: string, needle: string, occurrence = 1): { line: number; column: number } {
	let at = -1;
	for (let i = 0; i < occurrence; i++) at = source.indexOf(needle, at + 1);
	if (at < 0) throw new Error(`${needle} not in source`);
	const before = source.slice(0, at).split('\n');
	return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The data the 'Braze filters' tables render against. */
export const FILTER_SCOPE: LiquidScope = { s: 'He said "hi"\n\\ é', h: { a: 1, b: [1, 'x'], c: null }, time_zone: 'Asia/Tokyo' };
