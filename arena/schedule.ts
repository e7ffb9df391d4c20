// The tournament schedule: a deterministic sequence of games computed from the plan and its seed.
// Games come in colour-swapped pairs that share an opening, and rounds interleave the pairings,
// so every pairing advances at the same pace and a rerun finds the same game at the same index.

import { openingOrder } from "./openings.js";
import type { OpeningOrder, TournamentKind } from "./plan.js";

/** Two engines that meet, by name; the first plays Black in the first game of each pair. */
export type Pairing = readonly [first: string, second: string];

export interface ScheduledGame {
  /** Position in the schedule, from 0. */
  index: number;
  /** Index of the colour-swapped pair over the whole tournament, from 0. */
  pairIndex: number;
  /** 0 for the first game of the pair, 1 for the game with colours swapped. */
  gameInPair: 0 | 1;
  /** Round of the pair: every pairing plays one pair per round. */
  round: number;
  pairing: Pairing;
  /** Index into the loaded openings. */
  openingIndex: number;
  black: string;
  white: string;
}

export interface ScheduleSettings {
  kind: TournamentKind;
  /** Engine names in plan order. */
  engines: readonly string[];
  /** Pairs per pairing. */
  pairs: number;
  seed: number;
  openingCount: number;
  openingOrder: OpeningOrder;
}

/** Lists the pairings: the first engine against each other one, or every pair of engines. */
export function pairingsOf(kind: TournamentKind, engines: readonly string[]): Pairing[] {
  if (kind !== "round-robin") return engines.slice(1).map((name): Pairing => [engines[0], name]);
  const pairings: Pairing[] = [];
  for (let i = 0; i < engines.length; i++) {
    for (let j = i + 1; j < engines.length; j++) pairings.push([engines[i], engines[j]]);
  }
  return pairings;
}

/**
 * Yields the games in schedule order. Round r plays one pair of every pairing, all from the
 * same opening: entry r (wrapping around) of the seeded opening order.
 */
export function* scheduleGames(settings: ScheduleSettings): Generator<ScheduledGame> {
  const pairings = pairingsOf(settings.kind, settings.engines);
  const order = openingOrder(settings.openingCount, settings.seed, settings.openingOrder);
  let index = 0;
  for (let round = 0; round < settings.pairs; round++) {
    const openingIndex = order[round % order.length];
    for (let p = 0; p < pairings.length; p++) {
      const pairing = pairings[p];
      const pairIndex = round * pairings.length + p;
      for (const gameInPair of [0, 1] as const) {
        const [black, white] = gameInPair === 0 ? pairing : [pairing[1], pairing[0]];
        yield { index: index++, pairIndex, gameInPair, round, pairing, openingIndex, black, white };
      }
    }
  }
}

/** Number of games in the schedule: two per pair, `pairs` pairs per pairing. */
export function plannedGameCount(kind: TournamentKind, engines: readonly string[], pairs: number): number {
  return 2 * pairs * pairingsOf(kind, engines).length;
}

/** Returns the whole schedule as an array. */
export function buildSchedule(settings: ScheduleSettings): ScheduledGame[] {
  return [...scheduleGames(settings)];
}
