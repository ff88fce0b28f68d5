import { LiquidTemplateError } from '../liquid';
import { findN8nExpressions, type N8nExpression } from './n8n-expressions';
import { lineColumnOf, offsetOf, spliceValues, valueAsText, type SplicedText } from './spliced-text';

/** Evaluates one n8n expression's code for the current item (the node's `evaluateExpression`). */
export type EvaluateN8n = (code: string) => unknown;

/**
 * A Liquid field as the user wrote it, whichever mode the editor saved it in: n8n's `{{ $… }}` are
 * evaluated per item first, and the text they yield is rendered as Braze Liquid with the rest.
 */
export class LiquidFieldText {
	readonly expressions: readonly N8nExpression[];

	constructor(
		readonly field: string,
		readonly source: string,
	) {
		this.expressions = findN8nExpressions(source);
	}

	/** The field's raw parameter value: an Expression-mode value loses n8n's leading `=`. */
	static fromParameter(field: string, raw: unknown): LiquidFieldText {
		const text = raw === null || raw === undefined ? '' : String(raw);
		return new LiquidFieldText(field, text.startsWith('=') ? text.slice(1) : text);
	}

	/** True when no n8n expression is in the field: every item renders the same template. */
	get isSameForEveryItem(): boolean {
		return this.expressions.length === 0;
	}

	/** The Liquid source for one item. Throws LiquidTemplateError naming the expression that failed. */
	resolve(evaluate: EvaluateN8n): SplicedText {
		if (this.expressions.length === 0) return spliceValues(this.source, [], []);
		const values = this.expressions.map((expression) => {
			try {
				return valueAsText(evaluate(expression.code));
			} catch (error) {
				throw this.expressionError(expression, error);
			}
		});
		return spliceValues(this.source, this.expressions, values);
	}

	/** A Liquid error in the spliced text, located in the text the user wrote. */
	locateError(error: LiquidTemplateError, spliced: SplicedText): LiquidTemplateError {
		if (this.expressions.length === 0 || error.line === undefined || error.column === undefined) return error;
		const origin = spliced.locate(offsetOf(spliced.text, error.line, error.column));
		if (origin.in === 'text') {
			return new LiquidTemplateError({
				field: this.field,
				kind: error.kind,
				reason: error.reason,
				position: lineColumnOf(this.source, origin.offset),
			});
		}
		const { expression, value, offsetInValue } = origin;
		const wholeField = expression.start === 0 && expression.end === this.source.length;
		return new LiquidTemplateError({
			field: this.field,
			kind: error.kind,
			reason: wholeField ? error.reason : `${error.reason} (in the value of {{${expression.code}}})`,
			position: lineColumnOf(value, offsetInValue),
		});
	}

	private expressionError(expression: N8nExpression, error: unknown): LiquidTemplateError {
		const message = error instanceof Error ? error.message : String(error);
		return new LiquidTemplateError({
			field: this.field,
			kind: 'render',
			reason: `n8n expression {{${expression.code}}} failed: ${message}`,
			position: lineColumnOf(this.source, expression.start),
		});
	}
}
