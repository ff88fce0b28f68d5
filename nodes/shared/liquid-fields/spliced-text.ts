import type { N8nExpression } from './n8n-expressions';

/** A field's text with its n8n expressions replaced by their values, and the way back to the user's text. */
export interface SplicedText {
	text: string;
	/** Where an offset of `text` came from: in the user's text, or inside the value of one expression. */
	locate(offset: number): TextOrigin;
}

export type TextOrigin =
	| { in: 'text'; offset: number }
	| { in: 'value'; expression: N8nExpression; value: string; offsetInValue: number };

/** How an n8n value reads in a text field: as n8n shows it in a template (objects as JSON, nothing for null). */
export function valueAsText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

export function spliceValues(text: string, expressions: readonly N8nExpression[], values: readonly string[]): SplicedText {
	const parts: string[] = [];
	// For each expression: where its value starts and ends in the spliced text.
	const placed: Array<{ from: number; to: number; expression: N8nExpression; value: string }> = [];
	let length = 0;
	let previous = 0;
	expressions.forEach((expression, index) => {
		const before = text.slice(previous, expression.start);
		parts.push(before, values[index]);
		const from = length + before.length;
		length = from + values[index].length;
		placed.push({ from, to: length, expression, value: values[index] });
		previous = expression.end;
	});
	parts.push(text.slice(previous));
	return {
		text: parts.join(''),
		locate(offset) {
			let shift = 0;
			for (const { from, to, expression, value } of placed) {
				if (offset < from) break;
				if (offset < to) return { in: 'value', expression, value, offsetInValue: offset - from };
				shift = expression.end - to;
			}
			return { in: 'text', offset: offset + shift };
		},
	};
}

export function offsetOf(text: string, line: number, column: number): number {
	let offset = 0;
	for (let current = 1; current < line; current++) {
		const newline = text.indexOf('\n', offset);
		if (newline < 0) return text.length;
		offset = newline + 1;
	}
	return Math.min(text.length, offset + column - 1);
}

export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
	const lastNewline = before.lastIndexOf('\n');
	return { line: before.split('\n').length, column: before.length - lastNewline };
}
