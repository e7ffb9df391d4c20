// Text teacher records: one record per line, five tab-separated fields:
//
//   SFEN <TAB> score <TAB> USI move or "none" <TAB> ply <TAB> result
//
// for example "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1\t50\t7g7f\t0\t1".
// Score and result are from the side to move's view, as in PackedSfenValue. The SFEN keeps its
// own move number; binary writers store the ply field instead.

import { SfenError, makeSfen, parseSfen } from "../../shogi/sfen.js";
import { MOVE_NONE, type Move } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMoveText } from "../../shogi/usi-move.js";
import { RecordCodecError } from "./errors.js";
import { type GameResult, type TeacherRecord, checkMoveShape } from "./record.js";

/** Text of MOVE_NONE in the move field. */
export const NO_MOVE_TEXT = "none";
const FIELD_COUNT = 5;
const INTEGER = /^-?\d+$/;

/** Makes the text line of a record, without the line break. */
export function makeTextRecord(record: TeacherRecord): string {
  const move = checkMoveShape(record.move);
  const moveText = move === MOVE_NONE ? NO_MOVE_TEXT : makeUsiMove(move);
  return `${makeSfen(record.setup)}\t${record.score}\t${moveText}\t${record.ply}\t${record.result}`;
}

/** Parses one text line (without its line break) into a record; throws RecordCodecError. */
export function parseTextRecord(line: string): TeacherRecord {
  const fields = line.split("\t");
  if (fields.length !== FIELD_COUNT) {
    throw new RecordCodecError("bad_text", `the line has ${fields.length} tab-separated fields, expected ${FIELD_COUNT}`);
  }
  const [sfenText, scoreText, moveText, plyText, resultText] = fields;
  return {
    setup: parseSetup(sfenText),
    score: parseInteger(scoreText, "score"),
    move: parseMove(moveText),
    ply: parsePly(plyText),
    result: parseResult(resultText),
  };
}

function parseSetup(text: string) {
  try {
    return parseSfen(text);
  } catch (error) {
    if (error instanceof SfenError) throw new RecordCodecError("bad_text", error.message);
    throw error;
  }
}

function parseInteger(text: string, field: string): number {
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value)) {
    throw new RecordCodecError("bad_field", `${field} "${text}" is not an integer`);
  }
  return value;
}

function parsePly(text: string): number {
  const ply = parseInteger(text, "ply");
  if (ply < 0) throw new RecordCodecError("bad_field", `ply ${ply} is negative`);
  return ply;
}

function parseMove(text: string): Move {
  if (text === NO_MOVE_TEXT) return MOVE_NONE;
  const move = parseUsiMoveText(text);
  if (move === MOVE_NONE) throw new RecordCodecError("bad_move", `"${text}" is not a USI move or "${NO_MOVE_TEXT}"`);
  return move;
}

function parseResult(text: string): GameResult {
  if (text === "1") return 1;
  if (text === "0") return 0;
  if (text === "-1") return -1;
  throw new RecordCodecError("bad_result", `result "${text}" is not -1, 0 or 1`);
}
