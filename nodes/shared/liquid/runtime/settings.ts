import type { Context, Liquid } from '../engine';
import type { RenderLimits } from './limits';

/** Per-BrazeLiquid settings that filters and tags read through the render context. */
export interface DialectSettings {
	readonly limits: RenderLimits;
	readonly now: () => Date;
	readonly timeZone: string;
	readonly random: () => number;
}

const SETTINGS = new WeakMap<Liquid, DialectSettings>();

export function attachSettings(liquid: Liquid, settings: DialectSettings): void {
	SETTINGS.set(liquid, settings);
}

export function settingsOf(liquid: Liquid | undefined): DialectSettings {
	const settings = liquid && SETTINGS.get(liquid);
	if (!settings) throw new Error('Braze Liquid settings missing: the engine was not built by createDialect');
	return settings;
}

export function contextSettings(context: Context): DialectSettings {
	return settingsOf(context.liquid);
}
