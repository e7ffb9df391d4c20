// Maximum-likelihood distributions under an SPRT hypothesis, computed as fishtest's LLRcalc.py
// does after M. Van den Bergh's notes "support_MLE_multinomial" and "normalized_elo_practical".
import { meanAndVariance } from "./counts.js";

const BISECTION_STEPS = 200;
const T_VALUE_MAX_ITERATIONS = 100;
/** Largest change of a probability between two fixed-point iterations that counts as converged. */
const T_VALUE_TOLERANCE = 1e-12;

/**
 * Solves the secular equation sum_i p_i * x_i / (1 + theta * x_i) = 0 for theta in the interval
 * (-1 / max x, -1 / min x), where the left side falls from +infinity to -infinity.
 * @throws RangeError when the x_i do not take both signs, so that no root exists.
 */
function solveSecular(values: readonly number[], probabilities: readonly number[]): number {
  const smallest = Math.min(...values);
  const largest = Math.max(...values);
  if (!(smallest < 0 && largest > 0)) {
    throw new RangeError("no distribution on these scores meets the hypothesis");
  }

  let low = -1 / largest;
  let high = -1 / smallest;
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const middle = (low + high) / 2;
    if (middle <= low || middle >= high) break;
    if (secularSum(values, probabilities, middle) > 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function secularSum(values: readonly number[], probabilities: readonly number[], theta: number): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += (probabilities[i] * values[i]) / (1 + theta * values[i]);
  return total;
}

/**
 * Returns the distribution on `scores` that maximises the likelihood of the observed
 * `probabilities` among those with mean `expectedScore` (the logistic model).
 */
export function mleWithMean(
  scores: readonly number[],
  probabilities: readonly number[],
  expectedScore: number,
): number[] {
  const shifted = scores.map((score) => score - expectedScore);
  const theta = solveSecular(shifted, probabilities);
  return probabilities.map((probability, i) => probability / (1 + theta * shifted[i]));
}

/**
 * Returns the distribution on `scores` that maximises the likelihood of the observed
 * `probabilities` among those with t-value (mean - 1/2) / standard deviation equal to `tValue`
 * (the normalized model). It iterates from the uniform distribution until no probability moves
 * by more than 1e-12, where fishtest stops after 10 iterations or at 1e-9.
 */
export function mleWithTValue(
  scores: readonly number[],
  probabilities: readonly number[],
  tValue: number,
): number[] {
  let current: number[] = scores.map(() => 1 / scores.length);
  for (let iteration = 0; iteration < T_VALUE_MAX_ITERATIONS; iteration++) {
    const { mean, variance } = meanAndVariance(scores, current);
    const deviation = Math.sqrt(variance);
    const phi = scores.map(
      (score) => score - 0.5 - ((tValue * deviation) / 2) * (1 + ((score - mean) / deviation) ** 2),
    );
    const theta = solveSecular(phi, probabilities);
    const next = probabilities.map((probability, i) => probability / (1 + theta * phi[i]));
    const change = Math.max(...next.map((probability, i) => Math.abs(probability - current[i])));
    current = next;
    if (change < T_VALUE_TOLERANCE) break;
  }
  return current;
}

/**
 * Computes the generalised log-likelihood ratio samples * sum_i p_i * ln(h1_i / h0_i) of the
 * observed distribution p under the fitted distributions h0 and h1.
 */
export function logLikelihoodRatio(
  probabilities: readonly number[],
  h0: readonly number[],
  h1: readonly number[],
  samples: number,
): number {
  let perSample = 0;
  for (let i = 0; i < probabilities.length; i++) perSample += probabilities[i] * Math.log(h1[i] / h0[i]);
  return samples * perSample;
}
