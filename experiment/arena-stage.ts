// The arena stage: at each node budget, a gauntlet of the base against every variant and the
// anchor engines, stored in one SQLite file per budget, then read back as report data.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { exportGames, readTournament, runTournament } from "../arena/index.js";
import { safeFileName } from "../arena/engine-slots.js";
import { parsePlan } from "../arena/plan-parse.js";
import type { MatchSummary, ResultsSummary } from "../arena/results.js";
import type { StoredGame } from "../arena/store.js";
import type { BudgetResult, GameEntry, NodeBudget, PoolRating, PoolTable } from "../reports/run-data.js";
import { legalMoves } from "../shogi/movegen.js";
import { Position } from "../shogi/position.js";
import { makeUsiMove } from "../shogi/usi-move.js";
import type { ExperimentPlan } from "./plan.js";

/** A player of the arena: a model file, optionally with engine options such as an opening book. */
export interface ArenaPlayer {
  name: string;
  model: string;
  options?: Record<string, string | number | boolean>;
}

export interface BudgetOutcome {
  budget: NodeBudget;
  /** Results of each variant against the base, from the variant's side, by variant name. */
  results: Map<string, BudgetResult>;
  pool?: PoolTable;
  games: GameEntry[];
}

export const BASE_PLAYER = "base";
/** Plies of the random openings that make the games of a pair differ from other pairs. */
const OPENING_PLIES = 4;
/** Hash of each engine in the arena, in MiB; small, because many engines run one after another. */
const ARENA_HASH_MB = 16;

/** Plays (or resumes) the gauntlet of one budget and returns its results. */
export async function runBudgetArena(
  runDir: string, plan: ExperimentPlan, budget: NodeBudget, base: ArenaPlayer, variants: ArenaPlayer[],
  onProgress?: (line: string) => void,
): Promise<BudgetOutcome> {
  const openings = writeOpenings(runDir, plan);
  const arenaPlan = parsePlan({
    name: `${path.basename(runDir)}-${budget.name}`,
    kind: "gauntlet",
    engines: [base, ...variants].map(ourEngine).concat(plan.arena.anchors.map((anchor) => ({
      name: anchor.name, type: "reference", profile: anchor.profile,
    }))),
    games: plan.arena.pairsPerVariant * 2,
    concurrency: plan.arena.concurrency,
    timeControl: { type: "nodes", nodes: budget.nodes },
    openings: { path: openings, order: "sequential" },
    seed: plan.seed,
    maxPlies: plan.arena.maxPlies,
    anchors: Object.fromEntries(plan.arena.anchors.map((anchor) => [anchor.name, anchor.elo])),
    db: path.join(runDir, `arena-${safeFileName(budget.name)}.sqlite`),
  }, runDir);
  const summary = await runTournament(arenaPlan, {
    onProgress: onProgress ? (progress) => onProgress(`${budget.name}: ${progress.gamesDone}/${progress.gamesPlanned} games`) : undefined,
  });
  return readOutcome(runDir, budget, summary.db, summary);
}

function ourEngine(player: ArenaPlayer): Record<string, unknown> {
  return { name: player.name, type: "ours", model: player.model, options: { USI_Hash: ARENA_HASH_MB, ...player.options } };
}

/** Writes the opening file of the run: the start position and seeded random 4-ply openings. */
function writeOpenings(runDir: string, plan: ExperimentPlan): string {
  const file = path.join(runDir, "openings.txt");
  const pairs = plan.arena.pairsPerVariant;
  const lines: string[] = [];
  let state = plan.seed >>> 0 || 1;
  for (let i = 0; i < Math.max(pairs, 1); i++) {
    const pos = Position.startpos();
    const moves: string[] = [];
    for (let ply = 0; ply < OPENING_PLIES; ply++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const legal = legalMoves(pos);
      const move = legal[state % legal.length];
      moves.push(makeUsiMove(move));
      pos.doMove(move);
    }
    lines.push(`startpos moves ${moves.join(" ")}`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function readOutcome(runDir: string, budget: NodeBudget, db: string, summary: ResultsSummary): BudgetOutcome {
  const results = new Map<string, BudgetResult>();
  for (const match of summary.matches) {
    if (match.engine !== BASE_PLAYER || match.opponent === undefined) continue;
    results.set(match.opponent, fromVariantSide(budget.name, match));
  }
  const tournament = readTournament(db);
  const gamesDir = path.join(runDir, "games", safeFileName(budget.name));
  exportGames({ db, tournamentId: tournament.tournament.id, format: "kif", outDir: gamesDir });
  const games = tournament.games.map((game) => gameEntry(runDir, budget.name, gamesDir, game));
  return { budget, results, pool: poolTable(budget.name, summary), games };
}

/** Turns the base's match summary against a variant into the variant's result against the base. */
function fromVariantSide(budget: string, match: MatchSummary): BudgetResult {
  const elo = match.elo;
  const [ll, ld, mid, wd, ww] = match.pairs;
  return {
    budget, games: match.games, wins: match.losses, draws: match.draws, losses: match.wins,
    pentanomial: [ww, wd, mid, ld, ll],
    elo: elo ? -elo.elo : 0,
    eloLower: elo ? -elo.elo - elo.elo95 : 0,
    eloUpper: elo ? -elo.elo + elo.elo95 : 0,
    nelo: elo ? -elo.nelo : 0,
    nelo95: elo ? elo.nelo95 : 0,
    los: elo ? 1 - elo.los : 0.5,
  };
}

function poolTable(budget: string, summary: ResultsSummary): PoolTable | undefined {
  if (!summary.pool || !summary.pool.ok) return undefined;
  const ratings: PoolRating[] = summary.pool.ratings.map((rating) => ({
    player: rating.player, elo: rating.elo, eloLower: rating.elo - rating.elo95, eloUpper: rating.elo + rating.elo95,
    games: rating.games, anchor: rating.anchored,
  }));
  return { budget, ratings };
}

function gameEntry(runDir: string, budget: string, gamesDir: string, game: StoredGame): GameEntry {
  const stem = `t${game.tournamentId}-p${game.pairIndex}-g${game.gameInPair}-${safeFileName(game.black)}-vs-${safeFileName(game.white)}`;
  return {
    id: `${budget}-${game.id}`, budget, black: game.black, white: game.white, result: game.result,
    termination: game.termination.kind, plies: game.plies, opening: game.opening,
    kif: path.relative(runDir, path.join(gamesDir, `${stem}.kif`)).split(path.sep).join("/"),
  };
}
