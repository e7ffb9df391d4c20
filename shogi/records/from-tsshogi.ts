// Conversion of a record parsed by tsshogi into a GameRecord, with the checks tsshogi skips.
//
// tsshogi 2.2 appends every parsed move with validation turned off, so it accepts a bishop
// jumping over pieces or a drop of a piece not in hand. This module replays the main line with
// tsshogi's own legality check and rejects any illegal move, except a last move that the record
// itself marks as the foul that lost the game.

import {
  Color,
  Move,
  PieceType,
  Position,
  importKI2,
  type ImmutableNode,
  type ImmutablePosition,
  type Record as TsshogiRecord,
  type SpecialMove,
} from "tsshogi";
import { endingOfCsaStatement, endingOfSpecialMove, type Ending } from "./ending.js";
import { RecordError } from "./errors.js";
import type { SourceMap } from "./source-lines.js";
import type { GameRecord, RecordFormat } from "./types.js";

export interface SourceText {
  format: RecordFormat;
  map: SourceMap;
}

interface MainLine {
  moves: Move[];
  nodes: ImmutableNode[];
  /** The special move that ends the main line, if any. */
  ending?: ImmutableNode;
}

const MILLISECONDS_PER_SECOND = 1000;

/** KIF piece names, including the one-character forms of promoted pieces and 竜/龍, 王/玉. */
const KIF_PIECE_TYPES: Readonly<Record<string, PieceType>> = {
  王: PieceType.KING,
  玉: PieceType.KING,
  飛: PieceType.ROOK,
  龍: PieceType.DRAGON,
  竜: PieceType.DRAGON,
  角: PieceType.BISHOP,
  馬: PieceType.HORSE,
  金: PieceType.GOLD,
  銀: PieceType.SILVER,
  成銀: PieceType.PROM_SILVER,
  全: PieceType.PROM_SILVER,
  桂: PieceType.KNIGHT,
  成桂: PieceType.PROM_KNIGHT,
  圭: PieceType.PROM_KNIGHT,
  香: PieceType.LANCE,
  成香: PieceType.PROM_LANCE,
  杏: PieceType.PROM_LANCE,
  歩: PieceType.PAWN,
  と: PieceType.PROM_PAWN,
};

/**
 * Converts the main line of a tsshogi record into a GameRecord. Throws RecordError for an
 * illegal move, a KIF piece name that does not match the board, or an unknown ending.
 */
export function toGameRecord(record: TsshogiRecord, source: SourceText): GameRecord {
  const line = mainLine(record);
  if (source.format === "kif") checkKifPieceNames(line.moves, source.map);
  const replay = replayMoves(record.initialPosition, line.moves);
  const ending = refinePerpetualCheck(record, line, readEnding(line, replay.sideToMove, source));
  if (replay.illegalIndex !== undefined && !endsByThisFoul(ending, replay.sideToMove)) {
    throw illegalMove(line.moves, replay.illegalIndex, source.map);
  }
  return {
    initialSfen: record.initialPosition.sfen,
    moves: line.moves.map((move) => move.usi),
    times: readTimes(line.nodes, source.map),
    result: ending.result,
    termination: ending.termination,
    headers: readHeaders(record),
  };
}

function mainLine(record: TsshogiRecord): MainLine {
  const line: MainLine = { moves: [], nodes: [] };
  for (const node of record.moves.slice(1)) {
    if (!(node.move instanceof Move)) {
      line.ending = node;
      break;
    }
    line.moves.push(node.move);
    line.nodes.push(node);
  }
  return line;
}

/**
 * Replays the moves with legality checks. Only the last move may be illegal; the caller decides
 * whether the ending allows it.
 */
