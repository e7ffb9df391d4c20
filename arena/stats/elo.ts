// Elo, normalized Elo and likelihood of superiority from one match, as fishtest and fastchess
// compute them.
import { meanAndVariance, toDistribution, type ResultCounts } from "./counts.js";
import { normalCdf, Z_95 } from "./normal.js";

/** Elo points per unit of the natural logarithm of the odds: 400 / ln 10. */
const ELO_PER_NATURAL_LOG = 400 / Math.LN10;

/** Normalized Elo per unit of t-value, (score - 1/2) / per-game standard deviation: 800 / ln 10. */
export const NELO_PER_T_VALUE = 800 / Math.LN10;

/**
 * Scores closer to 0 or 1 than this are clamped before conversion to Elo, as fishtest does, so
 * that Elo and its interval stay finite (at most about +-1199.8) for perfect scores.
 */
const SCORE_CLAMP = 1e-3;

/** Match statistics. Elo values are in Elo points, `los` is a probability in [0, 1]. */
export interface EloEstimate {
  /** Logistic Elo difference of the first player over the second. */
  readonly elo: number;
  /** Half-width of the 95% interval of `elo`. */
  readonly elo95: number;
  /** Normalized Elo: (score - 1/2) / per-game standard deviation, times 800 / ln 10. */
  readonly nelo: number;
  /**
   * Half-width of the 95% interval of `nelo`: 1.96 * (800 / ln 10) / sqrt(games), as fastchess
   * computes it. fishtest's result pages show a different interval that also uses skewness and kurtosis.
   */
  readonly nelo95: number;
  /** Likelihood of superiority: the probability that the first player is the stronger. */
  readonly los: number;
  /** Mean score per game, in [0, 1]. */
  readonly score: number;
  /** Games counted, two per pair for pentanomial counts, with the 0.001 fill of empty buckets. */
  readonly games: number;
}

/** Converts an expected score in (0, 1) to a logistic Elo difference. */
export function scoreToElo(score: number): number {
  const clamped = Math.min(Math.max(score, SCORE_CLAMP), 1 - SCORE_CLAMP);
  return ELO_PER_NATURAL_LOG * Math.log(clamped / (1 - clamped));
}

/** Converts a logistic Elo difference to the expected score 1 / (1 + 10^(-elo/400)). */
export function eloToScore(elo: number): number {
  return 1 / (1 + 10 ** (-elo / 400));
}

/**
 * Estimates Elo, normalized Elo and LOS from trinomial or pentanomial counts. Empty buckets count
 * as 0.001 (as in fishtest). The interval takes the score +- z * standard error and reports half
 * the width of the Elo interval it maps to, so an asymmetric interval is shown as symmetric.
 * @throws RangeError when a count is negative or not finite, or all counts are zero.
 */
export function estimateElo(counts: ResultCounts): EloEstimate {
  const distribution = toDistribution(counts);
  const { mean: score, variance } = meanAndVariance(distribution.scores, distribution.probabilities);
  const standardError = Math.sqrt(variance / distribution.samples);

  // A pair's score is the mean of two games, so a game's variance is twice the pair's.
  const gamesPerSample = counts.kind === "trinomial" ? 1 : 2;
  const games = gamesPerSample * distribution.samples;
  const perGameDeviation = Math.sqrt(gamesPerSample * variance);

  const lowerScore = score - Z_95 * standardError;
  const upperScore = score + Z_95 * standardError;
  return {
    elo: scoreToElo(score),
    elo95: (scoreToElo(upperScore) - scoreToElo(lowerScore)) / 2,
    nelo: ((score - 0.5) / perGameDeviation) * NELO_PER_T_VALUE,
    nelo95: (Z_95 * NELO_PER_T_VALUE) / Math.sqrt(games),
    los: normalCdf((score - 0.5) / standardError),
    score,
    games,
  };
}
