/**
 * `{% connected_content %}` and `{% catalog_items %}`. The translator rewrote each as a block whose
 * body is the tag's markup, so the markup's Liquid renders first (as Braze does); the options are read
 * from the rendered text. Both need the render's network (`renderAsync`).
 */
import { Tag, TokenKind, type Context, type Emitter, type Liquid, type Parser, type TagToken, type Template, type TopLevelToken } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { applyRubyPasses } from '../passes';
import { parseConnectedContent } from '../network/connected-content-call';
import { networkOf, withoutRenderClock, type ConnectedContentAnswer, type NetworkRender } from '../network/liquid-network';
import { RubyEmitter } from '../runtime/ruby-emitter';
import { contextSettings } from '../runtime/settings';
import { translateBraze } from '../translate/braze-syntax';

const NESTED_NETWORK_TAG = /\{%-?\s*(?:connected_content|catalog_items|catalog_selection_items)\b[\s\S]*?-?%\}/g;

abstract class MarkupBlockTag extends Tag {
	protected readonly templates: Template[] = [];

	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
		super(token, remainTokens, liquid);
		if (token.args.trim() !== '') {
			throw new DialectError('unsupported', `${token.name} must be written as its own tag ({% ${token.name} … %}), not as a line of {% liquid %}`);
		}
		const end = `end${token.name}`;
		while (remainTokens.length > 0) {
			const next = remainTokens.shift() as TopLevelToken;
			if (next.kind === TokenKind.Tag && (next as TagToken).name === end) return;
			this.templates.push(parser.parseToken(next, remainTokens));
		}
		throw new DialectError('syntax', `${token.name} is not closed`);
	}

	protected *markup(ctx: Context): Generator<unknown, string, unknown> {
		const emitter = new RubyEmitter(contextSettings(ctx).limits.maxOutputBytes);
		yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
		return emitter.buffer;
	}

	protected network(ctx: Context): NetworkRender {
		const state = networkOf(ctx);
		if (!state) throw new DialectError('unsupported', `${this.token.name} needs the node's network access, which this field does not have`);
		return state;
	}

	/** `:rerender`: the Liquid inside fetched text, one level deep (network tags in it are removed). */
	protected *rerender(ctx: Context, text: string): Generator<unknown, string, unknown> {
		if (!text.includes('{{') && !text.includes('{%')) return text;
		const templates = this.liquid.parse(translateBraze(text.replace(NESTED_NETWORK_TAG, '')).code);
		applyRubyPasses(templates);
		const emitter = new RubyEmitter(contextSettings(ctx).limits.maxOutputBytes);
		yield this.liquid.renderer.renderTemplates(templates, ctx, emitter);
		return emitter.buffer;
	}
}

export class ConnectedContentTag extends MarkupBlockTag {
	*render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
		const call = parseConnectedContent((yield* this.markup(ctx)) as string);
		const state = this.network(ctx);
		const answer = (yield withoutRenderClock(
			ctx,
			state.network.connectedContent(call.request, { retrying: state.retrying }),
		)) as ConnectedContentAnswer;
		const scope = ctx.bottom() as Record<string, unknown>;
		scope[call.variable] = null;
		if (answer.kind === 'failed') {
			if (call.retry && answer.retriable) state.retryFailure ??= { host: answer.host, lastAnswer: answer.lastAnswer };
			return;
		}
		// Braze renders a 404 as nothing; another error's JSON object is still readable with its status.
		if (answer.statusCode === 404) return;
		const ok = answer.statusCode >= 200 && answer.statusCode < 300;
		const body = call.rerender && ok ? ((yield* this.rerender(ctx, answer.body)) as string) : answer.body;
		const json = parseJson(body, answer.contentType);
		if (json === undefined) {
			if (ok) emitter.write(body);
			return;
		}
		if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
			(json as Record<string, unknown>).__http_status_code__ = answer.statusCode;
			scope[call.variable] = json;
		} else if (ok) scope[call.variable] = json;
	}
}

/** `{% catalog_items CATALOG ID … [:rerender] %}`: the items as `items`; unknown ids give none. */
export class CatalogItemsTag extends MarkupBlockTag {
	*render(ctx: Context): Generator<unknown, void, unknown> {
		const words = ((yield* this.markup(ctx)) as string).trim().split(/\s+/).filter(Boolean);
		const rerender = words.includes(':rerender');
		const [catalog, ...ids] = words.filter((word) => word !== ':rerender');
		if (!catalog) throw new DialectError('render', 'catalog_items needs a catalog name and item ids: {% catalog_items games 1234 %}');
		const bad = words.find((word) => word.startsWith(':') && word !== ':rerender');
		if (bad) throw new DialectError('render', `catalog_items: unknown option "${bad}" (only :rerender)`);
		const state = this.network(ctx);
		let items = (yield withoutRenderClock(ctx, state.network.catalogItems(catalog, ids))) as unknown[];
		if (rerender) {
			const rendered: unknown[] = [];
			for (const item of items) rendered.push((yield* this.rerenderStrings(ctx, item)) as unknown);
			items = rendered;
		}
		(ctx.bottom() as Record<string, unknown>).items = items;
	}

	private *rerenderStrings(ctx: Context, value: unknown): Generator<unknown, unknown, unknown> {
		if (typeof value === 'string') return yield* this.rerender(ctx, value);
		if (value === null || typeof value !== 'object') return value;
		const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
		for (const [key, inner] of Object.entries(value)) copy[key] = yield* this.rerenderStrings(ctx, inner);
		return copy;
	}
}

function parseJson(body: string, contentType: string): unknown {
	const trimmed = body.trim();
	if (!/[/+]json\b/i.test(contentType) && !/^[[{]/.test(trimmed)) return undefined;
	try {
		return JSON.parse(trimmed);
	} catch {
		return undefined;
	}
}
