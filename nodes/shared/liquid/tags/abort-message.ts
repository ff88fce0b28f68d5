import { Tag, type Liquid, type TagToken, type TopLevelToken } from '../engine';
import { AbortMessage, DialectError } from '../errors/dialect-error';

const ARGUMENTS = /^\s*(?:\(\s*(?:(['"])([\s\S]*?)\1)?\s*\)|(['"])([\s\S]*?)\3)?\s*$/;

/** `{% abort_message %}` / `{% abort_message('reason') %}`: stop and do not send. */
export class AbortMessageTag extends Tag {
	private readonly reason?: string;

	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
		super(token, remainTokens, liquid);
		const match = ARGUMENTS.exec(token.args);
		if (!match) {
			throw new DialectError('syntax', `abort_message takes one quoted string: {% abort_message('reason') %}, got "${token.args.trim()}"`);
		}
		this.reason = match[2] ?? match[4];
	}

	render(): never {
		throw new AbortMessage(this.reason);
	}
}
