import { MONTHS, zonedToEpoch, ZonedTime } from './time';

const MONTH_INDEX: Record<string, number> = {};
MONTHS.forEach((name, index) => {
	MONTH_INDEX[name.slice(0, 3).toLowerCase()] = index + 1;
});

function offsetMinutesOf(zone: string | undefined): number | undefined {
	if (!zone) return undefined;
	if (/^(z|utc|gmt|ut)$/i.test(zone)) return 0;
	const match = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
	if (!match) return undefined;
	const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
	return match[1] === '-' ? -minutes : minutes;
}

const ISO = /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const WORDY = /^(?:[a-z]+,?\s+)?(?:(\d{1,2})\s+([a-z]{3,})\.?,?|([a-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?)\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

/**
 * The date strings Ruby's Time.parse reads in practice (ISO 8601, `YYYY/MM/DD`, `Jan 2, 2024`,
 * `2 January 2024 10:00`, RFC 2822). Without a zone the time is read in `timeZone`.
 */
export function parseTime(text: string, timeZone: string): ZonedTime | undefined {
	const input = text.trim();
	let fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number } | undefined;
	let zone: string | undefined;
	let match = ISO.exec(input) ?? SLASHED.exec(input);
	if (match) {
		fields = {
			year: Number(match[1]),
			month: Number(match[2]),
			day: Number(match[3]),
			hour: Number(match[4] ?? 0),
			minute: Number(match[5] ?? 0),
			second: Number(match[6] ?? 0),
			ms: match[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0,
		};
		zone = match[8];
	} else if ((match = WORDY.exec(input))) {
		const monthName = (match[2] ?? match[3]).slice(0, 3).toLowerCase();
		const month = MONTH_INDEX[monthName];
		if (!month) return undefined;
		let hour = Number(match[6] ?? 0);
		const meridian = match[9]?.toLowerCase();
		if (meridian === 'pm' && hour < 12) hour += 12;
		if (meridian === 'am' && hour === 12) hour = 0;
		fields = {
			year: Number(match[5]),
			month,
			day: Number(match[1] ?? match[4]),
			hour,
			minute: Number(match[7] ?? 0),
			second: Number(match[8] ?? 0),
			ms: 0,
		};
		zone = match[10];
	}
	if (!fields) return undefined;
	if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > 31 || fields.hour > 24 || fields.minute > 59 || fields.second > 60) {
		return undefined;
	}
	const offset = offsetMinutesOf(zone);
	if (zone && offset === undefined) return undefined;
	if (offset !== undefined) {
		const epoch = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms) - offset * 60000;
		return new ZonedTime(epoch, offset === 0 ? 'UTC' : fixedOffsetZone(offset) ?? timeZone);
	}
	return new ZonedTime(zonedToEpoch(fields, timeZone), timeZone);
}

/** IANA has whole-hour fixed zones only (Etc/GMT-2 is UTC+2). */
function fixedOffsetZone(offsetMinutes: number): string | undefined {
	if (offsetMinutes % 60 !== 0) return undefined;
	const hours = offsetMinutes / 60;
	return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}
