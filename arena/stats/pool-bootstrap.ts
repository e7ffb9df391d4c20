// Bootstrap intervals for pool ratings: refit on results resampled with replacement.
import {
  checkConnected,
  DEFAULT_VIRTUAL_DRAWS,
  solvePool,
  withVirtualDraws,
  type PoolFitOptions,
  type PoolOutcome,
  type PoolResult,
} from "./pool.js";
import { poolFailure, preparePool, totalOf, type PreparedPool } from "./pool-prepare.js";
import type { PairingTotals } from "./pool-graph.js";
import { SeededRandom } from "./random.js";

export interface PoolBootstrapOptions {
  /** Seed of the resampling; the same seed and input give the same intervals. */
  readonly seed: number;
  /** Resampled data sets to fit; default 1000. */
  readonly replicates?: number;
}

export interface BootstrapRating {
  readonly player: string;
  /** Standard deviation of the player's rating over the replicates, in Elo points. */
  readonly standardError: number;
  /** 2.5th percentile of the replicate ratings, in Elo points. */
  readonly lower: number;
  /** 97.5th percentile of the replicate ratings, in Elo points. */
  readonly upper: number;
}

export interface PoolBootstrap {
  readonly ratings: readonly BootstrapRating[];
  /** Replicates that gave finite ratings and enter the summaries. */
  readonly replicates: number;
  /** Replicates left out because their ratings had no finite maximum (only with virtualDraws 0). */
  readonly skipped: number;
}

export const DEFAULT_BOOTSTRAP_REPLICATES = 1000;
const LOWER_QUANTILE = (1 - 0.95) / 2;
const UPPER_QUANTILE = 1 - LOWER_QUANTILE;

/**
 * Estimates rating intervals by the bootstrap. For every pairing of players, each replicate draws
 * as many results as the pairing has, with replacement. A result is one game or one game pair, as
 * the input gives it. So every replicate keeps the schedule of the real pool and stays connected.
 * Anchors and virtual draws apply as in fitPool.
 */
export function bootstrapPool(
  results: readonly PoolResult[],
  fitOptions: PoolFitOptions,
  options: PoolBootstrapOptions,
): PoolOutcome<PoolBootstrap> {
  const replicates = options.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  if (!(Number.isSafeInteger(replicates) && replicates > 0)) {
    return poolFailure("invalid-option", `invalid replicates ${replicates}: expected a positive integer`);
  }
  if (!Number.isSafeInteger(options.seed)) {
    return poolFailure("invalid-option", `invalid seed ${options.seed}: expected an integer`);
  }
  const prepared = preparePool(results, fitOptions, DEFAULT_VIRTUAL_DRAWS);
  if (!prepared.ok) return prepared;
  const pool = prepared.value;
  const disconnected = checkConnected(pool);
  if (disconnected !== null) return disconnected;
  const fitted = solvePool(pool, withVirtualDraws(pool.pairings, pool.virtualDraws));
  if (!fitted.ok) return fitted;

  const random = new SeededRandom(options.seed);
  const samples: number[][] = pool.players.map(() => []);
  let skipped = 0;
  for (let replicate = 0; replicate < replicates; replicate++) {
    const solved = solvePool(pool, resample(pool, random), fitted.value.ratings);
    if (!solved.ok) {
      skipped++;
      continue;
    }
    solved.value.ratings.forEach((rating, index) => samples[index].push(rating));
  }

  const ratings = pool.players.map((player, index) => summarise(player, samples[index]));
  return { ok: true, value: { ratings, replicates: replicates - skipped, skipped } };
}

function resample(pool: PreparedPool, random: SeededRandom): PairingTotals[] {
  return pool.units.map((units, pairing) => {
    const drawn = units.map(() => units[random.nextInt(units.length)]);
    const { first, second } = pool.pairings[pairing];
    return totalOf([first, second], drawn, pool.virtualDraws);
  });
}

function summarise(player: string, values: number[]): BootstrapRating {
  if (values.length === 0) return { player, standardError: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return {
    player,
    standardError: Math.sqrt(variance),
    lower: quantile(sorted, LOWER_QUANTILE),
    upper: quantile(sorted, UPPER_QUANTILE),
  };
}

/** Returns the q-quantile of ascending values, interpolating linearly between order statistics. */
function quantile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
