// Validation of pool input and aggregation of results into pairings of player indices.
import type { PairingTotals } from "./pool-graph.js";
import type { PoolError, PoolErrorCode, PoolFitOptions, PoolOutcome, PoolResult } from "./pool.js";

/** One resampling unit of a pairing, scored from the pairing's first player. */
export interface PairingUnit {
  readonly games: number;
  readonly firstPoints: number;
}

/** Validated pool input, with players numbered in order of first appearance. */
export interface PreparedPool {
  readonly players: readonly string[];
  /** Real results of each pairing, without virtual draws. */
  readonly pairings: readonly PairingTotals[];
  /** The units each pairing is made of, in input order, parallel to `pairings`. */
  readonly units: readonly (readonly PairingUnit[])[];
  /** Fixed ratings by player index. */
  readonly anchors: ReadonlyMap<number, number>;
  readonly virtualDraws: number;
}

export function poolFailure(
  code: PoolErrorCode,
  message: string,
  groups?: string[][],
): { ok: false; error: PoolError } {
  return { ok: false, error: groups === undefined ? { code, message } : { code, message, groups } };
}

/** Validates the results and options and groups the results by pairing. */
export function preparePool(
  results: readonly PoolResult[],
  options: PoolFitOptions,
  defaultVirtualDraws: number,
): PoolOutcome<PreparedPool> {
  const virtualDraws = options.virtualDraws ?? defaultVirtualDraws;
  if (!(Number.isFinite(virtualDraws) && virtualDraws >= 0)) {
    return poolFailure("invalid-option", `invalid virtualDraws ${virtualDraws}: expected a finite number >= 0`);
  }
  if (results.length === 0) return poolFailure("invalid-result", "no results: the pool needs at least one game");

  const grouped = groupByPairing(results);
  if (!grouped.ok) return grouped;
  const { index, units, ends } = grouped.value;
  const anchors = prepareAnchors(options, index);
  if (!anchors.ok) return anchors;

  const pairings = units.map((list, pairing) => totalOf(ends[pairing], list));
  return { ok: true, value: { players: [...index.keys()], pairings, units, anchors: anchors.value, virtualDraws } };
}

interface GroupedResults {
  /** Player index by name, in order of first appearance. */
  readonly index: Map<string, number>;
  readonly units: PairingUnit[][];
  /** Player indices of each pairing, lower index first. */
  readonly ends: [number, number][];
}

function groupByPairing(results: readonly PoolResult[]): PoolOutcome<GroupedResults> {
  const index = new Map<string, number>();
  const indexOf = (player: string): number => {
    if (!index.has(player)) index.set(player, index.size);
    return index.get(player) as number;
  };

  const pairingIndex = new Map<string, number>();
  const units: PairingUnit[][] = [];
  const ends: [number, number][] = [];
  for (const [position, result] of results.entries()) {
    const problem = resultProblem(result);
    if (problem !== null) return poolFailure("invalid-result", `invalid result at index ${position}: ${problem}`);

    const player = indexOf(result.player);
    const opponent = indexOf(result.opponent);
    const first = Math.min(player, opponent);
    const second = Math.max(player, opponent);
    const key = `${first},${second}`;
    if (!pairingIndex.has(key)) {
      pairingIndex.set(key, units.length);
      units.push([]);
      ends.push([first, second]);
    }
    const firstPoints = player === first ? result.points : result.games - result.points;
    units[pairingIndex.get(key) as number].push({ games: result.games, firstPoints });
  }
  return { ok: true, value: { index, units, ends } };
}

function resultProblem(result: PoolResult): string | null {
  const { player, opponent, points, games } = result;
  if (typeof player !== "string" || player === "" || typeof opponent !== "string" || opponent === "") {
    return `player and opponent must be non-empty names, got "${player}" and "${opponent}"`;
  }
  if (player === opponent) return `"${player}" cannot play against itself`;
  if (!(Number.isSafeInteger(games) && games > 0)) return `games ${games} must be a positive integer`;
  if (!(Number.isFinite(points) && points >= 0 && points <= games)) {
    return `points ${points} must lie between 0 and the ${games} games played`;
  }
  return null;
}

function prepareAnchors(options: PoolFitOptions, index: ReadonlyMap<string, number>): PoolOutcome<Map<number, number>> {
  const anchors = new Map<number, number>();
  for (const { player, elo } of options.anchors ?? []) {
    const position = index.get(player);
    if (position === undefined) {
      return poolFailure("unknown-anchor", `anchor "${player}" played no game in the results; check the name`);
    }
    if (!Number.isFinite(elo)) return poolFailure("invalid-option", `invalid Elo ${elo} for anchor "${player}"`);
    if (anchors.has(position)) return poolFailure("invalid-option", `anchor "${player}" is given twice`);
    anchors.set(position, elo);
  }
  return { ok: true, value: anchors };
}

/** Sums units into pairing totals, optionally adding virtual draws. */
export function totalOf(
  ends: readonly [number, number],
  units: readonly PairingUnit[],
  virtualDraws = 0,
): PairingTotals {
  let games = virtualDraws;
  let firstPoints = virtualDraws / 2;
  for (const unit of units) {
    games += unit.games;
    firstPoints += unit.firstPoints;
  }
  return { first: ends[0], second: ends[1], games, firstPoints };
}
