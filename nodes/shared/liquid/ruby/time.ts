import { DialectError } from '../errors/dialect-error';

interface Fields {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	weekday: number;
	offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
			weekday: 'short',
			era: 'short',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A point in time seen in an IANA time zone: what Ruby's Time is to the `date` filter. */
export class ZonedTime {
	private fields?: Fields;

	constructor(
		readonly epochMs: number,
		readonly timeZone: string,
	) {}

	inZone(timeZone: string): ZonedTime {
		return new ZonedTime(this.epochMs, timeZone);
	}

	get(): Fields {
		if (this.fields) return this.fields;
		const parts = formatterFor(this.timeZone).formatToParts(new Date(this.epochMs));
		const read = (type: string) => parts.find((part) => part.type === type)?.value ?? '0';
		let year = Number(read('year'));
		if (read('era') === 'BC') year = 1 - year;
		const month = Number(read('month'));
		const day = Number(read('day'));
		const hour = Number(read('hour')) % 24;
		const minute = Number(read('minute'));
		const second = Number(read('second'));
		const local = Date.UTC(year, month - 1, day, hour, minute, second);
		const wholeSeconds = Math.floor(this.epochMs / 1000) * 1000;
		const offsetMinutes = Math.round((local - wholeSeconds) / 60000);
		this.fields = {
			year,
			month,
			day,
			hour,
			minute,
			second,
			weekday: WEEKDAYS.indexOf(read('weekday')),
			offsetMinutes,
		};
		return this.fields;
	}

	zoneName(): string {
		if (this.timeZone === 'UTC' || this.timeZone === 'Etc/UTC') return 'UTC';
		try {
			const parts = new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone, timeZoneName: 'short' })
				.formatToParts(new Date(this.epochMs));
			return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
		} catch {
			return '';
		}
	}

	/** Ruby's Time#to_s. */
	toRubyString(): string {
		return strftime(this, '%Y-%m-%d %H:%M:%S %z');
	}
}

