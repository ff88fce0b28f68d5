import { evalToken, Tag, type Context, type Emitter, type Liquid, type TagToken, type TopLevelToken, type ValueToken } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { toRubyNumber, rubyNumberValue } from '../ruby/number';
import { contextSettings } from '../runtime/settings';

/** Braze `{% random %}` (a float in [0, 1)) and `{% random N %}` (an integer in [0, N)). */
export class RandomTag extends Tag {
	private readonly bound?: ValueToken;

	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
		super(token, remainTokens, liquid);
		this.tokenizer.skipBlank();
		if (!this.tokenizer.end()) {
			this.bound = this.tokenizer.readValue();
			this.tokenizer.skipBlank();
			if (!this.bound || !this.tokenizer.end()) {
				throw new DialectError('syntax', `random takes one whole number: {% random 10 %}, got "${token.args.trim()}"`);
			}
		}
	}

	*render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
		const random = contextSettings(ctx).random;
		if (!this.bound) {
			emitter.write(random());
			return;
		}
		const bound = Math.trunc(rubyNumberValue(toRubyNumber(yield evalToken(this.bound, ctx))));
		if (!(bound > 0)) throw new DialectError('render', `random needs a whole number above 0, got ${bound}`);
		emitter.write(Math.floor(random() * bound));
	}
}
