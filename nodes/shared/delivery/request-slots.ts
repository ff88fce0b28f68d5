/**
 * Limits how many requests are on the wire at once, first come first served. Items waiting out a
 * backoff hold no slot, so a host that asks for retries does not stall the items behind them.
 */
export class RequestSlots {
	private inUse = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async acquire(): Promise<void> {
		if (this.inUse < this.limit) {
			this.inUse++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.inUse--;
	}
}
