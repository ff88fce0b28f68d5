import type { LiquidErrorKind } from './template-error';

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
