import { LiquidError } from '../engine';
import { AbortMessage, DialectError } from './dialect-error';
import { quoteOriginal, strayEndTag, unclosedBlock, unexpectedAfterValue, type SourceReason } from './source-quotes';
import { LiquidTemplateError, type LiquidErrorKind, type SourcePosition } from './template-error';

interface Located {
	token?: { begin: number };
	originalError?: unknown;
	name?: string;
}

/** Offsets in the text the engine parsed, back to offsets in the user's own text. */
export interface OffsetMap {
	toOriginal(offset: number): number;
}

export interface ErrorSource {
	field: string;
	source: string;
	map?: OffsetMap;
}

export type ToTemplateError = (error: unknown, where: ErrorSource, phase: 'parse' | 'render') => LiquidTemplateError;

const LIQUIDJS_POSITION = /, line:\d+, col:\d+$/;

function rootCause(error: unknown): unknown {
	let cause = error;
	for (let depth = 0; depth < 8; depth++) {
		const inner = (cause as Located | undefined)?.originalError;
		if (inner === undefined) break;
		cause = inner;
	}
	return cause;
}

/** The abort reason when the error is `{% abort_message %}`. */
export function abortOf(error: unknown): AbortMessage | undefined {
	const cause = rootCause(error);
	return cause instanceof AbortMessage ? cause : undefined;
}

function rewordLiquidjs(message: string, unsupportedFilters: readonly string[]): { kind?: LiquidErrorKind; reason: string } {
	const filter = /^undefined filter: (.+)$/.exec(message);
	if (filter) {
		return unsupportedFilters.includes(filter[1])
			? { kind: 'unsupported', reason: `filter "${filter[1]}" is not supported by Braze` }
			: { reason: `unknown filter "${filter[1]}"` };
	}
	const tag = /^tag "(.+)" not found$/.exec(message);
	if (tag) return { reason: /^end\w+$/.test(tag[1]) ? strayEndTag(tag[1]) : `unknown tag "${tag[1]}"` };
	if (message === 'template render limit exceeded') return { kind: 'limit', reason: 'rendering took longer than the time limit' };
	if (message === 'memory alloc limit exceeded') {
		return { kind: 'limit', reason: 'the template builds too large a value (a range, list or text) for the memory limit' };
	}
	if (message === 'parse length limit exceeded') return { kind: 'limit', reason: 'the template is too long' };
	return { reason: message };
}

/**
 * The mapping of a dialect that refuses `unsupportedFilters` with that explanation rather than as
 * unknown: turns whatever liquidjs or the dialect threw into a LiquidTemplateError in source terms.
 */
export function templateErrorMapping(unsupportedFilters: readonly string[]): ToTemplateError {
	return (error, where, phase) => toTemplateError(error, where, phase, unsupportedFilters);
}

function toTemplateError(
	error: unknown,
	where: ErrorSource,
	phase: 'parse' | 'render',
	unsupportedFilters: readonly string[],
): LiquidTemplateError {
	if (error instanceof LiquidTemplateError) return error;
	const cause = rootCause(error);
	let kind: LiquidErrorKind = phase === 'parse' ? 'syntax' : 'render';
	let reason: string;
	let originalOffset: number | undefined;
	if (cause instanceof DialectError) {
		kind = cause.kind;
		reason = cause.message;
		originalOffset = cause.offset;
	} else if (cause instanceof RangeError) {
		kind = 'limit';
		reason = `the template exceeded an engine limit (${cause.message})`;
	} else {
		const message = cause instanceof Error ? cause.message : String(cause);
		const reworded = rewordLiquidjs(message.replace(LIQUIDJS_POSITION, ''), unsupportedFilters);
		reason = reworded.reason;
		if (reworded.kind) kind = reworded.kind;
	}
	if (phase === 'parse' && kind !== 'unsupported') kind = 'syntax';
	if (originalOffset === undefined && error instanceof LiquidError) {
		const begin = (error as Located).token?.begin;
		if (begin !== undefined) {
			const inSource = sourceReason(reason, where, begin);
			if (inSource) ({ reason, offset: originalOffset } = inSource);
			else {
				originalOffset = toOriginal(where, begin);
				reason = quoteOriginal(reason, where.source, originalOffset);
			}
		}
	}
	return new LiquidTemplateError({
		field: where.field,
		kind,
		reason,
		position: originalOffset === undefined ? undefined : lineColumn(where.source, originalOffset),
	});
}

function toOriginal(where: ErrorSource, offset: number): number {
	return where.map ? where.map.toOriginal(offset) : offset;
}

const UNCLOSED_BLOCK = /^(?:tag \{%[\s\S]*%\}|raw "[\s\S]*") not closed$/;

/** liquidjs errors that quote or point at the translated text, reworded from the user's own. */
function sourceReason(reason: string, where: ErrorSource, begin: number): SourceReason | undefined {
	if (UNCLOSED_BLOCK.test(reason)) return unclosedBlock(where.source, toOriginal(where, begin));
	// liquidjs reads the offending character before it complains, so it points one past it.
	if (reason === 'expected "|" before filter') return unexpectedAfterValue(where.source, toOriginal(where, begin - 1));
	return undefined;
}

function lineColumn(source: string, offset: number): SourcePosition {
	let line = 1;
	let column = 1;
	const end = Math.min(Math.max(offset, 0), source.length);
	for (let i = 0; i < end; i++) {
		if (source.charCodeAt(i) === 10) {
			line++;
			column = 1;
		} else column++;
	}
	return { line, column };
}
