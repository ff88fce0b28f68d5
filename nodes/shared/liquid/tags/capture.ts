import { CaptureTag as LiquidCaptureTag, type Context } from '../engine';
import { RubyEmitter } from '../runtime/ruby-emitter';
import { contextSettings } from '../runtime/settings';

/** `capture` rendering through the Ruby emitter, so captured text prints values like output does. */
export class CaptureTag extends LiquidCaptureTag {
	*render(ctx: Context): Generator<unknown, void, unknown> {
		const emitter = new RubyEmitter(contextSettings(ctx).limits.maxOutputBytes);
		yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
		ctx.bottom()[this.variable] = emitter.buffer;
	}
}
