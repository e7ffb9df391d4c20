// The results database: SQLite through better-sqlite3, in WAL mode, with one row per
// tournament, engine and finished game. Each game is written in its own transaction, so a killed
// tournament loses at most the games that were still running.

import Database from "better-sqlite3";
import type { EngineIdentity } from "../usi/client.js";
import type { Termination } from "./termination.js";
import { STORE_SCHEMA } from "./store-schema.js";

export type TournamentStatus = "running" | "finished" | "interrupted";
export type StoredResult = "black_win" | "white_win" | "draw";

export interface TournamentRow {
  id: number;
  name: string;
  kind: string;
  planHash: string;
  planJson: string;
  seed: number;
  status: TournamentStatus;
  createdAt: string;
  updatedAt: string;
}

export interface EngineRow {
  id: number;
  tournamentId: number;
  name: string;
  command: string[];
  options: Record<string, unknown>;
  model: string | null;
  modelHash: string | null;
  usiName: string | null;
  usiAuthor: string | null;
}

/** A game as stored. Moves include the opening moves; times are in milliseconds. */
export interface StoredGame {
  id: number;
  tournamentId: number;
  pairIndex: number;
  gameInPair: 0 | 1;
  openingIndex: number;
  /** The opening as `position` arguments: "startpos moves ..." or "sfen ... moves ...". */
  opening: string;
  black: string;
  white: string;
  result: StoredResult;
  termination: Termination;
  plies: number;
  openingPlies: number;
  blackTimeMs: number;
  whiteTimeMs: number;
  initialSfen: string;
  moves: string[];
  /** Time of each move after the opening. */
  moveTimesMs: number[];
  /** Score of each move after the opening, as reported, or null. */
  scores: (string | null)[];
  startedAt: string;
  finishedAt: string;
}

export type NewGame = Omit<StoredGame, "id">;

/** Engine data written when a tournament starts. */
export interface NewEngine {
  name: string;
  command: string[];
  options: Record<string, unknown>;
  model?: string;
  modelHash?: string;
}

/** Waits this long for a lock held by another connection, such as a reader, before failing. */
const BUSY_TIMEOUT_MS = 10_000;

