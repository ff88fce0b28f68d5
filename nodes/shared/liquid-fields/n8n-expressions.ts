/**
 * The one rule for `{{ }}` in a Liquid field: a `{{ }}` whose code uses an n8n variable (`$` followed by a
 * letter, `_` or `(`: `{{ $json.email }}`, `{{ $('Webhook').item.json.id }}`, `{{ $now }}`) is n8n's;
 * every other `{{ }}` (Braze's `{{${first_name}}}`, `{{custom_attribute.${plan}}}`) and every `{% %}` is
 * Braze Liquid. Text inside quotes does not count, so `{{ 'costs $USD' }}` stays Liquid.
 */

export interface N8nExpression {
	/** Offset of the opening `{{` in the field's text. */
	start: number;
	/** Offset just after the closing `}}`. */
	end: number;
	/** The code between the braces, as written. */
	code: string;
}

const N8N_VARIABLE = /\$[A-Za-z_(]/;
// Template literals are left in: their `${}` hold code.
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

export function usesN8nVariable(code: string): boolean {
	return N8N_VARIABLE.test(code.replace(QUOTED, ''));
}

/** The n8n expressions of a field's text, in order, not overlapping. */
export function findN8nExpressions(text: string): N8nExpression[] {
	const found: N8nExpression[] = [];
	let from = 0;
	for (;;) {
		const start = text.indexOf('{{', from);
		if (start < 0) return found;
		const close = closingBraces(text, start + 2);
		const code = close < 0 ? '' : text.slice(start + 2, close);
		if (close >= 0 && usesN8nVariable(code)) {
			found.push({ start, end: close + 2, code });
			from = close + 2;
		} else {
			from = start + 2;
		}
	}
}

/**
 * Offset of the `}}` that closes code starting at `from`, reading it as JavaScript: braces inside
 * the code (`{{ { a: $json.b } }}`, Braze's `${name}`) and quoted text do not close it. -1 if unclosed.
 */
function closingBraces(text: string, from: number): number {
	let depth = 0;
	for (let i = from; i < text.length; i++) {
		const ch = text[i];
		if (ch === "'" || ch === '"' || ch === '`') {
			i = endOfQuote(text, i);
			if (i < 0) return -1;
		} else if (ch === '{') {
			depth++;
		} else if (ch === '}') {
			if (depth === 0) return text[i + 1] === '}' ? i : -1;
			depth--;
		}
	}
	return -1;
}

function endOfQuote(text: string, open: number): number {
	const quote = text[open];
	for (let i = open + 1; i < text.length; i++) {
		if (text[i] === '\\') i++;
		else if (text[i] === quote) return i;
		else if (text[i] === '\n' && quote !== '`') return -1;
	}
	return -1;
}
