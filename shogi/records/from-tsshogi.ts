// Conversion of a record parsed by tsshogi into a GameRecord, with the checks tsshogi skips.
//
// tsshogi 2.2 appends every parsed move with validation turned off, so it accepts a bishop
// jumping over pieces or a drop of a piece not in hand. This module replays the main line with
// tsshogi's own legality check and rejects every illegal move except the last move of a game
// lost by that foul. Such a move is followed by 反則勝ち or %ILLEGAL_ACTION, or by no ending at
// all, which is how 81Dojo writes games that ended with an illegal move.

import { isFoulByLastMove, winFor, type Ending } from "./ending.js";
import { RecordError } from "./errors.js";
import { readEnding, type SourceText } from "./read-ending.js";
import { KIF_PIECE_TYPES, type SourceMap } from "./source-lines.js";
import { Position, isMove, type Color, type Move, type Record as TsshogiRecord, type RecordNode } from "./tsshogi.js";
import type { GameRecord } from "./types.js";

interface MainLine {
  moves: Move[];
  nodes: RecordNode[];
  /** The special move that ends the main line, if any. */
  ending?: RecordNode;
}

interface Replay {
  /** The side to move after the last move. */
  sideToMove: Color;
  /** Index of the first illegal move. */
  illegalIndex?: number;
}

const MILLISECONDS_PER_SECOND = 1000;

/**
 * Converts the main line of a tsshogi record into a GameRecord. Throws RecordError for an
 * illegal move, a KIF piece name that does not match the board, or an unknown ending.
 */
export function toGameRecord(record: TsshogiRecord, source: SourceText): GameRecord {
  const line = mainLine(record);
  if (source.format === "kif") checkKifPieceNames(line.moves, source.map);
  const replay = replayMoves(record.initialPosition, line.moves);
  const ending = readEndingAfterFoul(record, line, replay, source);
  return {
    initialSfen: record.initialPosition.sfen,
    moves: line.moves.map((move) => move.usi),
    times: readTimes(line.nodes, source.map),
    result: ending.result,
    termination: ending.termination,
    headers: readHeaders(record),
  };
}

/**
 * Reads the ending and checks that an illegal move, if any, is the last move and lost the game.
 * A last illegal move with no ending after it is read as that loss.
 */
function readEndingAfterFoul(record: TsshogiRecord, line: MainLine, replay: Replay, source: SourceText): Ending {
  const illegal = replay.illegalIndex;
  if (illegal !== undefined && illegal < line.moves.length - 1) throw illegalMove(line.moves, illegal, source.map);
  const stated = readEnding(record, line.ending, line.moves.length, replay.sideToMove, source);
  if (illegal === undefined) return stated;
  const ending = stated.termination === "unknown" ? lossByLastMove(replay.sideToMove) : stated;
  if (!isFoulByLastMove(ending, replay.sideToMove)) throw illegalMove(line.moves, illegal, source.map);
  return ending;
}

function mainLine(record: TsshogiRecord): MainLine {
  const line: MainLine = { moves: [], nodes: [] };
  for (const node of record.moves.slice(1)) {
    if (!isMove(node.move)) {
      line.ending = node;
      break;
    }
    line.moves.push(node.move);
    line.nodes.push(node);
  }
  return line;
}

/**
 * Replays the moves with legality checks and returns the side to move at the end and the index
 * of the first illegal move, if any. Only the last move may be illegal; the caller checks that.
 */
function replayMoves(initial: Position, moves: readonly Move[]): Replay {
  const position = Position.newBySFEN(initial.sfen)!;
  for (let i = 0; i < moves.length; i += 1) {
    const legal = position.isValidMove(moves[i]);
    position.doMove(moves[i], { ignoreValidation: true });
    if (!legal) return { sideToMove: position.color, illegalIndex: i };
  }
  return { sideToMove: position.color };
}

/** Returns the ending of a game lost by its illegal last move, which the side to move wins. */
function lossByLastMove(sideToMove: Color): Ending {
  return { termination: "illegal_move", result: winFor(sideToMove) };
}

function checkKifPieceNames(moves: readonly Move[], map: SourceMap): void {
  moves.forEach((move, index) => {
    const ply = map.plies[index];
    const written = ply?.pieceName === undefined ? undefined : KIF_PIECE_TYPES[ply.pieceName];
    if (written === undefined || written === move.pieceType) return;
    throw new RecordError({
      code: "piece_mismatch",
      problem: `Move ${index + 1} names ${ply.pieceName}, but the piece on its origin square is a ${move.pieceType}`,
      hint: "Correct the piece name or the origin square in parentheses",
      line: ply.line,
      text: ply.text,
    });
  });
}

function readTimes(nodes: readonly RecordNode[], map: SourceMap): (number | undefined)[] | undefined {
  const timed = nodes.map((_, index) => map.plies[index]?.hasTime === true);
  if (!timed.includes(true)) return undefined;
  return nodes.map((node, index) => (timed[index] ? node.elapsedMs / MILLISECONDS_PER_SECOND : undefined));
}

function readHeaders(record: TsshogiRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  const metadata = record.metadata;
  for (const key of metadata.standardMetadataKeys) headers[key] = metadata.getStandardMetadata(key) ?? "";
  for (const key of metadata.customMetadataKeys) headers[key] = metadata.getCustomMetadata(key) ?? "";
  return headers;
}

function illegalMove(moves: readonly Move[], index: number, map: SourceMap): RecordError {
  const ply = map.plies[index];
  return new RecordError({
    code: "illegal_move",
    problem: `Move ${index + 1} (${moves[index].usi}) is illegal in its position`,
    hint: "Correct the move; an illegal move is kept only as the last move of a game that ends by that foul (反則勝ち, %ILLEGAL_ACTION)",
    line: ply?.line,
    text: ply?.text,
  });
}

