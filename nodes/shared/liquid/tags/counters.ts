import { Tag, type Context, type Emitter, type Liquid, type TagToken, type TopLevelToken } from '../engine';

/**
 * `increment` / `decrement`: counters live in the render's own environment object (not in the
 * caller's scope, which is shared between items), starting from a numeric scope value if any.
 */
abstract class CounterTag extends Tag {
	private readonly variable: string;

	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
		super(token, remainTokens, liquid);
		this.variable = this.tokenizer.readIdentifier().content;
	}

	protected abstract readonly step: number;

	render(ctx: Context, emitter: Emitter): void {
		const counters = ctx.environments as Record<string, unknown>;
		let value = counters[this.variable];
		if (typeof value !== 'number') {
			const inherited = (ctx.globals as Record<string, unknown>)[this.variable];
			value = typeof inherited === 'number' && Number.isInteger(inherited) ? inherited : 0;
		}
		const current = value as number;
		if (this.step > 0) {
			counters[this.variable] = current + 1;
			emitter.write(current);
		} else {
			counters[this.variable] = current - 1;
			emitter.write(current - 1);
		}
	}
}

export class IncrementTag extends CounterTag {
	protected readonly step = 1;
}

export class DecrementTag extends CounterTag {
	protected readonly step = -1;
}
