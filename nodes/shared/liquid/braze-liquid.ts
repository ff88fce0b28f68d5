import type { Liquid } from './engine';
import { applyRubyPasses } from './passes';
import {
	LiquidTemplate,
	StaticTemplate,
	type CompiledTemplate,
	type LiquidScope,
	type RenderResult,
} from './render/compiled-template';
import { createDialect, toTemplateError } from './render/dialect';
import { expandContentBlocks, hasContentBlocks, type ContentBlockLookup } from './network/content-blocks';
import { isValidTimeZone } from './ruby/time';
import { resolveLimits, type RenderLimits } from './runtime/limits';
import { hasLiquid, translateBraze } from './translate/braze-syntax';

export interface BrazeLiquidOptions {
	limits?: Partial<RenderLimits>;
	/** The clock for 'now' and 'today' (tests pin it). */
	now?: () => Date;
	/** IANA zone dates are shown in unless a time_zone filter says otherwise. Default 'UTC'. */
	timezone?: string;
	/** Source of `{% random %}` numbers in [0, 1) (tests pin it). */
	random?: () => number;
	/** Content Blocks for `{{content_blocks.${name}}}`; without it, a reference is an unknown block. */
	contentBlocks?: ContentBlockLookup;
}

const CACHE_SIZE = 500;

/** Braze's Liquid dialect: compile once, render per item. */
export class BrazeLiquid {
	readonly limits: RenderLimits;
	private readonly liquid: Liquid;
	private readonly cache = new Map<string, CompiledTemplate>();
	private readonly contentBlocks: ContentBlockLookup;

	constructor(options: BrazeLiquidOptions = {}) {
		this.limits = resolveLimits(options.limits);
		this.contentBlocks = options.contentBlocks ?? (() => undefined);
		const timeZone = options.timezone ?? 'UTC';
		if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
		this.liquid = createDialect({
			limits: this.limits,
			now: options.now ?? (() => new Date()),
			timeZone,
			random: options.random ?? Math.random,
		});
	}

	/**
	 * Parses once; the same (field, source) compiled twice returns the cached template.
	 * Throws LiquidTemplateError (kind 'syntax' or 'unsupported').
	 */
	compile(source: string, field: string): CompiledTemplate {
		const key = `${field}\u0000${source}`;
		const cached = this.cache.get(key);
		if (cached) return cached;
		const template = this.build(source, field);
		if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
		this.cache.set(key, template);
		return template;
	}

	/** Compiles and renders once (no caching benefit; for one-off renders). */
	render(source: string, field: string, scope: LiquidScope): RenderResult {
		try {
			return this.compile(source, field).render(scope);
		} catch (error) {
			return { kind: 'error', error: toTemplateError(error, { field, source }, 'parse') };
		}
	}

	private build(source: string, field: string): CompiledTemplate {
		if (!hasLiquid(source)) return new StaticTemplate(field, source);
		let code = source;
		let translation;
		try {
			// Positions in an expanded field point into the text with its blocks in place.
			if (hasContentBlocks(source)) code = expandContentBlocks(source, this.contentBlocks);
			translation = translateBraze(code);
		} catch (error) {
			throw toTemplateError(error, { field, source }, 'parse');
		}
		let templates;
		try {
			templates = this.liquid.parse(translation.code);
		} catch (error) {
			throw toTemplateError(error, { field, source: code, map: translation.map }, 'parse');
		}
		applyRubyPasses(templates);
		return new LiquidTemplate(field, code, this.liquid, templates, translation.map, this.limits, translation.usesNetwork);
	}
}
