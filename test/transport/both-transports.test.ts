/**
 * The shared table (transport-cases.ts) through n8n's request helper and through fetch with
 * Reuse Connections: each case's own expectations must hold for both, and both must put the same
 * requests on the wire (method, path, Content-Type and body bytes).
 */
import { resetProcessState } from '../../nodes/shared/delivery/process-state';
import { BEHAVIOUR_CASES, BODY_CASES, TRANSPORTS, type Transport, type TransportCase, type WireRecord } from './transport-cases';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async (close) => await close()));
});

async function runThroughBoth(testCase: TransportCase): Promise<Record<Transport, WireRecord[]>> {
	const wire = {} as Record<Transport, WireRecord[]>;
	for (const transport of TRANSPORTS) {
		resetProcessState();
		try {
			wire[transport] = await testCase.run(transport, (close) => closers.push(close));
		} catch (error) {
			(error as Error).message = `through ${transport}: ${(error as Error).message}`;
			throw error;
		}
	}
	return wire;
}

describe('both transports send the same bytes', () => {
	it.each(BODY_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		const wire = await runThroughBoth(testCase);
		expect(wire.n8n.length).toBeGreaterThan(0);
		expect(wire.fetch).toEqual(wire.n8n);
	});
});

describe('both transports behave the same', () => {
	it.each(BEHAVIOUR_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		const wire = await runThroughBoth(testCase);
		expect(wire.fetch).toEqual(wire.n8n);
	});
});
