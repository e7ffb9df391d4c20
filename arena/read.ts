// Reading a tournament back from its database: plan, engines, games and results.

import { existsSync } from "node:fs";
import type { ArenaPlan } from "./plan.js";
import { summarizeResults } from "./results.js";
import { ArenaStore, type EngineRow, type StoredGame, type TournamentRow } from "./store.js";
import type { TournamentSummary } from "./tournament.js";
import { plannedGameCount } from "./schedule.js";

export interface TournamentReport {
  tournament: TournamentRow;
  /** The plan as stored when the tournament was created, defaults filled in. */
  plan: ArenaPlan;
  engines: EngineRow[];
  games: StoredGame[];
  summary: TournamentSummary;
}

/** A database or tournament that cannot be read. */
export class ReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadError";
  }
}

/** Opens a database that must exist; ArenaStore.open would create an empty one. */
export function openExistingStore(dbPath: string): ArenaStore {
  if (!existsSync(dbPath)) throw new ReadError(`database ${dbPath} does not exist`);
  return ArenaStore.open(dbPath);
}

/** Lists the tournaments of a database. */
export function listTournaments(dbPath: string): TournamentRow[] {
  const store = openExistingStore(dbPath);
  try {
    return store.tournaments();
  } finally {
    store.close();
  }
}

/** Reads one tournament, the latest one when `id` is undefined. Throws ReadError. */
export function readTournament(dbPath: string, id?: number): TournamentReport {
  const store = openExistingStore(dbPath);
  try {
    const tournament = id === undefined ? store.tournaments().at(-1) : store.tournament(id);
    if (!tournament) throw new ReadError(id === undefined ? `database ${dbPath} has no tournament` : `database ${dbPath} has no tournament ${id}`);
    const plan = JSON.parse(tournament.planJson) as ArenaPlan;
    const engines = store.enginesOf(tournament.id);
    const games = store.gamesOf(tournament.id);
    const names = plan.engines.map((engine) => engine.name);
    const results = summarizeResults({ kind: plan.kind, engines: names, anchors: plan.anchors, ...(plan.sprt ? { sprt: plan.sprt } : {}) }, games);
    const summary: TournamentSummary = {
      ...results,
      tournamentId: tournament.id,
      name: tournament.name,
      kind: plan.kind,
      status: tournament.status,
      db: dbPath,
      gamesPlanned: plannedGameCount(plan.kind, names, plan.pairs),
      gamesThisRun: 0,
      engines,
    };
    return { tournament, plan, engines, games, summary };
  } finally {
    store.close();
  }
}
