import type { IExecuteFunctions } from 'n8n-workflow';

import { LiquidTemplateError } from '../liquid';
import { LiquidFieldText } from '../liquid-fields/field-text';
import type { SplicedText } from '../liquid-fields/spliced-text';

/**
 * A Liquid field exactly as the user wrote it, whichever mode n8n's editor saved it in: read raw, so
 * n8n never evaluates Braze's `{{ }}`. `path` may reach into collections (`headers.header`).
 */
export function readLiquidField(ctx: IExecuteFunctions, path: string, label: string): LiquidFieldText {
	return LiquidFieldText.fromParameter(label, ctx.getNodeParameter(path, 0, '', { rawExpressions: true }));
}

/** A collection's rows as saved, nothing evaluated. */
export function readRawRows(ctx: IExecuteFunctions, path: string): Array<Record<string, unknown>> {
	const rows = ctx.getNodeParameter(path, 0, [], { rawExpressions: true });
	return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
}

/** A plain (non-Liquid) value saved raw: an n8n expression is evaluated for the item, text is kept. */
export function evaluatePlain(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	// evaluateExpression adds n8n's leading `=` itself.
	if (typeof raw === 'string' && raw.startsWith('=')) return String(ctx.evaluateExpression(raw.slice(1), itemIndex) ?? '');
	return raw === undefined || raw === null ? '' : String(raw);
}

/**
 * One item's Liquid fields with their n8n expressions evaluated, remembering where each text came
 * from so a Liquid error points into what the user wrote.
 */
export class ItemLiquidText {
	private readonly resolved = new Map<string, { field: LiquidFieldText; spliced: SplicedText }>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	/** The Liquid source of `field` for this item. */
	text(field: LiquidFieldText): string {
		if (field.isSameForEveryItem) return field.source;
		const spliced = field.resolve((code) => this.ctx.evaluateExpression(`{{${code}}}`, this.itemIndex));
		this.resolved.set(field.field, { field, spliced });
		return spliced.text;
	}

	/** A Liquid error located in the user's own text; other errors as they are. */
	locate<E>(error: E): E | LiquidTemplateError {
		if (!(error instanceof LiquidTemplateError)) return error;
		const entry = this.resolved.get(error.field);
		return entry ? entry.field.locateError(error, entry.spliced) : error;
	}
}
