// Generalised SPRT (GSPRT) on trinomial or pentanomial counts, as fishtest computes it.
import { toDistribution, type ResultCounts } from "./counts.js";
import { eloToScore, NELO_PER_T_VALUE } from "./elo.js";
import { logLikelihoodRatio, mleWithMean, mleWithTValue } from "./mle.js";

/** Units of the Elo bounds of the hypotheses: logistic Elo or normalized Elo (nElo). */
export const SPRT_MODELS = ["logistic", "normalized"] as const;

export type SprtModel = (typeof SPRT_MODELS)[number];

/** "H0" and "H1" name the accepted hypothesis; "continue" means more games are needed. */
export type SprtDecision = "H0" | "H1" | "continue";

export interface SprtOptions {
  /** Elo difference under H0, in the unit of `model`. */
  readonly elo0: number;
  /** Elo difference under H1, in the unit of `model`; greater than `elo0`. */
  readonly elo1: number;
  /** Default "normalized". */
  readonly model?: SprtModel;
  /** Probability of accepting H1 when H0 holds; default 0.05. */
  readonly alpha?: number;
  /** Probability of accepting H0 when H1 holds; default 0.05. */
  readonly beta?: number;
}

export interface SprtResult {
  /** Log-likelihood ratio of H1 over H0. */
  readonly llr: number;
  /** ln(beta / (1 - alpha)): at or below it H0 is accepted. */
  readonly lower: number;
  /** ln((1 - beta) / alpha): at or above it H1 is accepted. */
  readonly upper: number;
  readonly decision: SprtDecision;
}

export const DEFAULT_SPRT_MODEL: SprtModel = "normalized";
export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_BETA = 0.05;

/**
 * Returns the stopping bounds of the log-likelihood ratio for error rates alpha and beta.
 * @throws RangeError unless 0 < alpha, 0 < beta and alpha + beta < 1.
 */
export function sprtBounds(alpha: number, beta: number): { lower: number; upper: number } {
  if (!(alpha > 0 && beta > 0 && alpha + beta < 1)) {
    throw new RangeError(`invalid alpha ${alpha} and beta ${beta}: both must be positive with a sum below 1`);
  }
  return { lower: Math.log(beta / (1 - alpha)), upper: Math.log((1 - beta) / alpha) };
}

/**
 * Computes the generalised log-likelihood ratio n * sum_i p_i * ln(p1_i / p0_i). Here p is the
 * observed distribution, with empty buckets counted as 0.001. The distributions p0 and p1 are
 * those of maximum likelihood whose expected score (logistic) or t-value (normalized) matches
 * elo0 and elo1.
 * @throws RangeError for invalid counts, or bounds that no distribution on the scores can reach.
 */
export function sprtLlr(counts: ResultCounts, elo0: number, elo1: number, model: SprtModel): number {
  const { scores, probabilities, samples } = toDistribution(counts);
  const h0 = fitHypothesis(scores, probabilities, elo0, model, counts.kind === "pentanomial");
  const h1 = fitHypothesis(scores, probabilities, elo1, model, counts.kind === "pentanomial");
  return logLikelihoodRatio(probabilities, h0, h1, samples);
}

function fitHypothesis(
  scores: readonly number[],
  probabilities: readonly number[],
  elo: number,
  model: SprtModel,
  pairs: boolean,
): number[] {
  try {
    if (model === "logistic") return mleWithMean(scores, probabilities, eloToScore(elo));
    return mleWithTValue(scores, probabilities, normalizedTValue(elo, pairs));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new RangeError(`the ${model} bound ${elo} cannot be fitted to these results; use bounds closer to 0`);
  }
}

/**
 * Converts normalized Elo to the t-value of one sample. A pair's score is the mean of two games,
 * so its t-value is sqrt(2) times that of a game.
 */
function normalizedTValue(nelo: number, pairs: boolean): number {
  const perGame = nelo / NELO_PER_T_VALUE;
  return pairs ? Math.SQRT2 * perGame : perGame;
}

/**
 * Runs the SPRT stop test on the results so far.
 * @throws RangeError for invalid counts, elo0 >= elo1, or invalid alpha and beta.
 */
export function evaluateSprt(counts: ResultCounts, options: SprtOptions): SprtResult {
  const { elo0, elo1 } = options;
  if (!(Number.isFinite(elo0) && Number.isFinite(elo1) && elo0 < elo1)) {
    throw new RangeError(`invalid bounds elo0 ${elo0} and elo1 ${elo1}: elo0 must be less than elo1`);
  }
  const { lower, upper } = sprtBounds(options.alpha ?? DEFAULT_ALPHA, options.beta ?? DEFAULT_BETA);
  const llr = sprtLlr(counts, elo0, elo1, options.model ?? DEFAULT_SPRT_MODEL);
  return { llr, lower, upper, decision: decide(llr, lower, upper) };
}

function decide(llr: number, lower: number, upper: number): SprtDecision {
  if (llr >= upper) return "H1";
  if (llr <= lower) return "H0";
  return "continue";
}
