// Results of a tournament from its stored games: W/D/L and Elo per pairing from single games and
// from complete colour-swapped pairs, the SPRT state, pool ratings for three or more engines, and
// counts of terminations and engine faults.

import {
  type EloEstimate, type Pentanomial, type PlayerRating, type PoolAnchor, type PoolResult, type SprtDecision,
  estimateElo, evaluateSprt, fitPool, pentanomial, trinomial,
} from "./stats/index.js";
import type { SprtSettings, TournamentKind } from "./plan.js";
import { type Pairing, pairingsOf } from "./schedule.js";
import type { StoredGame } from "./store.js";
import { FAULT_KINDS, type TerminationKind } from "./termination.js";

/** One engine's results against one opponent (or against the whole field). */
export interface MatchSummary {
  engine: string;
  /** The opponent's name, or undefined for all opponents together. */
  opponent?: string;
  games: number;
  wins: number;
  draws: number;
  losses: number;
  /** Games won by Black and by White, counted by colour whichever engine played it. */
  blackWins: number;
  whiteWins: number;
  /** Elo of `engine` from W/D/L; undefined before the first game. */
  elo?: EloEstimate;
  /** Complete colour-swapped pairs from `engine`'s side: [LL, LD, WL+DD, WD, WW]. */
  pairs: Pentanomial;
  /** Elo from the complete pairs; undefined before the first complete pair. */
  pairElo?: EloEstimate;
}

export interface SprtStatus extends SprtSettings {
  llr: number;
  lower: number;
  upper: number;
  decision: SprtDecision;
}

export type PoolSummary = { ok: true; ratings: readonly PlayerRating[] } | { ok: false; message: string };

export interface ResultsSummary {
  gamesPlayed: number;
  matches: MatchSummary[];
  /** The first engine against all others, for gauntlets with two or more opponents. */
  field?: MatchSummary;
  sprt?: SprtStatus;
  /** Joint ratings when the tournament has three or more engines. */
  pool?: PoolSummary;
  terminations: Partial<Record<TerminationKind, number>>;
  /** Faults (illegal moves, time losses, crashes, ...) by the engine that lost the game through them. */
  faults: Record<string, Partial<Record<TerminationKind, number>>>;
}

export interface ResultsSettings {
  kind: TournamentKind;
  engines: readonly string[];
  sprt?: SprtSettings;
  anchors: Readonly<Record<string, number>>;
}

const POOL_MIN_ENGINES = 3;

/** Summarises the stored games of a tournament. */
export function summarizeResults(settings: ResultsSettings, games: readonly StoredGame[]): ResultsSummary {
  const matches = pairingsOf(settings.kind, settings.engines).map((pairing) => summarizeMatch(pairing[0], games, pairing));
  const summary: ResultsSummary = { gamesPlayed: games.length, matches, ...countTerminations(games) };
  if (settings.kind === "gauntlet" && settings.engines.length > 2) summary.field = summarizeMatch(settings.engines[0], games);
  if (settings.sprt) summary.sprt = sprtStatus(settings.sprt, matches[0]);
  if (settings.engines.length >= POOL_MIN_ENGINES) summary.pool = poolRatings(games, settings.anchors);
  return summary;
}

/** Points of `engine` in a game: 1, 1/2 or 0; undefined when it did not play. */
function pointsOf(engine: string, game: StoredGame): number | undefined {
  if (game.black !== engine && game.white !== engine) return undefined;
  if (game.result === "draw") return 0.5;
  const winner = game.result === "black_win" ? game.black : game.white;
  return winner === engine ? 1 : 0;
}

