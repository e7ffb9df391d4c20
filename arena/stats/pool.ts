// Joint Bradley-Terry ratings of a pool of players from their pairwise results, with anchors,
// a connectivity check and intervals from the inverse Fisher information.
import { choleskyInverse, cholesky, type Matrix } from "./linalg.js";
import { normalCdf, Z_95 } from "./normal.js";
import { connectedGroups, findUnboundedGroup, type PairingTotals } from "./pool-graph.js";
import { poolFailure, preparePool, type PreparedPool } from "./pool-prepare.js";
import { gradientAndInformation, maximiseLikelihood } from "./pool-solve.js";

/**
 * One result between two players: a single game, a colour-swapped game pair, or any block of
 * games that the bootstrap should resample as a unit.
 */
export interface PoolResult {
  readonly player: string;
  readonly opponent: string;
  /** Points of `player`, 1 for a win and 1/2 for a draw, summed over the games; 0..games. */
  readonly points: number;
  /** Games in this result, a positive integer: 1 for a single game, 2 for a pair. */
  readonly games: number;
}

/** A player pinned at a fixed rating, in Elo points. */
export interface PoolAnchor {
  readonly player: string;
  readonly elo: number;
}

export interface PoolFitOptions {
  /** Players with fixed ratings. With none, the ratings are shifted to a mean of 0. */
  readonly anchors?: readonly PoolAnchor[];
  /**
   * Draws added to every pairing of players that met (default 1). They keep ratings finite when
   * a player won or lost every game, at the cost of a slight pull toward equal ratings. With 0
   * the fit is the plain maximum-likelihood estimate, which fails for such perfect scores.
   */
  readonly virtualDraws?: number;
}

export interface PlayerRating {
  readonly player: string;
  /** Rating in Elo points. */
  readonly elo: number;
  /** Standard error of `elo` from the inverse Fisher information; 0 for an anchor. */
  readonly standardError: number;
  /** Half-width of the 95% interval, Z_95 * standardError. */
  readonly elo95: number;
  readonly anchored: boolean;
  /** Games played, without virtual draws. */
  readonly games: number;
  /** Points scored, without virtual draws. */
  readonly points: number;
}

export interface PoolFit {
  /** Ratings in the order the players first appear in the results. */
  readonly ratings: readonly PlayerRating[];
  /** Covariance of the ratings in Elo points squared, rows and columns in `ratings` order. */
  readonly covariance: readonly (readonly number[])[];
  readonly iterations: number;
}

export type PoolErrorCode = "invalid-result" | "invalid-option" | "unknown-anchor" | "disconnected" | "unbounded";

export interface PoolError {
  readonly code: PoolErrorCode;
  readonly message: string;
  /** Player groups the error is about: the disconnected groups, or the group that lost every game. */
  readonly groups?: readonly (readonly string[])[];
}

/** A value, or the error that prevented it. */
export type PoolOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: PoolError };

export type PoolFitResult = PoolOutcome<PoolFit>;

export const DEFAULT_VIRTUAL_DRAWS = 1;

/**
 * Fits Bradley-Terry ratings to all results at once by maximum likelihood, with draws as half
 * points and the logistic Elo scale: a player rated d points higher expects the score
 * 1 / (1 + 10^(-d/400)). Intervals come from the inverse Fisher information of that likelihood,
 * virtual draws included. NOTE: that information treats each game as a win-or-loss trial, so it
 * ignores how draws lower the variance and overstates the error when draws are common.
 * Fails with "disconnected" when some players are not linked to the others by games, and with
 * "unbounded" when virtualDraws is 0 and a group of players lost every game against the rest.
 */
export function fitPool(results: readonly PoolResult[], options: PoolFitOptions = {}): PoolFitResult {
  const prepared = preparePool(results, options, DEFAULT_VIRTUAL_DRAWS);
  if (!prepared.ok) return prepared;
  const pool = prepared.value;
  const disconnected = checkConnected(pool);
  if (disconnected !== null) return disconnected;

  const totals = withVirtualDraws(pool.pairings, pool.virtualDraws);
  const solved = solvePool(pool, totals);
  if (!solved.ok) return solved;
  const { ratings, iterations } = solved.value;
  const covariance = ratingCovariance(pool, totals, ratings);

  const anchored = pool.anchors;
  const playerRatings = pool.players.map((player, index): PlayerRating => {
    const standardError = Math.sqrt(Math.max(0, covariance[index][index]));
    return {
      player,
      elo: ratings[index],
      standardError,
      elo95: Z_95 * standardError,
      anchored: anchored.has(index),
      ...gamesAndPoints(pool.pairings, index),
    };
  });
  return { ok: true, value: { ratings: playerRatings, covariance, iterations } };
}

/** Returns a "disconnected" failure naming the groups, or null for a connected pool. */
export function checkConnected(pool: PreparedPool): { ok: false; error: PoolError } | null {
  const groups = connectedGroups(pool.players.length, pool.pairings);
  if (groups.length === 1) return null;
  const named = groups.map((group) => group.map((index) => pool.players[index]));
  const listed = named.map((group) => `[${group.join(", ")}]`).join(", ");
  const message =
    `the pool is not connected: no games link the ${groups.length} groups ${listed}; ` +
    "play games between the groups or rate each group on its own";
  return poolFailure("disconnected", message, named);
}

/** Adds `virtualDraws` games of half a point each to every pairing. */
export function withVirtualDraws(pairings: readonly PairingTotals[], virtualDraws: number): PairingTotals[] {
  return pairings.map((pairing) => ({
    ...pairing,
    games: pairing.games + virtualDraws,
    firstPoints: pairing.firstPoints + virtualDraws / 2,
  }));
}

