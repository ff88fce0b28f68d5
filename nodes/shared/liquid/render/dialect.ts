import { Liquid } from '../engine';
import { templateErrorMapping } from '../errors/to-template-error';
import { BRAZE_UNSUPPORTED_FILTERS, DIALECT_FILTERS } from '../filters';
import { memoryBudget } from '../runtime/limits';
import { attachSettings, type DialectSettings } from '../runtime/settings';
import { DIALECT_TAGS, REMOVED_TAGS } from '../tags';
import { rubyOperators } from './operators';

/** Whatever liquidjs or the dialect threw, as a LiquidTemplateError in the user's own text. */
export const toTemplateError = templateErrorMapping(BRAZE_UNSUPPORTED_FILTERS);

/** A liquidjs engine configured as Braze's Liquid (Shopify Liquid 5 plus Braze's additions). */
export function createDialect(settings: DialectSettings): Liquid {
	const liquid = new Liquid({
		strictFilters: true,
		strictVariables: false,
		ownPropertyOnly: true,
		groupedExpressions: true,
		jsTruthy: false,
		operators: rubyOperators,
		memoryLimit: memoryBudget(settings.limits),
		renderLimit: settings.limits.renderTimeMs,
		parseLimit: 16 * settings.limits.maxOutputBytes,
	});
	attachSettings(liquid, settings);
	for (const name of Object.keys(liquid.filters)) liquid.unregisterFilter(name);
	for (const [name, filter] of Object.entries(DIALECT_FILTERS)) liquid.registerFilter(name, filter);
	for (const name of REMOVED_TAGS) delete liquid.tags[name];
	for (const [name, tag] of Object.entries(DIALECT_TAGS)) liquid.registerTag(name, tag);
	return liquid;
}
