class SyntaxErrorAt {
	constructor(readonly offset: number) {}
}

/** A strict JSON scanner that only tracks where it is, and throws SyntaxErrorAt at the first mistake. */
class JsonScanner {
	at = 0;

	constructor(private readonly text: string) {}

	fail(): never {
		throw new SyntaxErrorAt(this.at);
	}

	skipSpace(): void {
		while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
	}

	value(): void {
		this.skipSpace();
		const char = this.text[this.at];
		if (char === '{') return this.object();
		if (char === '[') return this.array();
		if (char === '"') return this.string();
		if (char === 't') return this.literal('true');
		if (char === 'f') return this.literal('false');
		if (char === 'n') return this.literal('null');
		return this.number();
	}

	private object(): void {
		this.at++;
		this.skipSpace();
		if (this.text[this.at] === '}') {
			this.at++;
			return;
		}
		for (;;) {
			this.skipSpace();
			if (this.text[this.at] !== '"') this.fail();
			this.string();
			this.skipSpace();
			if (this.text[this.at] !== ':') this.fail();
			this.at++;
			this.value();
			if (this.closesAfterComma('}')) return;
		}
	}

	private array(): void {
		this.at++;
		this.skipSpace();
		if (this.text[this.at] === ']') {
			this.at++;
			return;
		}
		for (;;) {
			this.value();
			if (this.closesAfterComma(']')) return;
		}
	}

	/** After a member: true when `close` ends the container, false after a comma, else a mistake. */
	private closesAfterComma(close: string): boolean {
		this.skipSpace();
		if (this.text[this.at] === ',') {
			this.at++;
			return false;
		}
		if (this.text[this.at] === close) {
			this.at++;
			return true;
		}
		return this.fail();
	}

	private string(): void {
		const text = this.text;
		this.at++;
		while (this.at < text.length) {
			const char = text[this.at];
			if (char === '"') {
				this.at++;
				return;
			}
			if (char === '\\') {
				this.escape();
				continue;
			}
			if (char < ' ') this.fail();
			this.at++;
		}
		this.fail();
	}

	private escape(): void {
		const text = this.text;
		this.at++;
		if (text[this.at] === 'u') {
			for (let i = 1; i <= 4; i++) if (!/[0-9a-fA-F]/.test(text[this.at + i] ?? '')) this.fail();
			this.at += 5;
			return;
		}
		if (!'"\\/bfnrt'.includes(text[this.at] ?? 'x')) this.fail();
		this.at++;
	}

	private number(): void {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
		if (!match || match[0] === '-' || match[0] === '') this.fail();
		this.at += (match as RegExpExecArray)[0].length;
	}

	private literal(word: string): void {
		for (const char of word) {
			if (this.text[this.at] !== char) this.fail();
			this.at++;
		}
	}
}

/**
 * The offset of the first JSON syntax error in `text`, or -1 when it is valid. V8's JSON.parse
 * messages do not always carry a position, and users need one to find the mistake in a template.
 */
export function jsonErrorOffset(text: string): number {
	const scanner = new JsonScanner(text);
	try {
		scanner.value();
		scanner.skipSpace();
		return scanner.at < text.length ? scanner.at : -1;
	} catch (error) {
		return error instanceof SyntaxErrorAt ? Math.min(error.offset, text.length) : 0;
	}
}
