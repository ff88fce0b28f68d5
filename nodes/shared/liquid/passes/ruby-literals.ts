import { TokenKind } from '../engine';
import { RubyFloat } from '../ruby/number';

interface LiteralToken {
	kind: number;
	content: unknown;
	input: string;
	begin: number;
	end: number;
	lhs?: LiteralToken;
	rhs?: LiteralToken;
}

const SKIPPED_KEYS = new Set(['liquid', 'tokenizer', 'token', 'handler', 'input', 'file']);

function visitLiteral(token: LiteralToken, seen: Set<unknown>): void {
	if (token.kind === TokenKind.Number && typeof token.content === 'number') {
		// liquidjs reads `1.0` as the JS number 1, which would print and divide like the Integer 1.
		const text = token.input.slice(token.begin, token.end);
		if (text.includes('.') && Number.isInteger(token.content)) token.content = new RubyFloat(token.content);
	} else if (token.kind === TokenKind.Quoted && typeof token.content === 'string') {
		// Ruby string literals have no escape sequences: "a\n" is a, backslash, n.
		token.content = token.input.slice(token.begin + 1, token.end - 1);
	} else if (token.kind === TokenKind.Range) {
		// Ruby ranges take the integer part of float bounds: (1..3.9) is 1, 2, 3.
		for (const bound of [token.lhs, token.rhs]) {
			if (bound && bound.kind === TokenKind.Number) {
				bound.content = Math.trunc(Number(bound.content));
				seen.add(bound);
			}
		}
	}
}

/** Gives number, string and range literals in a parsed template their Ruby Liquid meaning. */
export function rubyLiterals(root: unknown): void {
	const seen = new Set<unknown>();
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const node = stack.pop();
		if (typeof node !== 'object' || node === null || seen.has(node)) continue;
		seen.add(node);
		visitLiteral(node as LiteralToken, seen);
		if (Array.isArray(node)) {
			for (const item of node) stack.push(item);
			continue;
		}
		if ((node as LiteralToken).kind === TokenKind.Number || (node as LiteralToken).kind === TokenKind.Quoted) continue;
		for (const key of Object.keys(node)) {
			if (!SKIPPED_KEYS.has(key)) stack.push((node as Record<string, unknown>)[key]);
		}
	}
}
