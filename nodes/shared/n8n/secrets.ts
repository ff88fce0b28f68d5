/**
 * Keeps credential values out of what a node outputs, even when a remote host echoes them back in a
 * response body or an error message.
 */
export class SecretScrubber {
	private readonly secrets: string[];

	constructor(values: ReadonlyArray<string | undefined>) {
		// Short values would redact ordinary text; real secrets are longer than this.
		this.secrets = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 6))].sort(
			(a, b) => b.length - a.length,
		);
	}

	get active(): boolean {
		return this.secrets.length > 0;
	}

	text(value: string): string {
		let result = value;
		for (const secret of this.secrets) {
			if (result.includes(secret)) result = result.split(secret).join('[redacted]');
		}
		return result;
	}

	/** Scrubs every string inside a JSON-like value; returns the value itself when nothing matched. */
	deep<T>(value: T): T {
		if (!this.active || value === undefined || value === null) return value;
		if (typeof value === 'string') return this.text(value) as unknown as T;
		if (typeof value !== 'object') return value;
		const serialised = JSON.stringify(value);
		if (serialised === undefined || !this.secrets.some((secret) => serialised.includes(jsonEscaped(secret)))) {
			return value;
		}
		if (Array.isArray(value)) return value.map((entry) => this.deep(entry)) as unknown as T;
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[this.text(key)] = this.deep(entry);
		}
		return copy as T;
	}
}

function jsonEscaped(text: string): string {
	return JSON.stringify(text).slice(1, -1);
}

/** The string values of a credential's secret fields, in the order the fields are listed. */
export function credentialSecretValues(
	credentials: Readonly<Record<string, unknown>>,
	fields: readonly string[],
): string[] {
	return fields.map((field) => credentials[field]).filter((value): value is string => typeof value === 'string');
}