/**
 * Returns each player's position among the fitted ratings, or -1 for a fixed one. Without
 * anchors player 0 is held at 0 while fitting, and the result is shifted to a mean of 0.
 */
function freeSlots(pool: PreparedPool): { slot: number[]; freeCount: number } {
  let freeCount = 0;
  const slot = pool.players.map((_, index) => {
    const fixed = pool.anchors.size > 0 ? pool.anchors.has(index) : index === 0;
    return fixed ? -1 : freeCount++;
  });
  return { slot, freeCount };
}

/**
 * Maximises the likelihood of the given pairing totals (virtual draws included), starting from
 * `start` when given. Used by fitPool and by each bootstrap replicate.
 */
export function solvePool(
  pool: PreparedPool,
  totals: readonly PairingTotals[],
  start?: readonly number[],
): PoolOutcome<{ ratings: number[]; iterations: number }> {
  const unbounded = findUnboundedGroup(pool.players.length, totals);
  if (unbounded !== null) {
    const group = unbounded.map((index) => pool.players[index]);
    const message =
      `no finite ratings: the players [${group.join(", ")}] lost every game against the rest of the pool; ` +
      "set virtualDraws above 0 or add games they score in";
    return poolFailure("unbounded", message, [group]);
  }

  const { slot, freeCount } = freeSlots(pool);
  const solved = maximiseLikelihood(initialRatings(pool, start), totals, slot, freeCount);
  if (solved === null) {
    const message = "no finite ratings: Newton's method did not converge on these results; set virtualDraws above 0";
    return poolFailure("unbounded", message);
  }
  if (pool.anchors.size === 0) {
    const mean = solved.ratings.reduce((total, rating) => total + rating, 0) / solved.ratings.length;
    solved.ratings = solved.ratings.map((rating) => rating - mean);
  }
  return { ok: true, value: solved };
}

/** Places anchors at their Elo and, without anchors, shifts `start` so that player 0 is at 0. */
function initialRatings(pool: PreparedPool, start: readonly number[] | undefined): number[] {
  if (pool.anchors.size > 0) return pool.players.map((_, index) => pool.anchors.get(index) ?? start?.[index] ?? 0);
  const offset = start?.[0] ?? 0;
  return pool.players.map((_, index) => (start?.[index] ?? 0) - offset);
}

/**
 * Computes the covariance of all ratings as the inverse Fisher information of the free ratings,
 * with zero rows for anchors. Without anchors it inverts with player 0 held fixed and then
 * projects onto mean-zero ratings: C' = (I - J/n) C (I - J/n), J the all-ones matrix.
 */
function ratingCovariance(pool: PreparedPool, totals: readonly PairingTotals[], ratings: readonly number[]): Matrix {
  const size = pool.players.length;
  const { slot, freeCount } = freeSlots(pool);
  const { information } = gradientAndInformation(ratings, totals, slot, freeCount);
  const factor = cholesky(information);
  const inverse = factor === null ? null : choleskyInverse(factor);
  const covariance: Matrix = Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, column) => {
      if (slot[row] < 0 || slot[column] < 0) return 0;
      return inverse === null ? Number.POSITIVE_INFINITY : inverse[slot[row]][slot[column]];
    }),
  );
  return pool.anchors.size > 0 ? covariance : centre(covariance);
}

function centre(covariance: Matrix): Matrix {
  const size = covariance.length;
  const rowMeans = covariance.map((row) => row.reduce((total, value) => total + value, 0) / size);
  const grandMean = rowMeans.reduce((total, value) => total + value, 0) / size;
  return covariance.map((row, i) => row.map((value, j) => value - rowMeans[i] - rowMeans[j] + grandMean));
}

function gamesAndPoints(pairings: readonly PairingTotals[], player: number): { games: number; points: number } {
  let games = 0;
  let points = 0;
  for (const pairing of pairings) {
    if (pairing.first === player) {
      games += pairing.games;
      points += pairing.firstPoints;
    } else if (pairing.second === player) {
      games += pairing.games;
      points += pairing.games - pairing.firstPoints;
    }
  }
  return { games, points };
}

/** Difference of two fitted ratings with its standard error and likelihood of superiority. */
export interface RatingComparison {
  /** Elo of `player` minus Elo of `opponent`. */
  readonly difference: number;
  readonly standardError: number;
  /** Probability that `player` is the stronger, Phi(difference / standardError). */
  readonly los: number;
}

/**
 * Compares two players of a fit using the covariance of their ratings.
 * @throws RangeError when either name is not in the fit.
 */
export function compareRatings(fit: PoolFit, player: string, opponent: string): RatingComparison {
  const a = positionIn(fit, player);
  const b = positionIn(fit, opponent);
  const difference = fit.ratings[a].elo - fit.ratings[b].elo;
  const variance = fit.covariance[a][a] + fit.covariance[b][b] - 2 * fit.covariance[a][b];
  const standardError = Math.sqrt(Math.max(0, variance));
  if (standardError > 0) return { difference, standardError, los: normalCdf(difference / standardError) };

  // Two anchors have no error, so their order is certain.
  if (difference > 0) return { difference, standardError, los: 1 };
  if (difference < 0) return { difference, standardError, los: 0 };
  return { difference, standardError, los: 0.5 };
}

function positionIn(fit: PoolFit, player: string): number {
  const position = fit.ratings.findIndex((rating) => rating.player === player);
  if (position < 0) throw new RangeError(`player "${player}" is not in the fit`);
  return position;
}
