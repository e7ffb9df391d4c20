// Line maps of record text: the source line of each ply of the main line, so that errors found
// after tsshogi has parsed a record can name the line. The KIF map also checks move
// numbers, which tsshogi does not.

import { RecordError } from "./errors.js";
import type { PieceType } from "./tsshogi.js";

/** KIF piece names, including the one-character forms of promoted pieces and 竜/龍, 王/玉. */
export const KIF_PIECE_TYPES: Readonly<Record<string, PieceType>> = {
  王: "king",
  玉: "king",
  飛: "rook",
  龍: "dragon",
  竜: "dragon",
  角: "bishop",
  馬: "horse",
  金: "gold",
  銀: "silver",
  成銀: "promSilver",
  全: "promSilver",
  桂: "knight",
  成桂: "promKnight",
  圭: "promKnight",
  香: "lance",
  成香: "promLance",
  杏: "promLance",
  歩: "pawn",
  と: "promPawn",
};

/** The source line of one ply of the main line: a move or the ending. */
export interface PlyLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** Whether the source states the time spent on this ply. */
  hasTime: boolean;
  /** KIF only: the piece name written in the move, such as "歩" or "成銀". */
  pieceName?: string;
}

export interface SourceMap {
  /** Entry i is the ply i + 1 of the main line, counted from the first numbered ply. */
  plies: PlyLine[];
  /** KIF and KI2: the first "まで…" summary line of the main line. */
  summary?: { line: number; text: string };
  /** CSA: the first % statement, without the "%". */
  csaEnding?: { line: number; name: string };
}

const KIF_PLY = /^ *([0-9]+) +(.*)$/;
const KIF_TIME = /\( *[0-9]+:[0-9]+\/[0-9: ]*\)/;
const KIF_PIECE = /^[▲△▼▽]?(?:[１２３４５６７８９][一二三四五六七八九]|同[ \u3000]*)(成銀|成桂|成香|[王玉飛龍竜角馬金銀全桂圭香杏歩と])/;
const KI2_MOVE_MARK = /[▲△▼▽☗☖]/g;
const KI2_MOVE_LINE = /^[ \u3000]*[▲△▼▽☗☖]/;
const VARIATION = /^[ \u3000]*変化[：:]/;
const SUMMARY = /^まで/;
const CSA_MOVE = /^[-+][0-9]{4}[A-Z]{2}/;
const CSA_TIME = /^T[0-9]/;
const CSA_SPECIAL = /^%([-+A-Z_]+)/;
/**
 * Every other CSA statement: version, start position, side to move, move, ending, time. tsshogi
 * skips statements that match none of its patterns, which would drop a truncated move silently.
 */
const CSA_STATEMENT = /^(?:V[0-9.]+|PI(?:[1-9]{2}[A-Z]{2})*|P[1-9].*|P[-+](?:[0-9]{2}[A-Z]{2})*|[-+]|[-+][0-9]{4}[A-Z]{2}|%[-+A-Z_]+|T[0-9]+(?:\.[0-9]*)?)$/;
/** CSA lines that are never split at commas: comments, player names and header fields. */
const CSA_UNSPLIT_LINE = /^['N$]/;
/** A statement that starts a comment, which runs to the end of the line. */
const CSA_COMMENT_MARK = "'";
/** A line holding only "/" separates games in a multi-game CSA file. */
const CSA_GAME_SEPARATOR = "/";

/**
 * Maps the main line of a KIF text. Throws RecordError("move_number") when a numbered line does
 * not follow the previous one, since tsshogi would silently attach it elsewhere.
 */
export function mapKifLines(lines: readonly string[]): SourceMap {
  const map: SourceMap = { plies: [] };
  let previousNumber: number | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const text = lines[i];
    if (map.plies.length > 0 && VARIATION.test(text)) break;
    if (map.plies.length > 0 && map.summary === undefined && SUMMARY.test(text)) {
      map.summary = { line: i + 1, text };
    }
    const match = KIF_PLY.exec(text);
    if (match === null) continue;
    const number = Number(match[1]);
    if (previousNumber !== undefined && number !== previousNumber + 1) {
      throw moveNumberError(number, previousNumber, i + 1, text);
    }
    previousNumber = number;
    const pieceName = KIF_PIECE.exec(match[2])?.[1];
    map.plies.push({ line: i + 1, text, hasTime: KIF_TIME.test(match[2]), pieceName });
  }
  return map;
}

/** Maps the main line of a KI2 text: each ▲/△ mark is one ply. */
export function mapKi2Lines(lines: readonly string[]): SourceMap {
  const map: SourceMap = { plies: [] };
  for (let i = 0; i < lines.length; i += 1) {
    const text = lines[i];
    const started = map.plies.length > 0;
    if (started && VARIATION.test(text)) break;
    if (map.summary === undefined && SUMMARY.test(text)) map.summary = { line: i + 1, text };
    if (!KI2_MOVE_LINE.test(text)) continue;
    for (const _mark of text.matchAll(KI2_MOVE_MARK)) {
      map.plies.push({ line: i + 1, text, hasTime: false });
    }
  }
  return map;
}

/**
 * Maps the move statements of a CSA text, up to the end of its first game. Throws
 * RecordError("invalid_line") for a statement that is not CSA, such as a truncated move.
 */
export function mapCsaLines(lines: readonly string[]): SourceMap {
  const map: SourceMap = { plies: [] };
  let lastWasMove = false;
  for (let i = 0; i < lines.length; i += 1) {
    const text = lines[i];
    if (text === CSA_GAME_SEPARATOR) break;
    if (CSA_UNSPLIT_LINE.test(text)) continue;
    for (const statement of text.split(",")) {
      if (statement.startsWith(CSA_COMMENT_MARK)) break;
      if (statement.trim() !== "" && !CSA_STATEMENT.test(statement.trimEnd())) throw invalidCsaStatement(statement, i + 1, text);
      if (CSA_MOVE.test(statement)) {
        map.plies.push({ line: i + 1, text, hasTime: false });
        lastWasMove = true;
        continue;
      }
      if (CSA_TIME.test(statement) && lastWasMove) map.plies[map.plies.length - 1].hasTime = true;
      const special = CSA_SPECIAL.exec(statement);
      if (special !== null && map.csaEnding === undefined) {
        map.csaEnding = { line: i + 1, name: special[1] };
      }
      lastWasMove = false;
    }
  }
  return map;
}

/** Returns the 1-based number of the first line containing `fragment`, if any. */
export function findLine(lines: readonly string[], fragment: string): number | undefined {
  const needle = fragment.trim();
  if (needle === "") return undefined;
  const index = lines.findIndex((line) => line.includes(needle));
  return index < 0 ? undefined : index + 1;
}

function invalidCsaStatement(statement: string, line: number, text: string): RecordError {
  return new RecordError({
    code: "invalid_line",
    problem: `"${statement}" is not a CSA statement (a move such as +7776FU, a % ending, a T time or a position line)`,
    hint: "Correct the statement; a move has a sign, origin and destination squares and a piece code, as in +7776FU",
    line,
    text,
  });
}

function moveNumberError(number: number, previous: number, line: number, text: string): RecordError {
  return new RecordError({
    code: "move_number",
    problem: `Move number ${number} does not follow move ${previous}`,
    hint: "Number the moves of the main line 1, 2, 3, ... without gaps, and start each variation after a 変化 line",
    line,
    text,
  });
}
