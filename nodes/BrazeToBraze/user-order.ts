/**
 * Sends batches concurrently (at most `limit` at once) while each user's batches go out in their
 * order: a batch starts only after every earlier batch that concerns one of its users has settled.
 * The first batch goes alone: its answer brings the rate-limit headers the pacer needs before the
 * others fan out, and a first batch that stops the run (a bad key, a redirect) stops it before any
 * other request. Pure scheduling: `send` does the I/O.
 */
import { RequestSlots } from '../shared/delivery/request-slots';

export interface OrderedTask {
	users: readonly string[];
}

export async function runInUserOrder<T extends OrderedTask>(
	tasks: readonly T[],
	limit: number,
	send: (task: T, index: number) => Promise<void>,
	shouldStart: () => boolean = () => true,
): Promise<void> {
	const slots = new RequestSlots(Math.max(1, Math.floor(limit) || 1));
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
				if (!failure && shouldStart()) await send(task, index);
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
