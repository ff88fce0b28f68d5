export type LiquidErrorKind = 'syntax' | 'render' | 'limit' | 'unsupported';

export interface SourcePosition {
	line: number;
	column: number;
}

/** An error in a Braze Liquid template, located in the template as the user wrote it. */
export class LiquidTemplateError extends Error {
	readonly field: string;
	readonly line?: number;
	readonly column?: number;
	readonly kind: LiquidErrorKind;
	readonly reason: string;

	constructor(options: {
		field: string;
		kind: LiquidErrorKind;
		reason: string;
		position?: SourcePosition;
	}) {
		const { field, kind, reason, position } = options;
		const where = position ? `${field}, line ${position.line}, column ${position.column}` : field;
		super(`${where}: ${reason}`);
		this.name = 'LiquidTemplateError';
		this.field = field;
		this.kind = kind;
		this.reason = reason;
		this.line = position?.line;
		this.column = position?.column;
	}
}
