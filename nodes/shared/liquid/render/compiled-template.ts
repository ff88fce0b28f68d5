import { Context, toValueSync, type Liquid, type Template } from '../engine';
import { LiquidTemplateError } from '../errors/template-error';
import { abortOf } from '../errors/to-template-error';
import type { RenderLimits } from '../runtime/limits';
import { RubyEmitter } from '../runtime/ruby-emitter';
import type { PositionMap } from '../translate/position-map';
import { toTemplateError } from './dialect';

export type LiquidScope = Record<string, unknown>;

export type RenderResult =
	| { kind: 'output'; output: string }
	| { kind: 'abort'; reason?: string }
	| { kind: 'error'; error: LiquidTemplateError };

export interface CompiledTemplate {
	readonly field: string;
	readonly source: string;
	/** True when the source has no Liquid at all: render returns it unchanged, at no cost. */
	readonly isStatic: boolean;
	/** Renders synchronously; never throws. */
	render(scope: LiquidScope): RenderResult;
}

export class StaticTemplate implements CompiledTemplate {
	readonly isStatic = true;
	private readonly result: RenderResult;

	constructor(
		readonly field: string,
		readonly source: string,
	) {
		this.result = { kind: 'output', output: source };
	}

	render(): RenderResult {
		return this.result;
	}
}

export class LiquidTemplate implements CompiledTemplate {
	readonly isStatic = false;

	constructor(
		readonly field: string,
		readonly source: string,
		private readonly liquid: Liquid,
		private readonly templates: Template[],
		readonly map: PositionMap,
		private readonly limits: RenderLimits,
	) {}

	render(scope: LiquidScope): RenderResult {
		const liquid = this.liquid;
		const emitter = new RubyEmitter(this.limits.maxOutputBytes);
		// The item's scope is read in place (as globals); assigns and counters get fresh objects.
		const ctx = new Context(Object.create(null), liquid.options, { sync: true, globals: scope }, { liquid });
		try {
			toValueSync(liquid.renderer.renderTemplates(this.templates, ctx, emitter));
		} catch (error) {
			const abort = abortOf(error);
			if (abort) return { kind: 'abort', reason: abort.reason };
			return { kind: 'error', error: toTemplateError(error, this, 'render') };
		}
		const output = emitter.buffer;
		const max = this.limits.maxOutputBytes;
		if (output.length * 3 > max && Buffer.byteLength(output, 'utf8') > max) {
			return {
				kind: 'error',
				error: new LiquidTemplateError({
					field: this.field,
					kind: 'limit',
					reason: `output is larger than the ${max} byte limit`,
				}),
			};
		}
		return { kind: 'output', output };
	}
}
