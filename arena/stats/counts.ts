// Match results as counts, and their conversion to an empirical distribution of scores.

/** Pair counts in fishtest order: [LL, LD, WL+DD, WD, WW], pair scores 0, 1/4, 1/2, 3/4, 1. */
export type Pentanomial = readonly [ll: number, ld: number, wlDd: number, wd: number, ww: number];

/** Game counts of one player against another, or game-pair counts of colour-swapped pairs. */
export type ResultCounts =
  | { readonly kind: "trinomial"; readonly wins: number; readonly draws: number; readonly losses: number }
  | { readonly kind: "pentanomial"; readonly pairs: Pentanomial };

export type CountsKind = ResultCounts["kind"];

/**
 * Empirical distribution of one sample (a game, or a game pair scored as its average) on the
 * support `scores`, ascending from 0 to 1. `samples` is the number of games or pairs.
 */
export interface ScoreDistribution {
  readonly scores: readonly number[];
  readonly probabilities: readonly number[];
  readonly samples: number;
}

const TRINOMIAL_SCORES = [0, 0.5, 1] as const;
const PENTANOMIAL_SCORES = [0, 0.25, 0.5, 0.75, 1] as const;

/**
 * Count that replaces an empty bucket, so that every score keeps a positive probability and
 * logarithms stay finite. fishtest and fastchess use the same value.
 */
export const EMPTY_BUCKET_COUNT = 1e-3;

export function trinomial(wins: number, draws: number, losses: number): ResultCounts {
  return { kind: "trinomial", wins, draws, losses };
}

export function pentanomial(pairs: Pentanomial): ResultCounts {
  return { kind: "pentanomial", pairs };
}

/** Returns the counts in ascending score order: [L, D, W] or [LL, LD, WL+DD, WD, WW]. */
export function bucketsOf(counts: ResultCounts): readonly number[] {
  if (counts.kind === "trinomial") return [counts.losses, counts.draws, counts.wins];
  return counts.pairs;
}

/** Returns the number of games the counts stand for (two per pair). */
export function gamesOf(counts: ResultCounts): number {
  const total = sum(bucketsOf(counts));
  return counts.kind === "trinomial" ? total : 2 * total;
}

/**
 * Converts counts to an empirical distribution, with each empty bucket replaced by
 * EMPTY_BUCKET_COUNT as fishtest does.
 * @throws RangeError when a count is negative or not finite, or all counts are zero.
 */
export function toDistribution(counts: ResultCounts): ScoreDistribution {
  const buckets = bucketsOf(counts);
  assertValidBuckets(buckets);
  const regularised = buckets.map((count) => (count === 0 ? EMPTY_BUCKET_COUNT : count));
  const samples = sum(regularised);
  return {
    scores: counts.kind === "trinomial" ? TRINOMIAL_SCORES : PENTANOMIAL_SCORES,
    probabilities: regularised.map((count) => count / samples),
    samples,
  };
}

function assertValidBuckets(buckets: readonly number[]): void {
  for (const count of buckets) {
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`invalid count ${count}: counts must be finite and non-negative`);
    }
  }
  if (sum(buckets) === 0) throw new RangeError("invalid counts: all counts are zero");
}

/** Returns the mean and variance of a distribution given as parallel arrays. */
export function meanAndVariance(
  scores: readonly number[],
  probabilities: readonly number[],
): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < scores.length; i++) mean += probabilities[i] * scores[i];
  let variance = 0;
  for (let i = 0; i < scores.length; i++) variance += probabilities[i] * (scores[i] - mean) ** 2;
  return { mean, variance };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
