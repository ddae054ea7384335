/** Summary of one figure's samples. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Pairs the i-th sample of `a` with the i-th of `b` (taken in the same round, so
 * under the same machine load) and combines each pair, e.g. a ratio or a difference.
 * Medians of these per-round figures are what the targets are checked against.
 */
export function pairwise(a: readonly number[], b: readonly number[], combine: (x: number, y: number) => number): number[] {
  const length = Math.min(a.length, b.length);
  return Array.from({ length }, (_, i) => combine(a[i] as number, b[i] as number));
}

export const ratio = (x: number, y: number): number => x / y;
export const difference = (x: number, y: number): number => x - y;

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
