import { Context, toPromise, toValueSync, type Liquid, type Template } from '../engine';
import { LiquidTemplateError } from '../errors/template-error';
import { abortOf } from '../errors/to-template-error';
import { attachNetwork, type LiquidNetwork, type NetworkRender } from '../network/liquid-network';
import type { RenderLimits } from '../runtime/limits';
import { RubyEmitter } from '../runtime/ruby-emitter';
import type { PositionMap } from '../translate/position-map';
import { toTemplateError } from './dialect';

export type LiquidScope = Record<string, unknown>;

export type RenderResult =
	| { kind: 'output'; output: string }
	/** `network`: not abort_message but a `:retry` connected_content call that kept failing. */
	| { kind: 'abort'; reason?: string; network?: true }
	| { kind: 'error'; error: LiquidTemplateError };

export interface CompiledTemplate {
	readonly field: string;
	readonly source: string;
	/** True when the source has no Liquid at all: render returns it unchanged, at no cost. */
	readonly isStatic: boolean;
	/** True when the template fetches (connected_content, catalog_items): render it with renderAsync. */
	readonly usesNetwork: boolean;
	/** Renders synchronously; never throws. A template that uses the network renders an error. */
	render(scope: LiquidScope): RenderResult;
	/** Renders with the network; never throws. */
	renderAsync(scope: LiquidScope, network: LiquidNetwork): Promise<RenderResult>;
}

export class StaticTemplate implements CompiledTemplate {
	readonly isStatic = true;
	readonly usesNetwork = false;
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

	async renderAsync(): Promise<RenderResult> {
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
		readonly usesNetwork = false,
	) {}

	render(scope: LiquidScope): RenderResult {
		if (this.usesNetwork) {
			const reason = 'this field fetches (connected_content or catalog_items) but was rendered without network access';
			return { kind: 'error', error: new LiquidTemplateError({ field: this.field, kind: 'unsupported', reason }) };
		}
		const liquid = this.liquid;
		const emitter = new RubyEmitter(this.limits.maxOutputBytes);
		// The item's scope is read in place (as globals); assigns and counters get fresh objects.
		const ctx = new Context(Object.create(null), liquid.options, { sync: true, globals: scope }, { liquid });
		try {
			toValueSync(liquid.renderer.renderTemplates(this.templates, ctx, emitter));
		} catch (error) {
			return this.failure(error);
		}
		return this.finish(emitter);
	}

	/**
	 * Braze's `:retry`: a call that found no usable answer is retried (with backoff, by the network)
	 * in a second render, unless the first render aborted (an abort_message testing the failure wins);
	 * when it fails again, the item is aborted, naming the host and its last answer.
	 */
	async renderAsync(scope: LiquidScope, network: LiquidNetwork): Promise<RenderResult> {
		const first = await this.renderOnce(scope, { network, retrying: false });
		if (first.result.kind !== 'output' || !first.state.retryFailure) return first.result;
		const second = await this.renderOnce(scope, { network, retrying: true });
		const failure = second.state.retryFailure;
		if (second.result.kind !== 'output' || !failure) return second.result;
		return {
			kind: 'abort',
			network: true,
			reason: `connected_content to ${failure.host} failed after its retries: ${failure.lastAnswer}`,
		};
	}

	private async renderOnce(scope: LiquidScope, state: NetworkRender): Promise<{ result: RenderResult; state: NetworkRender }> {
		const liquid = this.liquid;
		const emitter = new RubyEmitter(this.limits.maxOutputBytes);
		const ctx = new Context(Object.create(null), liquid.options, { sync: false, globals: scope }, { liquid });
		attachNetwork(ctx, state);
		try {
			await toPromise(liquid.renderer.renderTemplates(this.templates, ctx, emitter));
		} catch (error) {
			return { result: this.failure(error), state };
		}
		return { result: this.finish(emitter), state };
	}

	private failure(error: unknown): RenderResult {
		const abort = abortOf(error);
		if (abort) return { kind: 'abort', reason: abort.reason };
		return { kind: 'error', error: toTemplateError(error, this, 'render') };
	}

	private finish(emitter: RubyEmitter): RenderResult {
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
