import type { Emitter } from '../engine';
import { DialectError } from '../errors/dialect-error';
import { outputToS } from '../ruby/to-s';

/**
 * Collects output, printing values as Ruby Liquid does (1.0, nil, arrays joined, hashes
 * inspected), and stops a render whose output outgrows the limit.
 */
export class RubyEmitter implements Emitter {
	buffer = '';

	constructor(private readonly maxLength: number) {}

	write(html: unknown): void {
		this.buffer += typeof html === 'string' ? html : outputToS(html);
		if (this.buffer.length > this.maxLength) {
			throw new DialectError('limit', `output is larger than the ${this.maxLength} byte limit`);
		}
	}
}
