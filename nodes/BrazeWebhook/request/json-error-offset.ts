/**
 * The offset of the first JSON syntax error in `text`, or -1 when it is valid. V8's JSON.parse
 * messages do not always carry a position, and users need one to find the mistake in a template.
 */
class SyntaxErrorAt {
	constructor(readonly offset: number) {}
}

export function jsonErrorOffset(text: string): number {
	let at = 0;

	const fail = (): never => {
		throw new SyntaxErrorAt(at);
	};
	const skipSpace = () => {
		while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
	};
	const literal = (word: string) => {
		for (const char of word) {
			if (text[at] !== char) fail();
			at++;
		}
	};
	const string = () => {
		at++;
		while (at < text.length) {
			const char = text[at];
			if (char === '"') {
				at++;
				return;
			}
			if (char === '\\') {
				at++;
				if (text[at] === 'u') {
					for (let i = 1; i <= 4; i++) if (!/[0-9a-fA-F]/.test(text[at + i] ?? '')) fail();
					at += 5;
					continue;
				}
				if (!'"\\/bfnrt'.includes(text[at] ?? 'x')) fail();
				at++;
				continue;
			}
			if (char < ' ') fail();
			at++;
		}
		fail();
	};
	const number = () => {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
		if (!match || match[0] === '-' || match[0] === '') fail();
		at += (match as RegExpExecArray)[0].length;
	};
	const value = (): void => {
		skipSpace();
		const char = text[at];
		if (char === '{') {
			at++;
			skipSpace();
			if (text[at] === '}') {
				at++;
				return;
			}
			for (;;) {
				skipSpace();
				if (text[at] !== '"') fail();
				string();
				skipSpace();
				if (text[at] !== ':') fail();
				at++;
				value();
				skipSpace();
				if (text[at] === ',') {
					at++;
					continue;
				}
				if (text[at] === '}') {
					at++;
					return;
				}
				fail();
			}
		}
		if (char === '[') {
			at++;
			skipSpace();
			if (text[at] === ']') {
				at++;
				return;
			}
			for (;;) {
				value();
				skipSpace();
				if (text[at] === ',') {
					at++;
					continue;
				}
				if (text[at] === ']') {
					at++;
					return;
				}
				fail();
			}
		}
		if (char === '"') return string();
		if (char === 't') return literal('true');
		if (char === 'f') return literal('false');
		if (char === 'n') return literal('null');
		return number();
	};

	try {
		value();
		skipSpace();
		return at < text.length ? at : -1;
	} catch (error) {
		return error instanceof SyntaxErrorAt ? Math.min(error.offset, text.length) : 0;
	}
}
