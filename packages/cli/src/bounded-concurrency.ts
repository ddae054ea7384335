/**
 * Runs `work` for every item with at most `limit` running at once, in list order,
 * and resolves when all have settled. `work` must not throw (a thrown error would
 * stop its worker); the callers here turn every failure into a result.
 *
 * @example
 * await forEachBounded(ids, 4, async (id) => { results.push(await close(id)); });
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
