/**
 * Runs `fn` over the items with at most `limit` in flight, keeping results in input order. After the
 * first rejection no further items start; once the ones in flight settle, the returned promise
 * rejects with that first error (so nothing keeps running behind the caller's back).
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	const workerCount = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	let nextIndex = 0;
	let failure: { error: unknown } | undefined;
	const worker = async (): Promise<void> => {
		while (!failure && nextIndex < items.length) {
			const index = nextIndex++;
			await Promise.resolve()
				.then(async () => await fn(items[index], index))
				.then(
					(result) => {
						results[index] = result;
					},
					(error: unknown) => {
						failure ??= { error };
					},
				);
		}
	};
	const workers: Array<Promise<void>> = [];
	for (let i = 0; i < workerCount && i < items.length; i++) workers.push(worker());
	await Promise.all(workers);
	if (failure) throw failure.error;
	return results;
}
