// Conversion of a GameRecord into a tsshogi record, which tsshogi then formats as KIF or CSA.

import { isFoulByLastMove, specialMoveOfEnding } from "./ending.js";
import { RecordError } from "./errors.js";
import { Position, Record as TsshogiRecord, RecordMetadata, type Move } from "./tsshogi.js";
import { STANDARD_HEADER_KEYS, type GameRecord } from "./types.js";

const MILLISECONDS_PER_SECOND = 1000;
const STANDARD_KEYS: ReadonlySet<string> = new Set(STANDARD_HEADER_KEYS);

export interface ConversionOptions {
  /** Header keys to leave out, for fields the caller writes itself. */
  omitHeaders?: readonly string[];
}

/**
 * Builds a tsshogi record from a GameRecord, checking every move with tsshogi's legality check.
 * Throws RecordError for an invalid SFEN, an invalid or illegal move (except an illegal last
 * move of a game lost by that foul) and an ending that does not fit the result.
 */
export function toTsshogiRecord(game: GameRecord, options: ConversionOptions = {}): TsshogiRecord {
  const position = Position.newBySFEN(game.initialSfen);
  if (position === null) {
    throw invalidRecord(`The initial SFEN "${game.initialSfen}" is invalid`, "Give a full SFEN such as the start position's");
  }
  const record = new TsshogiRecord(position);
  record.metadata = toMetadata(game.headers, new Set(options.omitHeaders));
  const lastMoveIllegal = appendMoves(record, game);
  const ending = specialMoveOfEnding(game, record.position.color);
  if (lastMoveIllegal && !isFoulByLastMove(game, record.position.color)) {
    throw illegalMove(game, game.moves.length - 1);
  }
  if (ending !== undefined) record.append(ending, { ignoreValidation: true });
  return record;
}

/** Appends the moves and their times; returns whether the last move is illegal. */
function appendMoves(record: TsshogiRecord, game: GameRecord): boolean {
  let lastMoveIllegal = false;
  game.moves.forEach((usi, index) => {
    const move = record.position.createMoveByUSI(usi);
    if (move === null) throw invalidMove(usi, index);
    const legal = record.position.isValidMove(move);
    if (!legal && index < game.moves.length - 1) throw illegalMove(game, index);
    lastMoveIllegal = !legal;
    record.append(move satisfies Move, { ignoreValidation: true });
    const seconds = game.times?.[index];
    if (seconds !== undefined) record.current.setElapsedMs(Math.round(seconds * MILLISECONDS_PER_SECOND));
  });
  return lastMoveIllegal;
}

function toMetadata(headers: Readonly<Record<string, string>>, omitted: ReadonlySet<string>): RecordMetadata {
  const metadata = new RecordMetadata();
  for (const [key, value] of Object.entries(headers)) {
    if (omitted.has(key)) continue;
    if (STANDARD_KEYS.has(key)) metadata.setStandardMetadata(key, value);
    else metadata.setCustomMetadata(key, value);
  }
  return metadata;
}

function invalidMove(usi: string, index: number): RecordError {
  return invalidRecord(
    `Move ${index + 1} "${usi}" is not a USI move, or no piece stands on its origin square`,
    "Give moves in USI notation (7g7f, P*5e, 8h2b+) that fit the position",
  );
}

function illegalMove(game: GameRecord, index: number): RecordError {
  return new RecordError({
    code: "illegal_move",
    problem: `Move ${index + 1} "${game.moves[index]}" is illegal in its position`,
    hint: "Fix the move list; only the last move may be illegal, and only in a game lost by that foul (termination illegal_move)",
  });
}

function invalidRecord(problem: string, hint: string): RecordError {
  return new RecordError({ code: "invalid_record", problem, hint });
}