export const MONTHS = [
	'January', 'February', 'March', 'April', 'May', 'June',
	'July', 'August', 'September', 'October', 'November', 'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function dayOfYear(f: Fields): number {
	return (Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86400000 + 1;
}

function isoWeek(f: Fields): { year: number; week: number } {
	const date = new Date(Date.UTC(f.year, f.month - 1, f.day));
	const weekday = (f.weekday + 6) % 7;
	date.setUTCDate(date.getUTCDate() - weekday + 3);
	const year = date.getUTCFullYear();
	const firstThursday = new Date(Date.UTC(year, 0, 4));
	const week = 1 + Math.round(((date.getTime() - firstThursday.getTime()) / 86400000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
	return { year, week };
}

function weekNumber(f: Fields, startDay: number): number {
	const yday = dayOfYear(f) - 1;
	const wday = (f.weekday - startDay + 7) % 7;
	return Math.floor((yday + 7 - wday) / 7);
}

function offsetText(minutes: number, colons: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	if (colons === 1) return `${sign}${hh}:${mm}`;
	if (colons >= 2) return `${sign}${hh}:${mm}:00`;
	return `${sign}${hh}${mm}`;
}

type Conversion = { text: string; numeric: boolean; width: number };

const num = (value: number, width: number): Conversion => ({ text: String(value), numeric: true, width });
const str = (text: string): Conversion => ({ text, numeric: false, width: 0 });

function convert(time: ZonedTime, code: string, colons: number): Conversion | undefined {
	const f = time.get();
	return dateConversion(f, code) ?? clockConversion(time, f, code, colons) ?? weekConversion(f, code) ?? composedConversion(time, code);
}

function dateConversion(f: Fields, code: string): Conversion | undefined {
	switch (code) {
		case 'Y':
			return { text: String(f.year), numeric: true, width: f.year < 0 ? 5 : 4 };
		case 'C':
			return num(Math.floor(f.year / 100), 2);
		case 'y':
			return num(((f.year % 100) + 100) % 100, 2);
		case 'm':
			return num(f.month, 2);
		case 'B':
			return str(MONTHS[f.month - 1]);
		case 'b':
		case 'h':
			return str(MONTHS[f.month - 1].slice(0, 3));
		case 'd':
			return num(f.day, 2);
		case 'e':
			return { ...num(f.day, 2), text: String(f.day).padStart(2, ' '), numeric: false };
		case 'j':
			return num(dayOfYear(f), 3);
		default:
			return undefined;
	}
}

function clockConversion(time: ZonedTime, f: Fields, code: string, colons: number): Conversion | undefined {
	const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
	switch (code) {
		case 'H':
			return num(f.hour, 2);
		case 'k':
			return { text: String(f.hour).padStart(2, ' '), numeric: false, width: 2 };
		case 'I':
			return num(hour12, 2);
		case 'l':
			return { text: String(hour12).padStart(2, ' '), numeric: false, width: 2 };
		case 'P':
			return str(f.hour < 12 ? 'am' : 'pm');
		case 'p':
			return str(f.hour < 12 ? 'AM' : 'PM');
		case 'M':
			return num(f.minute, 2);
		case 'S':
			return num(f.second, 2);
		case 'L':
			return num(((time.epochMs % 1000) + 1000) % 1000, 3);
		case 'N':
			return { text: String(((time.epochMs % 1000) + 1000) % 1000).padStart(3, '0') + '000000', numeric: false, width: 9 };
		case 'z':
			return str(offsetText(f.offsetMinutes, colons));
		case 'Z':
			return str(time.zoneName());
		case 's':
			return num(Math.floor(time.epochMs / 1000), 1);
		default:
			return undefined;
	}
}

function weekConversion(f: Fields, code: string): Conversion | undefined {
	switch (code) {
		case 'A':
			return str(DAYS[f.weekday]);
		case 'a':
			return str(DAYS[f.weekday].slice(0, 3));
		case 'u':
			return num(f.weekday === 0 ? 7 : f.weekday, 1);
		case 'w':
			return num(f.weekday, 1);
		case 'U':
			return num(weekNumber(f, 0), 2);
		case 'W':
			return num(weekNumber(f, 1), 2);
		case 'G':
			return num(isoWeek(f).year, 4);
		case 'g':
			return num(isoWeek(f).year % 100, 2);
		case 'V':
			return num(isoWeek(f).week, 2);
		default:
			return undefined;
	}
}

function composedConversion(time: ZonedTime, code: string): Conversion | undefined {
	switch (code) {
		case 'n':
			return str('\n');
		case 't':
			return str('\t');
		case '%':
			return str('%');
		case 'c':
			return str(strftime(time, '%a %b %e %H:%M:%S %Y'));
		case 'D':
		case 'x':
			return str(strftime(time, '%m/%d/%y'));
		case 'F':
			return str(strftime(time, '%Y-%m-%d'));
		case 'T':
		case 'X':
			return str(strftime(time, '%H:%M:%S'));
		case 'R':
			return str(strftime(time, '%H:%M'));
		case 'r':
			return str(strftime(time, '%I:%M:%S %p'));
		case 'v':
			return str(strftime(time, '%e-%^b-%Y'));
		case '+':
			return str(strftime(time, '%a %b %e %H:%M:%S %Z %Y'));
		default:
			return undefined;
	}
}

const DIRECTIVE = /%([-_0^#]*)(\d*)(:{0,3})([A-Za-z%+])/g;

/** Ruby's Time#strftime (flags - _ 0 ^ #, widths, %:z). */
export function strftime(time: ZonedTime, format: string): string {
	return format.replace(DIRECTIVE, (whole, flags: string, widthText: string, colons: string, code: string) => {
		const conversion = convert(time, code, colons.length);
		if (!conversion) return whole;
		let { text } = conversion;
		if (code === 'N') return widthText ? text.slice(0, Number(widthText)).padEnd(Number(widthText), '0') : text;
		const width = widthText ? Number(widthText) : conversion.width;
		if (flags.includes('-')) {
			text = conversion.numeric || code === 'e' || code === 'k' || code === 'l' ? text.trim().replace(/^(-?)0+(?=\d)/, '$1') : text;
		} else if (conversion.numeric && width > text.length) {
			const pad = flags.includes('_') ? ' ' : '0';
			const negative = text.startsWith('-');
			const digits = negative ? text.slice(1) : text;
			text = (negative ? '-' : '') + digits.padStart(width - (negative ? 1 : 0), pad);
		} else if (!conversion.numeric && width > text.length) {
			text = text.padStart(width, flags.includes('0') ? '0' : ' ');
		}
		if (flags.includes('_') && (code === 'e' || code === 'k' || code === 'l')) text = text.replace(/^0/, ' ');
		if (flags.includes('0') && (code === 'e' || code === 'k' || code === 'l')) text = text.replace(/^ /, '0');
		if (flags.includes('^')) text = text.toUpperCase();
		if (flags.includes('#')) text = /[a-z]/.test(text) ? text.toUpperCase() : text.toLowerCase();
		return text;
	});
}

/** Wall-clock fields in `timeZone` to epoch ms (two passes settle DST offsets). */
export function zonedToEpoch(
	fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number },
	timeZone: string,
): number {
	const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms);
	let epoch = asUtc;
	for (let i = 0; i < 2; i++) {
		const offset = new ZonedTime(epoch, timeZone).get().offsetMinutes;
		epoch = asUtc - offset * 60000;
	}
	return epoch;
}

export function requireTimeZone(name: string): string {
	if (!isValidTimeZone(name)) throw new DialectError('render', `unknown time zone "${name}"`);
	return name;
}
