import { DialectError } from '../errors/dialect-error';
import { PositionMap } from './position-map';
import { CONTENT_BLOCKS_OUTPUT, UNSUPPORTED_TAGS } from '../errors/unsupported-features';

export interface Translation {
	/** Standard Liquid (liquidjs with grouped expressions) equivalent to the Braze source. */
	code: string;
	map: PositionMap;
	/** Whether the template has tags that fetch (connected_content, catalog_items): it renders asynchronously. */
	usesNetwork: boolean;
}

/**
 * Tags whose markup is itself Liquid (Braze renders it first, then reads the options): rewritten as
 * `{% name %}markup{% endname %}` so the markup's `{{ }}` and `${}` render like any text.
 */
export const NETWORK_TAGS: ReadonlySet<string> = new Set(['connected_content', 'catalog_items']);

const SIMPLE_NAME = /^[A-Za-z_][\w-]*$/;
const TAG_NAME = /^\{%-?\s*(\w+)/;
const END_RAW = /\{%-?\s*endraw\s*-?%\}/g;
const END_COMMENT = /\{%-?\s*endcomment\s*-?%\}/g;
// Where a nested `{{ … }}` starts the value (output start, assign's right side, echo), its filters
// simply continue the outer filter chain; anywhere else it is a value and needs parentheses.
const VALUE_START = /(?:^|\n)\s*-?\s*(?:(?:liquid\s+)?(?:assign\s+[\w-]+\s*=|echo))?\s*$/;

/**
 * Translates Braze's Liquid dialect to standard Liquid: `${name}` attribute references (names may
 * hold spaces, dots and any character but `}`) become bracket lookups, and `{{ … }}` nested inside
 * tags or outputs becomes the value it denotes. Text, `raw` and `comment` bodies are copied as is.
 */
export function translateBraze(source: string): Translation {
	return new Translator(source).run();
}

export function hasLiquid(source: string): boolean {
	return source.includes('{{') || source.includes('{%');
}

// Liquid string literals have no escapes, so a name holding `"` is quoted with `'`.
function quoteName(name: string): string {
	return name.includes('"') ? `['${name}']` : `["${name}"]`;
}

class Translator {
	private readonly parts: string[] = [];
	private length = 0;
	private copiedFrom = 0;
	private readonly map = new PositionMap();
	private insideTag = false;
	private usesNetwork = false;

	constructor(private readonly src: string) {}

	run(): Translation {
		const src = this.src;
		let p = 0;
		while (p < src.length) {
			const open = this.nextOpening(p);
			if (open < 0) break;
			p = src[open + 1] === '%' ? this.tag(open) : this.expression(open + 2, '}}', open, false);
		}
		this.flush(src.length);
		return { code: this.parts.join(''), map: this.map, usesNetwork: this.usesNetwork };
	}

	private nextOpening(from: number): number {
		const src = this.src;
		let i = src.indexOf('{', from);
		while (i >= 0 && i + 1 < src.length) {
			const next = src[i + 1];
			if (next === '{' || next === '%') return i;
			i = src.indexOf('{', i + 1);
		}
		return -1;
	}

	/** Copies the source up to `end` unchanged (one-to-one in the position map). */
	private flush(end: number): void {
		if (end <= this.copiedFrom) return;
		this.map.add(this.length, this.copiedFrom, true);
		const text = this.src.slice(this.copiedFrom, end);
		this.parts.push(text);
		this.length += text.length;
		this.copiedFrom = end;
	}

	/** Replaces source [at, resume) with `text`. */
	private synth(text: string, at: number, resume: number): void {
		this.flush(at);
		if (text) {
			this.map.add(this.length, at, false);
			this.parts.push(text);
			this.length += text.length;
		}
		this.copiedFrom = resume;
	}

	private tag(open: number): number {
		const src = this.src;
		const name = TAG_NAME.exec(src.slice(open, open + 64))?.[1];
		if (name === 'raw' || name === 'comment') {
			const end = name === 'raw' ? END_RAW : END_COMMENT;
			end.lastIndex = open;
			const match = end.exec(src);
			return match ? match.index + match[0].length : src.length;
		}
		if (name !== undefined && NETWORK_TAGS.has(name)) return this.networkTag(open, name);
		if (name !== undefined && name in UNSUPPORTED_TAGS) {
			throw new DialectError('unsupported', UNSUPPORTED_TAGS[name], open);
		}
		this.insideTag = true;
		const end = this.expression(open + 2, '%}', open + 2, false);
		this.insideTag = false;
		return end;
	}

	/** `{%- name markup -%}` becomes `{%- name %}markup{% endname -%}`, the markup rendered as text. */
	private networkTag(open: number, name: string): number {
		const src = this.src;
		const nameEnd = src.indexOf(name, open) + name.length;
		const close = src.indexOf('%}', nameEnd);
		if (close < 0) throw new DialectError('syntax', `tag ${name} is not closed by "%}"`, open);
		const trimRight = src[close - 1] === '-';
		const markupEnd = trimRight ? close - 1 : close;
		this.usesNetwork = true;
		this.synth(`${src.slice(open, nameEnd)} %}`, open, nameEnd);
		let p = nameEnd;
		while (p < markupEnd) {
			const output = src.indexOf('{{', p);
			const attribute = src.indexOf('${', p);
			const next = [output, attribute].filter((i) => i >= 0 && i < markupEnd).sort((a, b) => a - b)[0];
			if (next === undefined) break;
			if (next === output) {
				p = this.expression(output + 2, '}}', output, false);
			} else {
				// A bare `${name}` in the markup is the attribute's value, as in `{{${name}}}`.
				const end = src.indexOf('}', attribute);
				if (end < 0 || end >= markupEnd) throw new DialectError('syntax', 'attribute reference "${" is not closed by "}"', attribute);
				this.synth('{{', attribute, attribute);
				p = this.attribute(attribute, attribute, false);
				this.synth('}}', p, p);
			}
		}
		this.synth(`{% end${name} ${trimRight ? '-' : ''}%}`, markupEnd, close + 2);
		return close + 2;
	}

	/**
	 * Scans Liquid markup from `p` to the terminator, translating `${…}` and nested `{{…}}`.
	 * Returns the index after the terminator. When `nested`, the delimiters are dropped.
	 */
	private expression(p: number, terminator: string, markupStart: number, nested: boolean): number {
		const src = this.src;
		while (p < src.length) {
			const c = src[p];
			if (c === terminator[0] && src[p + 1] === terminator[1]) {
				if (nested) {
					this.synth('', p, p + 2);
				}
				return p + 2;
			}
			if (nested && c === '-' && src.startsWith(terminator, p + 1)) {
				this.synth('', p, p + 1);
				p++;
				continue;
			}
			if (c === '"' || c === "'") {
				const close = src.indexOf(c, p + 1);
				p = close < 0 ? p + 1 : close + 1;
				continue;
			}
			if (c === '$' && src[p + 1] === '{') {
				p = this.attribute(p, p, false);
				continue;
			}
			// `..${n}` is a range bound, not a member access.
			if (c === '.' && src[p - 1] !== '.' && src[p + 1] === '$' && src[p + 2] === '{') {
				p = this.attribute(p, p + 1, true);
				continue;
			}
			if (c === '{' && src[p + 1] === '{') {
				p = this.nestedOutput(p, markupStart);
				continue;
			}
			p++;
		}
		return p;
	}

	/** `${name}` at `dollar` (`member`: preceded by a dot at `start`). */
	private attribute(start: number, dollar: number, member: boolean): number {
		const src = this.src;
		const close = src.indexOf('}', dollar + 2);
		// Inside a tag, `%}` ends the tag: a `${` whose `}` is that of `%}` was never closed.
		if (close < 0 || (this.insideTag && src[close - 1] === '%')) {
			throw new DialectError('syntax', 'attribute reference "${" is not closed by "}"', dollar);
		}
		const name = src.slice(dollar + 2, close).trim();
		if (!name) throw new DialectError('syntax', 'empty attribute name in "${}"', dollar);
		if (member && /(?:^|[^\w])content_blocks$/.test(src.slice(Math.max(0, start - 40), start))) {
			throw new DialectError('unsupported', CONTENT_BLOCKS_OUTPUT, start - 'content_blocks'.length);
		}
		// Braze reads `${address.city}` as a path into nested attributes.
		const segments = name.split('.').map((segment) => segment.trim());
		let text = '';
		segments.forEach((segment, index) => {
			if (!member && index === 0 && SIMPLE_NAME.test(segment) && !isLiteralWord(segment)) {
				text += segment;
			} else text += quoteName(segment);
		});
		this.synth(text, start, close + 1);
		return close + 1;
	}

	private nestedOutput(open: number, markupStart: number): number {
		const src = this.src;
		const valueStart = VALUE_START.test(src.slice(markupStart, open));
		let innerStart = open + 2;
		if (src[innerStart] === '-') innerStart++;
		const wrap = !valueStart && hasTopLevelFilter(src, innerStart);
		this.synth(wrap ? '(' : '', open, innerStart);
		const end = this.expression(innerStart, '}}', innerStart, true);
		if (wrap) this.synth(')', end, end);
		return end;
	}
}

function isLiteralWord(name: string): boolean {
	return ['true', 'false', 'nil', 'null', 'empty', 'blank'].includes(name);
}

/** Whether the nested output starting at `p` has a `|` outside quotes, `${}` and deeper braces. */
function hasTopLevelFilter(src: string, p: number): boolean {
	let depth = 0;
	while (p < src.length) {
		const c = src[p];
		if (c === '"' || c === "'") {
			const close = src.indexOf(c, p + 1);
			p = close < 0 ? p + 1 : close + 1;
			continue;
		}
		if (c === '$' && src[p + 1] === '{') {
			const close = src.indexOf('}', p + 2);
			p = close < 0 ? src.length : close + 1;
			continue;
		}
		if (c === '{' && src[p + 1] === '{') {
			depth++;
			p += 2;
			continue;
		}
		if (c === '}' && src[p + 1] === '}') {
			if (depth === 0) return false;
			depth--;
			p += 2;
			continue;
		}
		if (c === '|' && depth === 0) return true;
		p++;
	}
	return false;
}
