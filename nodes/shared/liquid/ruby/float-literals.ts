import { TokenKind } from '../engine';
import { RubyFloat } from './number';

interface NumberLike {
	kind: number;
	content: unknown;
	input: string;
	begin: number;
	end: number;
}

const SKIPPED_KEYS = new Set(['liquid', 'tokenizer', 'token', 'handler', 'input', 'file']);

/**
 * Marks literals written as floats (`1.0`) so they stay Ruby Floats: liquidjs parses them to
 * the JS number 1, which would print and divide like the Integer 1.
 */
export function markFloatLiterals(root: unknown): void {
	const seen = new Set<unknown>();
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const node = stack.pop();
		if (typeof node !== 'object' || node === null || seen.has(node)) continue;
		seen.add(node);
		const token = node as NumberLike;
		if (token.kind === TokenKind.Number && typeof token.content === 'number') {
			const text = token.input.slice(token.begin, token.end);
			if (text.includes('.') && Number.isInteger(token.content)) token.content = new RubyFloat(token.content);
			continue;
		}
		if (Array.isArray(node)) {
			for (const item of node) stack.push(item);
			continue;
		}
		for (const key of Object.keys(node)) {
			if (!SKIPPED_KEYS.has(key)) stack.push((node as Record<string, unknown>)[key]);
		}
	}
}
