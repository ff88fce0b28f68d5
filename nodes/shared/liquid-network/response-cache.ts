/**
 * connected_content's answer cache, as Braze keeps one per workspace: shared by every item of an
 * execution and by every execution in this n8n process, bounded in entries and in bytes (least
 * recently used go first), with one fetch in flight per key so items needing the same answer wait
 * for it instead of all asking the host.
 */
import type { ConnectedContentAnswer } from '../liquid';

export type CachedResponse = Extract<ConnectedContentAnswer, { kind: 'response' }>;

interface Entry {
	answer: CachedResponse;
	expiresAt: number;
	bytes: number;
}

export const MAX_CACHE_ENTRIES = 2_000;
export const MAX_CACHE_BYTES = 32 * 1024 * 1024;

export class ResponseCache {
	private readonly entries = new Map<string, Entry>();
	private readonly inFlight = new Map<string, Promise<ConnectedContentAnswer>>();
	private bytes = 0;

	constructor(
		private readonly maxEntries = MAX_CACHE_ENTRIES,
		private readonly maxBytes = MAX_CACHE_BYTES,
		private readonly now: () => number = () => Date.now(),
	) {}

	/**
	 * The cached answer, or the one being fetched for the key, or `fetch`'s (cached for `seconds`
	 * when it is a 2XX answer). `seconds` 0: no cache and no sharing, every call fetches.
	 */
	async answer(key: string, seconds: number, fetch: () => Promise<ConnectedContentAnswer>): Promise<{ answer: ConnectedContentAnswer; cached: boolean }> {
		if (seconds <= 0) return { answer: await fetch(), cached: false };
		const hit = this.get(key);
		if (hit) return { answer: hit, cached: true };
		const pending = this.inFlight.get(key);
		if (pending) return { answer: await pending, cached: true };
		const started = fetch().then((answer) => {
			if (answer.kind === 'response' && answer.statusCode >= 200 && answer.statusCode < 300) this.set(key, answer, seconds);
			return answer;
		});
		this.inFlight.set(key, started);
		try {
			return { answer: await started, cached: false };
		} finally {
			this.inFlight.delete(key);
		}
	}

	get size(): number {
		return this.entries.size;
	}

	clear(): void {
		this.entries.clear();
		this.inFlight.clear();
		this.bytes = 0;
	}

	private get(key: string): CachedResponse | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.entries.delete(key);
		if (entry.expiresAt <= this.now()) {
			this.bytes -= entry.bytes;
			return undefined;
		}
		this.entries.set(key, entry);
		return entry.answer;
	}

	private set(key: string, answer: CachedResponse, seconds: number): void {
		const bytes = (answer.body.length + key.length) * 2;
		if (bytes > this.maxBytes) return;
		const existing = this.entries.get(key);
		if (existing) {
			this.entries.delete(key);
			this.bytes -= existing.bytes;
		}
		this.entries.set(key, { answer, expiresAt: this.now() + seconds * 1000, bytes });
		this.bytes += bytes;
		while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
			const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
			this.entries.delete(oldestKey);
			this.bytes -= oldest.bytes;
		}
	}
}

const processCache = new ResponseCache();

/** The cache every execution in this process shares. */
export function sharedResponseCache(): ResponseCache {
	return processCache;
}

/** Test seam: forgets every cached answer, as a restart of n8n would. */
export function resetResponseCache(): void {
	processCache.clear();
}
