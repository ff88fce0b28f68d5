import {
	ForTag as LiquidForTag,
	TablerowTag as LiquidTablerowTag,
	type Context,
	type Liquid,
	type Parser,
	type TagToken,
	type Template,
	type TopLevelToken,
} from '../engine';
import { DialectError } from '../errors/dialect-error';
import { settingsOf } from '../runtime/settings';

interface CountingContext extends Context {
	brazeLoopIterations?: number;
}

interface Forloop {
	i: number;
	parentloop?: unknown;
}

/**
 * First node of every loop body: counts iterations across the whole render. liquidjs bounds
 * time and allocations but not iterations (a loop over a stored array costs no allocation).
 */
export class LoopGuard implements Template {
	constructor(
		readonly token: TagToken,
		private readonly maxIterations: number,
	) {}

	render(ctx: CountingContext): void {
		const count = (ctx.brazeLoopIterations ?? 0) + 1;
		ctx.brazeLoopIterations = count;
		if (count > this.maxIterations) {
			throw new DialectError('limit', `loops ran more than ${this.maxIterations} iterations`);
		}
		const scopes = (ctx as unknown as { scopes: Array<Record<string, unknown>> }).scopes;
		const forloop = scopes[scopes.length - 1].forloop as Forloop | undefined;
		// Ruby's forloop.parentloop (liquidjs has none): the enclosing loop's forloop.
		if (forloop && forloop.i === 0 && forloop.parentloop === undefined) {
			forloop.parentloop = null;
			for (let i = scopes.length - 2; i >= 0; i--) {
				if (scopes[i].forloop) {
					forloop.parentloop = scopes[i].forloop;
					break;
				}
			}
		}
	}
}

export class ForTag extends LiquidForTag {
	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
		super(token, remainTokens, liquid, parser);
		this.templates.unshift(new LoopGuard(token, settingsOf(liquid).limits.maxLoopIterations));
	}
}

export class TablerowTag extends LiquidTablerowTag {
	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
		super(token, remainTokens, liquid, parser);
		const templates = (this as unknown as { templates: Template[] }).templates;
		templates.unshift(new LoopGuard(token, settingsOf(liquid).limits.maxLoopIterations));
	}
}
