// Newton's method for the Bradley-Terry likelihood of a pool, with draws as half points.
import { cholesky, choleskySolve, type Matrix } from "./linalg.js";
import type { PairingTotals } from "./pool-graph.js";

/** Slope of the logistic Elo curve in natural-log odds per Elo point: ln 10 / 400. */
const LOG_ODDS_PER_ELO = Math.LN10 / 400;
const MAX_NEWTON_STEPS = 200;
const MAX_STEP_HALVINGS = 60;
/** Newton stops once no rating moves by more than this many Elo points. */
const STEP_TOLERANCE_ELO = 1e-9;

/** Returns the expected score of a player rated `difference` Elo points above the opponent. */
function expectedScore(difference: number): number {
  return 1 / (1 + Math.exp(-LOG_ODDS_PER_ELO * difference));
}

/** Computes the log-likelihood of the pairings, the sum of S ln E + (G - S) ln(1 - E). */
export function logLikelihood(ratings: readonly number[], pairings: readonly PairingTotals[]): number {
  let total = 0;
  for (const { first, second, games, firstPoints } of pairings) {
    const expected = expectedScore(ratings[first] - ratings[second]);
    if (firstPoints > 0) total += firstPoints * Math.log(expected);
    if (games - firstPoints > 0) total += (games - firstPoints) * Math.log(1 - expected);
  }
  return total;
}

/**
 * Computes the gradient of the log-likelihood and the Fisher information (its negative Hessian)
 * with respect to the free ratings, in Elo units. `slot[player]` is the player's position among
 * the free ratings, or -1 for a fixed one.
 */
export function gradientAndInformation(
  ratings: readonly number[],
  pairings: readonly PairingTotals[],
  slot: readonly number[],
  freeCount: number,
): { gradient: number[]; information: Matrix } {
  const gradient = new Array<number>(freeCount).fill(0);
  const information: Matrix = Array.from({ length: freeCount }, () => new Array<number>(freeCount).fill(0));
  for (const { first, second, games, firstPoints } of pairings) {
    const expected = expectedScore(ratings[first] - ratings[second]);
    const residual = LOG_ODDS_PER_ELO * (firstPoints - games * expected);
    const weight = LOG_ODDS_PER_ELO * LOG_ODDS_PER_ELO * games * expected * (1 - expected);
    const a = slot[first];
    const b = slot[second];
    if (a >= 0) {
      gradient[a] += residual;
      information[a][a] += weight;
    }
    if (b >= 0) {
      gradient[b] -= residual;
      information[b][b] += weight;
    }
    if (a >= 0 && b >= 0) {
      information[a][b] -= weight;
      information[b][a] -= weight;
    }
  }
  return { gradient, information };
}

/**
 * Maximises the log-likelihood over the free ratings by Newton's method, halving a step until
 * the likelihood does not fall. `start` contains every rating, fixed ones at their final value.
 * Returns null when the information matrix is singular or the steps do not converge, which
 * happens when some ratings have no finite maximum.
 */
export function maximiseLikelihood(
  start: readonly number[],
  pairings: readonly PairingTotals[],
  slot: readonly number[],
  freeCount: number,
): { ratings: number[]; iterations: number } | null {
  let ratings = [...start];
  let current = logLikelihood(ratings, pairings);
  for (let iteration = 1; iteration <= MAX_NEWTON_STEPS; iteration++) {
    const { gradient, information } = gradientAndInformation(ratings, pairings, slot, freeCount);
    const factor = cholesky(information);
    if (factor === null) return null;
    const step = choleskySolve(factor, gradient);

    const next = lineSearch(ratings, step, slot, pairings, current);
    if (next === null) return { ratings, iterations: iteration };
    ratings = next.ratings;
    current = next.logLikelihood;
    if (next.largestMove < STEP_TOLERANCE_ELO) return { ratings, iterations: iteration };
  }
  return null;
}

/** Takes the Newton step, halved until the log-likelihood does not fall; null if none works. */
function lineSearch(
  ratings: readonly number[],
  step: readonly number[],
  slot: readonly number[],
  pairings: readonly PairingTotals[],
  current: number,
): { ratings: number[]; logLikelihood: number; largestMove: number } | null {
  let scale = 1;
  for (let halving = 0; halving < MAX_STEP_HALVINGS; halving++) {
    const moved = ratings.map((rating, player) => (slot[player] >= 0 ? rating + scale * step[slot[player]] : rating));
    const value = logLikelihood(moved, pairings);
    if (value >= current) {
      const largestMove = scale * Math.max(0, ...step.map(Math.abs));
      return { ratings: moved, logLikelihood: value, largestMove };
    }
    scale /= 2;
  }
  return null;
}
