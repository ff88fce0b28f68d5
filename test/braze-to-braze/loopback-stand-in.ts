/** What both Braze stand-ins expose of the loopback server they answer on. */
import type { LoopbackServer, RecordedRequest } from '../harness/loopback-server';

export abstract class LoopbackStandIn {
	server!: LoopbackServer;

	get url(): string {
		return this.server.url;
	}

	get requests(): RecordedRequest[] {
		return this.server.requests;
	}

	async close(): Promise<void> {
		await this.server.close();
	}
}