function replayMoves(initial: ImmutablePosition, moves: readonly Move[]): { sideToMove: Color; illegalIndex?: number } {
  const position = Position.newBySFEN(initial.sfen)!;
  for (let i = 0; i < moves.length; i += 1) {
    const legal = position.isValidMove(moves[i]);
    if (!legal && i < moves.length - 1) return { sideToMove: position.color, illegalIndex: i };
    position.doMove(moves[i], { ignoreValidation: true });
    if (!legal) return { sideToMove: position.color, illegalIndex: i };
  }
  return { sideToMove: position.color };
}

/** Tells whether the ending says that the side that made the last move lost by a foul. */
function endsByThisFoul(ending: Ending, sideToMove: Color): boolean {
  const fouls = ending.termination === "illegal_move" || ending.termination === "perpetual_check";
  const sideToMoveWon = ending.result === (sideToMove === Color.BLACK ? "black_win" : "white_win");
  return fouls && sideToMoveWon;
}

function readEnding(line: MainLine, sideToMove: Color, source: SourceText): Ending {
  if (line.ending !== undefined) {
    const move = line.ending.move as SpecialMove;
    const csaName = source.map.csaEnding?.name;
    const ending =
      source.format === "csa" && csaName !== undefined
        ? endingOfCsaStatement(csaName, move, sideToMove)
        : endingOfSpecialMove(move, sideToMove);
    if (ending === undefined) throw unknownEnding(move, line.ending.ply, source);
    return ending;
  }
  if (source.format === "kif" && source.map.summary !== undefined) {
    return summaryEnding(source.map.summary, sideToMove);
  }
  return { termination: "unknown", result: "unknown" };
}

/**
 * Reads the ending of a KIF file from its "まで…" summary, for files that have a summary but no
 * ending line. tsshogi reads such summaries only in KI2, so the line is parsed as KI2.
 */
function summaryEnding(summary: { line: number; text: string }, sideToMove: Color): Ending {
  const parsed = importKI2(summary.text);
  const move = parsed instanceof Error ? undefined : parsed.moves[1]?.move;
  const ending = move === undefined || move instanceof Move ? undefined : endingOfSpecialMove(move, sideToMove);
  if (ending === undefined) {
    throw new RecordError({
      code: "unknown_ending",
      problem: "The summary line does not state a known ending",
      hint: "Write the ending as a numbered line such as 投了 or 中断, or remove the summary line",
      line: summary.line,
      text: summary.text,
    });
  }
  return ending;
}

/**
 * Turns an illegal-move ending into perpetual_check when the final position is a fourfold
 * repetition in which the loser gave check on every move, as tsshogi's repetition tracking finds.
 */
function refinePerpetualCheck(record: TsshogiRecord, line: MainLine, ending: Ending): Ending {
  if (ending.termination !== "illegal_move") return ending;
  record.goto(line.moves.length);
  const checker = record.perpetualCheck;
  const loser = ending.result === "black_win" ? Color.WHITE : ending.result === "white_win" ? Color.BLACK : undefined;
  return checker !== null && checker === loser ? { ...ending, termination: "perpetual_check" } : ending;
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

function readTimes(nodes: readonly ImmutableNode[], map: SourceMap): (number | undefined)[] | undefined {
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

function unknownEnding(move: SpecialMove, ply: number, source: SourceText): RecordError {
  const name = move.type === "any" ? move.name : move.type;
  return new RecordError({
    code: "unknown_ending",
    problem: `The ending "${name}" is not a known terminal word or CSA statement`,
    hint: "Use a known ending such as 投了, 詰み, 千日手, 持将棋, 中断, %TORYO or %CHUDAN; a truncated move line also reads as an unknown ending",
    ...endingLocation(ply, source),
  });
}

function endingLocation(ply: number, source: SourceText): { line?: number; text?: string } {
  const { map } = source;
  if (source.format === "csa") return { line: map.csaEnding?.line, text: map.csaEnding && `%${map.csaEnding.name}` };
  if (source.format === "ki2") return { line: map.summary?.line, text: map.summary?.text };
  return { line: map.plies[ply - 1]?.line, text: map.plies[ply - 1]?.text };
}
