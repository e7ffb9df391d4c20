// Reading the ending of a parsed record: its terminal line or CSA statement, or the "まで…"
// summary of KI2 (and of KIF files without a terminal line).

import { endingOfCsaStatement, endingOfSpecialMove, namedSummaryResult, winnerOf, type Ending } from "./ending.js";
import { RecordError } from "./errors.js";
import { KIF_PIECE_TYPES, type SourceMap } from "./source-lines.js";
import { importKI2, isMove, type Color, type Record as TsshogiRecord, type RecordNode, type SpecialMove } from "./tsshogi.js";
import type { RecordFormat } from "./types.js";

export interface SourceText {
  format: RecordFormat;
  map: SourceMap;
}

/** The start of a KIF move: an optional side mark and a destination square or 同 (same square). */
const KIF_MOVE_START = /^[▲△▼▽]?(?:[１２３４５６７８９][一二三四五六七八九]|同[ \u3000]*)/;

/**
 * Returns the ending of the main line. `endingNode` is the special move that ends it, if any, and
 * `plies` the number of real moves before it. Throws RecordError("unknown_ending") for an ending
 * this module does not know, and a more precise error when it is a damaged KIF move.
 */
export function readEnding(record: TsshogiRecord, endingNode: RecordNode | undefined, plies: number, sideToMove: Color, source: SourceText): Ending {
  const stated = statedEnding(endingNode, sideToMove, source);
  return stated.termination === "illegal_move" ? refinePerpetualCheck(record, plies, stated) : stated;
}

function statedEnding(endingNode: RecordNode | undefined, sideToMove: Color, source: SourceText): Ending {
  const { format, map } = source;
  if (endingNode !== undefined) {
    const move = endingNode.move as SpecialMove;
    const csaName = map.csaEnding?.name;
    const ending =
      format === "csa" && csaName !== undefined
        ? endingOfCsaStatement(csaName, move, sideToMove)
        : endingOfSpecialMove(move, sideToMove);
    if (ending === undefined) throw unknownEnding(move, endingNode.ply, source);
    return format === "ki2" && map.summary !== undefined ? withNamedSide(ending, map.summary.text) : ending;
  }
  if (format === "kif" && map.summary !== undefined) return summaryEnding(map.summary, sideToMove);
  return { termination: "unknown", result: "unknown" };
}

/**
 * Reads the ending of a KIF file from its "まで…" summary, for files that have a summary but no
 * terminal line. tsshogi reads such summaries only in KI2, so the line is parsed as KI2.
 */
function summaryEnding(summary: { line: number; text: string }, sideToMove: Color): Ending {
  const parsed = importKI2(summary.text);
  const move = parsed instanceof Error ? undefined : parsed.moves[1]?.move;
  const ending = move === undefined || isMove(move) ? undefined : endingOfSpecialMove(move, sideToMove);
  if (ending === undefined) {
    throw new RecordError({
      code: "unknown_ending",
      problem: "The summary line does not state a known ending",
      hint: "Write the ending as a numbered line such as 投了 or 中断, or remove the summary line",
      line: summary.line,
      text: summary.text,
    });
  }
  return withNamedSide(ending, summary.text);
}

/**
 * Applies the side a summary names ("先手の勝ち", "後手の反則負け"). tsshogi reads a summary
 * relative to the side to move, which is wrong when the named winner is the side to move. In
 * that case the named side decides the result, and the termination is unknown unless it is a foul.
 */
function withNamedSide(ending: Ending, summary: string): Ending {
  const named = namedSummaryResult(summary);
  if (named === undefined || named === ending.result) return ending;
  return { termination: ending.termination === "illegal_move" ? "illegal_move" : "unknown", result: named };
}

/**
 * Turns an illegal-move ending into perpetual_check when the final position is a fourfold
 * repetition in which the loser gave check on every move, as tsshogi's repetition tracking finds.
 * NOTE: tsshogi 2.2 finds no perpetual check when the repeated position is the start position
 * itself, so such a game stays illegal_move.
 */
function refinePerpetualCheck(record: TsshogiRecord, plies: number, ending: Ending): Ending {
  record.goto(plies);
  const checker = record.perpetualCheck;
  const winner = winnerOf(ending.result);
  const checkerLost = checker !== null && winner !== undefined && checker !== winner;
  return checkerLost ? { ...ending, termination: "perpetual_check" } : ending;
}

/**
 * Builds the error for a special move tsshogi could not name. tsshogi reads any numbered KIF
 * line it cannot parse as a move as a special move, so a damaged move also arrives here.
 */
function unknownEnding(move: SpecialMove, ply: number, source: SourceText): RecordError {
  const name = move.type === "any" ? move.name : move.type;
  const location = endingLocation(ply, source);
  const destination = KIF_MOVE_START.exec(name);
  if (source.format === "kif" && destination !== null) {
    const rest = name.slice(destination[0].length);
    const knownPiece = rest === "" || Object.keys(KIF_PIECE_TYPES).some((piece) => rest.startsWith(piece));
    return new RecordError({
      code: knownPiece ? "invalid_line" : "unknown_piece",
      problem: knownPiece ? "The move is incomplete or malformed" : "The move names a piece that KIF does not define",
      hint: "Write the move as destination, piece, 成 if promoting, then the origin in brackets or 打, as in ７六歩(77)",
      ...location,
    });
  }
  return new RecordError({
    code: "unknown_ending",
    problem: `The ending "${name}" is not a known terminal word or CSA statement`,
    hint: "Use a known ending such as 投了, 詰み, 千日手, 持将棋, 中断, %TORYO or %CHUDAN",
    ...location,
  });
}

function endingLocation(ply: number, source: SourceText): { line?: number; text?: string } {
  const { map } = source;
  if (source.format === "csa") return { line: map.csaEnding?.line, text: map.csaEnding && `%${map.csaEnding.name}` };
  if (source.format === "ki2") return { line: map.summary?.line, text: map.summary?.text };
  return { line: map.plies[ply - 1]?.line, text: map.plies[ply - 1]?.text };
}
