/**
 * `{{content_blocks.${name}}}`: the block's Liquid put in place of the reference before the field is
 * compiled, so it renders in the item's context as Braze renders it. One nesting level, as Braze:
 * a block's own references are expanded once more, deeper ones are removed.
 */
import { DialectError } from '../errors/dialect-error';

/** A block's Liquid by name; undefined when there is no such block. */
export type ContentBlockLookup = (name: string) => string | undefined;

export const MAX_BLOCK_BYTES = 50 * 1024;
export const BLOCK_NAME = /^[A-Za-z0-9_-]{1,100}$/;

const REFERENCE = /\{\{-?\s*content_blocks\.\$\{\s*([^}]*?)\s*\}\s*-?\}\}/g;

/** The block names a text refers to. */
export function contentBlockNames(text: string): string[] {
	return [...text.matchAll(REFERENCE)].map((match) => match[1]);
}

export function hasContentBlocks(text: string): boolean {
	return text.includes('content_blocks');
}

/** The source with every block reference replaced; throws DialectError naming an unknown block. */
export function expandContentBlocks(source: string, lookup: ContentBlockLookup, depth = 0): string {
	return source.replace(REFERENCE, (_reference, name: string, offset: number) => {
		if (depth >= 2) return '';
		if (!BLOCK_NAME.test(name)) {
			throw new DialectError('syntax', `"${name}" is not a Content Block name (letters, digits, _ and -, at most 100)`, depth === 0 ? offset : undefined);
		}
		const content = lookup(name);
		if (content === undefined) {
			throw new DialectError(
				'render',
				`unknown Content Block "${name}": define it under Connected Content > Content Blocks, or turn on Fetch Content Blocks From Braze`,
				depth === 0 ? offset : undefined,
			);
		}
		if (Buffer.byteLength(content, 'utf8') > MAX_BLOCK_BYTES) {
			throw new DialectError('limit', `Content Block "${name}" is larger than Braze's 50 KB limit`, depth === 0 ? offset : undefined);
		}
		return expandContentBlocks(content, lookup, depth + 1);
	});
}
