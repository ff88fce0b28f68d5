import { DialectError } from '../errors/dialect-error';

/**
 * A Ruby Float whose value is integral (`1.0`): JavaScript numbers cannot tell 1.0 from 1, and
 * Ruby prints them differently. Non-integral JS numbers are floats already; integral ones are
 * Integers. Not a Drop, so liquidjs hands it to our emitter and filters unchanged.
 */
export class RubyFloat {
	constructor(readonly value: number) {}

	valueOf(): number {
		return this.value;
	}

	toString(): string {
		return formatFloat(this.value);
	}

	toJSON(): number {
		return this.value;
	}
}

export function isRubyFloat(value: unknown): value is RubyFloat {
	return value instanceof RubyFloat;
}

/** A float result: integral values are wrapped so they keep printing as `N.0`. */
export function toFloat(value: number): number | RubyFloat {
	return Number.isInteger(value) ? new RubyFloat(value) : value;
}

export function isFloatValue(value: unknown): boolean {
	return value instanceof RubyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** Ruby's Float#to_s. */
export function formatFloat(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
	const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
	const digits = mantissa.replace('.', '');
	const exponent = Number(exponentText);
	const sign = value < 0 ? '-' : '';
	const decpt = exponent + 1;
	if (decpt > 15 || decpt < -3) {
		const rest = digits.slice(1) || '0';
		const expSign = exponent < 0 ? '-' : '+';
		return `${sign}${digits[0]}.${rest}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}
	if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
	if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
	return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Ruby's Integer#to_s for a JS integer (no exponent notation for big values). */
export function formatInteger(value: number): string {
	return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}

export function formatNumber(value: number): string {
	return Number.isInteger(value) ? formatInteger(value) : formatFloat(value);
}

/** An exact decimal, like Ruby's BigDecimal: mantissa × 10^-scale. */
export interface Decimal {
	mantissa: bigint;
	scale: number;
}

/** Liquid's Utils.to_number result: an Integer, an exact decimal (from floats) or a special float. */
export type RubyNumber =
	| { kind: 'int'; value: number }
	| { kind: 'dec'; value: Decimal }
	| { kind: 'special'; value: number };

const DECIMAL_STRING = /^-?\d+\.\d+$/;

export function decimalFromString(text: string): Decimal {
	const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
	if (!match) return { mantissa: BigInt(0), scale: 0 };
	const [, sign, whole, fraction = '', exp = '0'] = match;
	let scale = fraction.length - Number(exp);
	let mantissa = BigInt(`${sign}${whole}${fraction}`);
	if (scale < 0) {
		mantissa *= BigInt(10) ** BigInt(-scale);
		scale = 0;
	}
	return { mantissa, scale };
}

function decimalFromFloat(value: number): Decimal {
	// BigDecimal(float.to_s): the shortest decimal that reads back as the float.
	return decimalFromString(value.toExponential().replace('e+', 'e'));
}

/** Ruby's String#to_i: optional blanks and sign, then digits (underscores between digits). */
export function rubyToInteger(text: string): number {
	const match = /^\s*([+-]?\d+(?:_\d+)*)/.exec(text);
	return match ? Number(match[1].replace(/_/g, '')) : 0;
}

export function toRubyNumber(input: unknown): RubyNumber {
	if (input instanceof RubyFloat) {
		return Number.isFinite(input.value)
			? { kind: 'dec', value: decimalFromFloat(input.value) }
			: { kind: 'special', value: input.value };
	}
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) return { kind: 'special', value: input };
		if (Number.isInteger(input)) return { kind: 'int', value: input };
		return { kind: 'dec', value: decimalFromFloat(input) };
	}
	if (typeof input === 'string') {
		const text = input.trim();
		if (DECIMAL_STRING.test(text)) return { kind: 'dec', value: decimalFromString(text) };
		return { kind: 'int', value: rubyToInteger(input) };
	}
	return { kind: 'int', value: 0 };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
	const scale = Math.max(a.scale, b.scale);
	const ten = BigInt(10);
	return [
		a.mantissa * ten ** BigInt(scale - a.scale),
		b.mantissa * ten ** BigInt(scale - b.scale),
		scale,
	];
}

export function decimalToString(d: Decimal): string {
	const negative = d.mantissa < BigInt(0);
	let digits = (negative ? -d.mantissa : d.mantissa).toString();
	if (d.scale <= 0) return (negative ? '-' : '') + digits + '0'.repeat(-d.scale);
	digits = digits.padStart(d.scale + 1, '0');
	return `${negative ? '-' : ''}${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
}

export function decimalToNumber(d: Decimal): number {
	return Number(decimalToString(d));
}

function asDecimal(n: RubyNumber): Decimal {
	if (n.kind === 'dec') return n.value;
	return { mantissa: BigInt(Math.trunc(n.value)), scale: 0 };
}

function floorDiv(a: bigint, b: bigint): bigint {
	const q = a / b;
	return (a % b !== BigInt(0)) && ((a < BigInt(0)) !== (b < BigInt(0))) ? q - BigInt(1) : q;
}

const DIVISION_DIGITS = 40;

export type Operation = '+' | '-' | '*' | '/' | '%';

/** Liquid's apply_operation: Integer arithmetic, or BigDecimal arithmetic converted to a Float. */
export function applyOperation(left: unknown, right: unknown, op: Operation): number | RubyFloat {
	const a = toRubyNumber(left);
	const b = toRubyNumber(right);
	if (a.kind === 'int' && b.kind === 'int') return integerOperation(a.value, b.value, op);
	if (a.kind === 'special' || b.kind === 'special') {
		return toFloat(floatOperation(Number(a.kind === 'dec' ? decimalToNumber(a.value) : a.value),
			Number(b.kind === 'dec' ? decimalToNumber(b.value) : b.value), op));
	}
	const x = asDecimal(a);
	const y = asDecimal(b);
	const zero = BigInt(0);
	switch (op) {
		case '+':
		case '-': {
			const [m, n, scale] = align(x, y);
			return toFloat(decimalToNumber({ mantissa: op === '+' ? m + n : m - n, scale }));
		}
		case '*':
			return toFloat(decimalToNumber({ mantissa: x.mantissa * y.mantissa, scale: x.scale + y.scale }));
		case '/': {
			if (y.mantissa === zero) {
				if (x.mantissa === zero) return NaN;
				return toFloat(x.mantissa > zero ? Infinity : -Infinity);
			}
			const [m, n] = align(x, y);
			const shift = BigInt(10) ** BigInt(DIVISION_DIGITS);
			const q = (m * shift) / n;
			return toFloat(decimalToNumber({ mantissa: q, scale: DIVISION_DIGITS }));
		}
		case '%': {
			if (y.mantissa === zero) throw new DialectError('render', 'divided by 0');
			const [m, n, scale] = align(x, y);
			const r = m - n * floorDiv(m, n);
			return toFloat(decimalToNumber({ mantissa: r, scale }));
		}
	}
}

function integerOperation(a: number, b: number, op: Operation): number {
	switch (op) {
		case '+':
			return a + b;
		case '-':
			return a - b;
		case '*':
			return a * b;
		case '/':
			if (b === 0) throw new DialectError('render', 'divided by 0');
			return Math.floor(a / b);
		case '%':
			if (b === 0) throw new DialectError('render', 'divided by 0');
			return ((a % b) + b) % b;
	}
}

function floatOperation(a: number, b: number, op: Operation): number {
	switch (op) {
		case '+':
			return a + b;
		case '-':
			return a - b;
		case '*':
			return a * b;
		case '/':
			return a / b;
		case '%':
			return a - b * Math.floor(a / b);
	}
}

/** The numeric value of a RubyNumber as a JS number. */
export function rubyNumberValue(n: RubyNumber): number {
	return n.kind === 'dec' ? decimalToNumber(n.value) : n.value;
}

/** BigDecimal#round(digits) with ROUND_HALF_UP, as a decimal. */
export function roundDecimal(d: Decimal, digits: number): Decimal {
	if (d.scale <= digits) return d;
	const ten = BigInt(10);
	const drop = ten ** BigInt(d.scale - digits);
	const negative = d.mantissa < BigInt(0);
	const abs = negative ? -d.mantissa : d.mantissa;
	let q = abs / drop;
	if ((abs % drop) * BigInt(2) >= drop) q += BigInt(1);
	if (digits < 0) return { mantissa: (negative ? -q : q) * ten ** BigInt(-digits), scale: 0 };
	return { mantissa: negative ? -q : q, scale: digits };
}

export function floorDecimal(d: Decimal): number {
	if (d.scale <= 0) return decimalToNumber(d);
	return Number(floorDiv(d.mantissa, BigInt(10) ** BigInt(d.scale)));
}

export function ceilDecimal(d: Decimal): number {
	if (d.scale <= 0) return decimalToNumber(d);
	return -Number(floorDiv(-d.mantissa, BigInt(10) ** BigInt(d.scale)));
}
