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

/**
 * Thrown by tags and filters while parsing or rendering; the compiled template turns it into a
 * LiquidTemplateError with the field and position. `offset` is in the ORIGINAL source when set.
 */
export class DialectError extends Error {
	readonly kind: LiquidErrorKind;
	readonly offset?: number;

	constructor(kind: LiquidErrorKind, reason: string, offset?: number) {
		super(reason);
		this.name = 'DialectError';
		this.kind = kind;
		this.offset = offset;
	}
}

/** `{% abort_message %}`: not an error for the caller, a decision not to send. */
export class AbortMessage extends Error {
	readonly reason?: string;

	constructor(reason?: string) {
		super(reason === undefined ? 'abort_message called' : reason);
		this.name = 'AbortMessage';
		this.reason = reason;
	}
}
