/**
 * Sends batches concurrently (at most `limit` at once) while each user's batches go out in their
 * order: a batch starts only after every earlier batch that concerns one of its users has settled.
 * The first batch goes alone: its answer brings the rate-limit headers the pacer needs before the
 * others fan out, and a first batch that stops the run (a bad key, a redirect) stops it before any
 * other request. Pure scheduling: `send` does the I/O, `pause` the waiting.
 */
import { RequestSlots } from '../shared/delivery/request-slots';

export interface OrderedTask {
	users: readonly string[];
}

/** The fan-out after the first batch is spread over at most this long. */
const MAX_SPREAD_MS = 1000;

export async function runInUserOrder<T extends OrderedTask>(
	tasks: readonly T[],
	limit: number,
	send: (task: T, index: number) => Promise<void>,
	shouldStart: () => boolean = () => true,
	pause?: (ms: number) => Promise<void>,
): Promise<void> {
	const size = Math.max(1, Math.floor(limit) || 1);
	const slots = new RequestSlots(size);
	const fanOut = spreadFanOut(size, pause);
	const lastOfUser = new Map<string, number>();
	const done: Array<Promise<void>> = [];
	let failure: { error: unknown } | undefined;
	tasks.forEach((task, index) => {
		const before = new Set<number>();
		for (const user of task.users) {
			const earlier = lastOfUser.get(user);
			if (earlier !== undefined) before.add(earlier);
			lastOfUser.set(user, index);
		}
		if (index > 0) before.add(0);
		const waitFor = [...before].map((earlier) => done[earlier]);
		done[index] = (async () => {
			await Promise.all(waitFor);
			await slots.acquire();
			try {
				if (index > 0) await fanOut.wait();
				const started = Date.now();
				if (!failure && shouldStart()) await send(task, index);
				if (index === 0) fanOut.firstTook(Date.now() - started);
			} catch (error) {
				failure ??= { error };
			} finally {
				slots.release();
			}
		})();
	});
	await Promise.all(done);
	if (failure) throw failure.error;
}

/**
 * Without a spread, the first `limit` batches after the first leave together, their answers come
 * back together, and handling them one after another delays every slot's next request for the rest
 * of the run. Spreading them over the first batch's round trip keeps the answers apart.
 */
function spreadFanOut(limit: number, pause: ((ms: number) => Promise<void>) | undefined) {
	let stepMs = 0;
	let fanOutAt = 0;
	let launched = 0;
	return {
		firstTook: (ms: number) => {
			stepMs = Math.min(ms, MAX_SPREAD_MS) / limit;
			fanOutAt = Date.now();
		},
		/** The k-th launch of the fan-out leaves k steps after it began; a launch already later waits not. */
		wait: async () => {
			const position = launched++;
			if (!pause || position === 0 || position >= limit || stepMs === 0) return;
			const ms = fanOutAt + position * stepMs - Date.now();
			if (ms > 0) await pause(ms);
		},
	};
}
