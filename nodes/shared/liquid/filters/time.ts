import { toValue } from '../engine';
import { parseTime } from '../ruby/parse-time';
import { requireTimeZone, strftime, ZonedTime } from '../ruby/time';
import { toS } from '../ruby/to-s';
import { contextSettings } from '../runtime/settings';
import type { FilterFunction, FilterThis } from './filter';

/** Liquid's Utils.to_date: times, 'now'/'today', epoch seconds, parseable strings; else undefined. */
export function toTime(self: FilterThis, input: unknown): ZonedTime | undefined {
	const settings = contextSettings(self.context);
	input = toValue(input);
	if (input instanceof ZonedTime) return input;
	if (input instanceof Date) return new ZonedTime(input.getTime(), settings.timeZone);
	if (typeof input === 'number' && Number.isInteger(input)) {
		return new ZonedTime(input * 1000, settings.timeZone);
	}
	if (typeof input !== 'string' || input === '') return undefined;
	const text = input.toLowerCase();
	if (text === 'now' || text === 'today') return new ZonedTime(settings.now().getTime(), settings.timeZone);
	if (/^\d+$/.test(text)) return new ZonedTime(Number(text) * 1000, settings.timeZone);
	return parseTime(input, settings.timeZone);
}

export const timeFilters: Record<string, FilterFunction> = {
	date(input, format) {
		const pattern = toS(format);
		if (pattern === '') return input;
		const time = toTime(this, input);
		return time ? strftime(time, pattern) : input;
	},
	// Braze: `{{ 'now' | time_zone: 'America/New_York' | date: '%H' }}`. A blank zone (a user
	// without ${time_zone}) keeps the time as it is.
	time_zone(input, zone) {
		const time = toTime(this, input);
		if (!time) return input;
		const name = toS(zone).trim();
		if (!name) return time;
		return time.inZone(requireTimeZone(name));
	},
};
