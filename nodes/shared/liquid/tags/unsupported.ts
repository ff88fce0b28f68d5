import { Tag, type Liquid, type TagToken, type TopLevelToken } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { UNSUPPORTED_TAGS } from '../errors/unsupported-features';

/** Braze tags that need Braze's servers or files: refused when the template is compiled. */
export class UnsupportedTag extends Tag {
	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
		super(token, remainTokens, liquid);
		throw new DialectError('unsupported', UNSUPPORTED_TAGS[token.name] ?? `${token.name} is not available in n8n`);
	}

	render(): void {}
}