/** Summarises `engine`'s games against the other engine of `pairing`, or against everyone. */
export function summarizeMatch(engine: string, games: readonly StoredGame[], pairing?: Pairing): MatchSummary {
  const opponent = pairing === undefined ? undefined : pairing.find((name) => name !== engine);
  const played = games.filter((game) => pointsOf(engine, game) !== undefined && (opponent === undefined || game.black === opponent || game.white === opponent));
  const summary: MatchSummary = { engine, games: played.length, wins: 0, draws: 0, losses: 0, blackWins: 0, whiteWins: 0, pairs: [0, 0, 0, 0, 0] };
  if (opponent !== undefined) summary.opponent = opponent;
  for (const game of played) {
    const points = pointsOf(engine, game) as number;
    if (points === 1) summary.wins++;
    else if (points === 0) summary.losses++;
    else summary.draws++;
    if (game.result === "black_win") summary.blackWins++;
    if (game.result === "white_win") summary.whiteWins++;
  }
  summary.pairs = pairCounts(engine, played);
  if (summary.games > 0) summary.elo = estimateElo(trinomial(summary.wins, summary.draws, summary.losses));
  if (summary.pairs.some((count) => count > 0)) summary.pairElo = estimateElo(pentanomial(summary.pairs));
  return summary;
}

/** Counts complete pairs by `engine`'s points in them: 0, 1/2, 1, 3/2 or 2. */
function pairCounts(engine: string, games: readonly StoredGame[]): Pentanomial {
  const counts = [0, 0, 0, 0, 0];
  for (const points of pairPoints(engine, games).values()) {
    if (points.length === 2) counts[Math.round(2 * (points[0] + points[1]))]++;
  }
  return counts as unknown as Pentanomial;
}

/** `engine`'s points in each pair, by pair index; a pair with one entry is incomplete. */
function pairPoints(engine: string, games: readonly StoredGame[]): Map<number, number[]> {
  const byPair = new Map<number, number[]>();
  for (const game of games) {
    const points = pointsOf(engine, game);
    if (points === undefined) continue;
    const list = byPair.get(game.pairIndex) ?? [];
    list.push(points);
    byPair.set(game.pairIndex, list);
  }
  return byPair;
}

/** Runs the SPRT on the complete pairs of the match; the LLR is 0 before the first pair. */
function sprtStatus(settings: SprtSettings, match: MatchSummary | undefined): SprtStatus {
  if (!match || !match.pairs.some((count) => count > 0)) {
    const empty = evaluateSprt(pentanomial([0, 0, 1, 0, 0]), settings);
    return { ...settings, llr: 0, lower: empty.lower, upper: empty.upper, decision: "continue" };
  }
  return { ...settings, ...evaluateSprt(pentanomial(match.pairs), settings) };
}

/** Fits pool ratings: complete pairs count as two-game units, games of incomplete pairs alone. */
function poolRatings(games: readonly StoredGame[], anchors: Readonly<Record<string, number>>): PoolSummary {
  const byPair = new Map<number, StoredGame[]>();
  for (const game of games) byPair.set(game.pairIndex, [...(byPair.get(game.pairIndex) ?? []), game]);
  const results: PoolResult[] = [];
  for (const pair of byPair.values()) {
    const first = pair[0];
    const points = pair.reduce((sum, game) => sum + (pointsOf(first.black, game) as number), 0);
    results.push({ player: first.black, opponent: first.white, points, games: pair.length });
  }
  const anchorList: PoolAnchor[] = Object.entries(anchors).map(([player, elo]) => ({ player, elo }));
  const fit = fitPool(results, { anchors: anchorList });
  return fit.ok ? { ok: true, ratings: fit.value.ratings } : { ok: false, message: fit.error.message };
}

function countTerminations(games: readonly StoredGame[]): Pick<ResultsSummary, "terminations" | "faults"> {
  const terminations: Partial<Record<TerminationKind, number>> = {};
  const faults: Record<string, Partial<Record<TerminationKind, number>>> = {};
  for (const game of games) {
    const kind = game.termination.kind;
    terminations[kind] = (terminations[kind] ?? 0) + 1;
    if (!FAULT_KINDS.includes(kind) || game.result === "draw") continue;
    const loser = game.result === "black_win" ? game.white : game.black;
    const counts = (faults[loser] ??= {});
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return { terminations, faults };
}
