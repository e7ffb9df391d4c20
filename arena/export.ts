// Writing stored games as KIF or CSA files, one file per game.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCsa, makeKif } from "../shogi/records/index.js";
import { safeFileName } from "./engine-slots.js";
import { type RecordFormat, recordOfGame } from "./record.js";
import { ReadError, listTournaments, openExistingStore } from "./read.js";
import type { StoredGame } from "./store.js";

export interface ExportOptions {
  db: string;
  /** One tournament; every tournament of the database when undefined. */
  tournamentId?: number;
  format: RecordFormat;
  outDir: string;
  /** KIF text encoding; UTF-8 unless given. CSA is always written in CSA 3.0 with UTF-8. */
  kifEncoding?: "utf-8" | "shift_jis";
}

export interface ExportResult {
  files: string[];
}

/**
 * Writes each game of the chosen tournaments to `outDir` as
 * `t<tournament>-p<pair>-g<game>-<black>-vs-<white>.<format>`. Throws ReadError for a missing
 * database or tournament, and RecordError for a game the record writer rejects.
 */
export function exportGames(options: ExportOptions): ExportResult {
  const tournaments = listTournaments(options.db).filter((row) => options.tournamentId === undefined || row.id === options.tournamentId);
  if (options.tournamentId !== undefined && tournaments.length === 0) {
    throw new ReadError(`database ${options.db} has no tournament ${options.tournamentId}`);
  }
  mkdirSync(options.outDir, { recursive: true });
  const store = openExistingStore(options.db);
  const files: string[] = [];
  try {
    for (const tournament of tournaments) {
      for (const game of store.gamesOf(tournament.id)) files.push(writeGame(game, tournament.name, options));
    }
  } finally {
    store.close();
  }
  return { files };
}

function writeGame(game: StoredGame, tournamentName: string, options: ExportOptions): string {
  const record = recordOfGame(game, { tournamentName, format: options.format });
  const path = join(options.outDir, `${fileStem(game)}.${options.format}`);
  if (options.format === "kif") writeFileSync(path, makeKif(record, { encoding: options.kifEncoding ?? "utf-8" }));
  else writeFileSync(path, makeCsa(record, { version: "3.0" }));
  return path;
}

function fileStem(game: StoredGame): string {
  return `t${game.tournamentId}-p${game.pairIndex}-g${game.gameInPair}-${safeFileName(game.black)}-vs-${safeFileName(game.white)}`;
}
