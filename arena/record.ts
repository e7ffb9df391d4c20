// Stored arena games as game records for KIF and CSA. Both formats state an ending relative to
// the side to move after the last move, and they have words for fewer endings than the arena.
// So some terminations are written as the nearest ending with the same winner, and every record
// carries the arena's own termination in a header.

import type { GameRecord, GameResult, Termination as RecordTermination } from "../shogi/records/index.js";
import type { TerminationKind } from "./termination.js";
import type { StoredGame } from "./store.js";

export type RecordFormat = "kif" | "csa";

/** Header keys for facts that KIF and CSA have no field for. */
export const ARENA_HEADER_KEYS = { termination: "arenaTermination", result: "arenaResult", pair: "arenaPair" } as const;

const MS_PER_SECOND = 1000;

/**
 * Record endings of arena terminations. Engine failures (crash, stall, no `usiok` or `readyok`)
 * are written as a foul loss, which is how ShogiHome scores an engine crash.
 */
const RECORD_TERMINATIONS: Record<TerminationKind, RecordTermination> = {
  checkmate: "checkmate",
  resign: "resign",
  "adjudicated-resign": "resign",
  declaration: "declaration",
  "false-declaration": "illegal_move",
  try: "try",
  repetition: "repetition",
  "perpetual-check": "perpetual_check",
  "max-plies": "max_moves",
  "illegal-move": "illegal_move",
  "time-forfeit": "time_forfeit",
  crash: "illegal_move",
  stall: "illegal_move",
  "handshake-timeout": "illegal_move",
  "ready-timeout": "illegal_move",
};

export interface RecordContext {
  tournamentName: string;
  format: RecordFormat;
}

/** Converts a stored game into a GameRecord that makeKif or makeCsa can write. */
export function recordOfGame(game: StoredGame, context: RecordContext): GameRecord {
  const result: GameResult = game.result;
  const headers: Record<string, string> = {
    title: context.tournamentName,
    blackName: game.black,
    whiteName: game.white,
    startDatetime: recordDate(game.startedAt),
    endDatetime: recordDate(game.finishedAt),
    [ARENA_HEADER_KEYS.termination]: game.termination.kind,
    [ARENA_HEADER_KEYS.result]: game.result,
    [ARENA_HEADER_KEYS.pair]: `${game.pairIndex}/${game.gameInPair}`,
  };
  const record: GameRecord = {
    initialSfen: game.initialSfen,
    moves: [...game.moves],
    times: moveTimes(game),
    result,
    termination: RECORD_TERMINATIONS[game.termination.kind],
    headers,
  };
  return game.termination.kind === "try" && !game.termination.declared ? tryRecord(record, context.format) : record;
}

/** Seconds per move: undefined for opening moves, which no engine played. */
function moveTimes(game: StoredGame): (number | undefined)[] {
  const opening: undefined[] = new Array<undefined>(game.openingPlies).fill(undefined);
  return [...opening, ...game.moveTimesMs.map((ms) => ms / MS_PER_SECOND)];
}

/**
 * Rewrites a game won by a king move onto the try square. KIF writes トライ in the winner's turn
 * in place of that move, so the king move is dropped. CSA has no try ending, so the game is
 * written as interrupted (%CHUDAN) with its result in the arena headers.
 */
function tryRecord(record: GameRecord, format: RecordFormat): GameRecord {
  if (format === "csa") return { ...record, result: "unknown", termination: "abort" };
  const moves = record.moves.slice(0, -1);
  const times = record.times?.slice(0, -1);
  return { ...record, moves, ...(times ? { times } : {}) };
}

/** "YYYY/MM/DD HH:MM:SS" in UTC, the date form of KIF and CSA headers. */
function recordDate(iso: string): string {
  return iso.slice(0, "YYYY-MM-DDTHH:MM:SS".length).replace(/-/g, "/").replace("T", " ");
}