export class ArenaStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens or creates the database and its tables. */
  static open(path: string): ArenaStore {
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("foreign_keys = ON");
    db.exec(STORE_SCHEMA);
    return new ArenaStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** Returns the tournament with this plan identity, creating it when there is none. */
  findOrCreateTournament(planHash: string, plan: { name: string; kind: string; seed: number }, planJson: string): { row: TournamentRow; created: boolean } {
    const found = this.tournamentByHash(planHash);
    if (found) return { row: found, created: false };
    const now = new Date().toISOString();
    this.db
      .prepare(`INSERT INTO tournaments (name, kind, plan_hash, plan_json, seed, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`)
      .run(plan.name, plan.kind, planHash, planJson, plan.seed, now, now);
    return { row: this.tournamentByHash(planHash) as TournamentRow, created: true };
  }

  tournament(id: number): TournamentRow | undefined {
    const row = this.db.prepare("SELECT * FROM tournaments WHERE id = ?").get(id);
    return row === undefined ? undefined : tournamentFromRow(row as Record<string, unknown>);
  }

  tournaments(): TournamentRow[] {
    return this.db.prepare("SELECT * FROM tournaments ORDER BY id").all().map((row) => tournamentFromRow(row as Record<string, unknown>));
  }

  setStatus(id: number, status: TournamentStatus): void {
    this.db.prepare("UPDATE tournaments SET status = ?, updated_at = ? WHERE id = ?").run(status, new Date().toISOString(), id);
  }

  /** Inserts the engines that are not stored yet and returns all of the tournament's engines. */
  registerEngines(tournamentId: number, engines: readonly NewEngine[]): EngineRow[] {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO engines (tournament_id, name, command_json, options_json, model, model_hash)
                                    VALUES (?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const engine of engines) {
        insert.run(tournamentId, engine.name, JSON.stringify(engine.command), JSON.stringify(engine.options), engine.model ?? null, engine.modelHash ?? null);
      }
    })();
    return this.enginesOf(tournamentId);
  }

  enginesOf(tournamentId: number): EngineRow[] {
    const rows = this.db.prepare("SELECT * FROM engines WHERE tournament_id = ? ORDER BY id").all(tournamentId);
    return rows.map((row) => engineFromRow(row as Record<string, unknown>));
  }

  /** Stores the `id name` and `id author` an engine sent. */
  setEngineIdentity(engineId: number, identity: EngineIdentity): void {
    this.db.prepare("UPDATE engines SET usi_name = ?, usi_author = ? WHERE id = ?").run(identity.name ?? null, identity.author ?? null, engineId);
  }

  /**
   * Writes one finished game in one transaction and returns its row id. Throws when that game of
   * the pair is already stored.
   */
  insertGame(game: NewGame, engineIds: ReadonlyMap<string, number>): number {
    const statement = this.db.prepare(`INSERT INTO games (
        tournament_id, pair_index, game_in_pair, opening_index, opening, black_engine_id, white_engine_id, result,
        termination, termination_json, plies, opening_plies, black_time_ms, white_time_ms, initial_sfen, moves,
        move_times_json, scores_json, started_at, finished_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    return this.db.transaction(() => {
      const inserted = statement.run(
        game.tournamentId, game.pairIndex, game.gameInPair, game.openingIndex, game.opening,
        engineIds.get(game.black), engineIds.get(game.white), game.result, game.termination.kind,
        JSON.stringify(game.termination), game.plies, game.openingPlies, game.blackTimeMs, game.whiteTimeMs,
        game.initialSfen, game.moves.join(" "), JSON.stringify(game.moveTimesMs), JSON.stringify(game.scores),
        game.startedAt, game.finishedAt,
      );
      this.db.prepare("UPDATE tournaments SET updated_at = ? WHERE id = ?").run(game.finishedAt, game.tournamentId);
      return Number(inserted.lastInsertRowid);
    })();
  }

  /** Returns the tournament's games in schedule order. */
  gamesOf(tournamentId: number): StoredGame[] {
    const rows = this.db
      .prepare(`SELECT g.*, b.name AS black_name, w.name AS white_name FROM games g
                JOIN engines b ON b.id = g.black_engine_id JOIN engines w ON w.id = g.white_engine_id
                WHERE g.tournament_id = ? ORDER BY g.pair_index, g.game_in_pair`)
      .all(tournamentId);
    return rows.map((row) => gameFromRow(row as Record<string, unknown>));
  }

  private tournamentByHash(planHash: string): TournamentRow | undefined {
    const row = this.db.prepare("SELECT * FROM tournaments WHERE plan_hash = ?").get(planHash);
    return row === undefined ? undefined : tournamentFromRow(row as Record<string, unknown>);
  }
}

function tournamentFromRow(row: Record<string, unknown>): TournamentRow {
  return {
    id: row.id as number,
    name: row.name as string,
    kind: row.kind as string,
    planHash: row.plan_hash as string,
    planJson: row.plan_json as string,
    seed: row.seed as number,
    status: row.status as TournamentStatus,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

function engineFromRow(row: Record<string, unknown>): EngineRow {
  return {
    id: row.id as number,
    tournamentId: row.tournament_id as number,
    name: row.name as string,
    command: JSON.parse(row.command_json as string) as string[],
    options: JSON.parse(row.options_json as string) as Record<string, unknown>,
    model: row.model as string | null,
    modelHash: row.model_hash as string | null,
    usiName: row.usi_name as string | null,
    usiAuthor: row.usi_author as string | null,
  };
}

function gameFromRow(row: Record<string, unknown>): StoredGame {
  const moves = row.moves as string;
  return {
    id: row.id as number,
    tournamentId: row.tournament_id as number,
    pairIndex: row.pair_index as number,
    gameInPair: row.game_in_pair as 0 | 1,
    openingIndex: row.opening_index as number,
    opening: row.opening as string,
    black: row.black_name as string,
    white: row.white_name as string,
    result: row.result as StoredResult,
    termination: JSON.parse(row.termination_json as string) as Termination,
    plies: row.plies as number,
    openingPlies: row.opening_plies as number,
    blackTimeMs: row.black_time_ms as number,
    whiteTimeMs: row.white_time_ms as number,
    initialSfen: row.initial_sfen as string,
    moves: moves === "" ? [] : moves.split(" "),
    moveTimesMs: JSON.parse(row.move_times_json as string) as number[],
    scores: JSON.parse(row.scores_json as string) as (string | null)[],
    startedAt: row.started_at as string,
    finishedAt: row.finished_at as string,
  };
}
