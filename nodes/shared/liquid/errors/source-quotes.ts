/**
 * Rewordings of liquidjs errors in the user's own text: liquidjs quotes the translated markup
 * (`custom_attribute["a b"]` where the user wrote `custom_attribute.${a b}`), so these read the
 * source at the error's offset instead.
 */

export interface SourceReason {
	reason: string;
	/** Where the reworded error is, in the source (it may differ from where liquidjs stopped). */
	offset: number;
}

const QUOTE_LIMIT = 60;
const TAG_NAME = /^\{%-?\s*(\w+)/;
const OPERATOR_LIKE = /^[=!<>]+/;
// What people type for the operator they mean.
const OPERATOR_TYPOS: Readonly<Record<string, string>> = { '=': '==', '===': '==', '=!': '!=', '!==': '!=', '=<': '<=', '=>': '>=' };
const OPERATORS = '==, !=, <>, <, >, <=, >=, contains, and, or';

function shorten(text: string): string {
	return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 3)}...` : text;
}

/** The tag starting at `start` as written, `{%` to `%}` (or the line's end), on one line. */
function tagAt(source: string, start: number): string {
	const close = source.indexOf('%}', start + 2);
	const text = close < 0 ? source.slice(start).split('\n', 1)[0] : source.slice(start, close + 2);
	return shorten(text.replace(/\s*\n\s*/g, ' '));
}

/**
 * A block tag (`if`, `for`, `comment`, `raw`, ...) without its end tag, named as written. liquidjs
 * points at the tag, or for `raw` at its body, so the tag is the last `{%` at or before `offset`.
 */
export function unclosedBlock(source: string, offset: number): SourceReason | undefined {
	const start = source.startsWith('{%', offset) ? offset : source.lastIndexOf('{%', offset);
	if (start < 0) return undefined;
	const name = TAG_NAME.exec(source.slice(start, start + 64))?.[1];
	if (!name) return undefined;
	return { reason: `${tagAt(source, start)} is not closed: {% end${name} %} is missing`, offset: start };
}

/**
 * What follows a value where only a filter or the tag's end may: liquidjs says `expected "|" before
 * filter` one character past it. Mostly a mistyped comparison such as `=!` or `=`.
 */
export function unexpectedAfterValue(source: string, stoppedAt: number): SourceReason {
	let offset = stoppedAt;
	// liquidjs takes `==` of `===` as an operator and stops at the third `=`.
	while (offset > 0 && OPERATOR_LIKE.test(source[offset - 1]) && OPERATOR_LIKE.test(source[offset])) offset--;
	const rest = source.slice(offset);
	const operator = OPERATOR_LIKE.exec(rest)?.[0];
	if (operator) {
		const meant = OPERATOR_TYPOS[operator];
		const hint = meant ? `; did you mean "${meant}"?` : `; Liquid's operators are ${OPERATORS}`;
		return { reason: `unknown operator "${operator}"${hint}`, offset };
	}
	const word = shorten(/^\S*/.exec(rest)?.[0] || rest.slice(0, 1));
	return { reason: `unexpected "${word}": only a filter ("| name") or the end of the tag or output may follow a value here`, offset };
}

/** `{% endif %}` where no `if` block is open (often: an inner block was left open). */
export function strayEndTag(name: string): string {
	const block = name.slice('end'.length);
	return `{% ${name} %} has no open {% ${block} %} to close here: a block opened after the {% ${block} %} may lack its end tag, or no {% ${block} %} is open`;
}

const UNCLOSED = /^(tag|output) "[\s\S]*" not closed$/;
const SNAPSHOT = /^(invalid value expression: |unexpected character )"[\s\S]*"$/;
// liquidjs's `illegal tag: {% … %}` and the like, quoting the translated tag.
const QUOTED_TAG = /^([\w ]+: "?)\{%[\s\S]*%\}("?)$/;
const SNAPSHOT_LIMIT = 32;

/** The rest of the tag or output from `offset`, as written, without its closing delimiter. */
function restOfMarkup(source: string, offset: number): string {
	const line = source.slice(offset).split('\n', 1)[0];
	const tagEnd = line.search(/-?%\}/);
	const outputEnd = line.lastIndexOf('}}');
	const end = tagEnd >= 0 ? tagEnd : outputEnd >= 0 ? outputEnd : line.length;
	const rest = line.slice(0, end).trim();
	return rest.length > SNAPSHOT_LIMIT ? `${rest.slice(0, SNAPSHOT_LIMIT - 3)}...` : rest;
}

/**
 * liquidjs quotes the translated markup (`{{ user_id`, `{% for x a %}`); users wrote
 * `{{${user_id}`, so quote their own text from where the error is instead.
 */
export function quoteOriginal(reason: string, source: string, offset: number): string {
	const unclosed = UNCLOSED.exec(reason);
	if (unclosed) {
		const line = source.slice(offset).split('\n', 1)[0];
		const snippet = line.length > 40 ? `${line.slice(0, 37)}...` : line;
		return `${unclosed[1]} "${snippet}" is not closed`;
	}
	const snapshot = SNAPSHOT.exec(reason);
	if (snapshot) {
		const rest = restOfMarkup(source, offset);
		if (rest === '') return 'a value is missing here';
		return `${snapshot[1]}"${rest}"`;
	}
	const quotedTag = QUOTED_TAG.exec(reason);
	if (quotedTag && source.startsWith('{%', offset)) return `${quotedTag[1]}${tagAt(source, offset)}${quotedTag[2]}`;
	return reason;
}
