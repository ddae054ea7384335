/** One contender of an interleaved measurement. */
export interface Alternative<K extends string = string> {
  key: K;
  /** Takes one sample (e.g. milliseconds of one cold start). */
  sample: () => Promise<number>;
}

/**
 * Takes `rounds` samples of every alternative, one of each per round (A B C, B C A,
 * C A B, …), so drift in the machine's load hits them alike and the i-th samples
 * of two alternatives can be compared pair by pair. The order rotates so no
 * alternative always runs first (cold caches) or last.
 */
export async function interleave<K extends string>(alternatives: readonly Alternative<K>[], rounds: number): Promise<Record<K, number[]>> {
  const samples = Object.fromEntries(alternatives.map((a) => [a.key, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < alternatives.length; j++) {
      const alternative = alternatives[(j + round) % alternatives.length] as Alternative<K>;
      samples[alternative.key].push(await alternative.sample());
    }
  }
  return samples;
}
