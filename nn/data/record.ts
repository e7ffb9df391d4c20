// The teacher record shared by every data format, and the field checks of the binary formats.

import type { Setup } from "../../shogi/sfen.js";
import {
  GOLD, MOVE_NONE, MOVE_PROMOTE_FLAG, PAWN, SQUARE_NB, type Move, droppedType, isDrop,
  moveFrom, moveTo,
} from "../../shogi/types.js";
import { RecordCodecError } from "./errors.js";

/** Game outcome from the side to move's view: 1 win, 0 draw, -1 loss. */
export type GameResult = -1 | 0 | 1;

/** One labelled position of teacher data. */
export interface TeacherRecord {
  /** The position. Readers of the binary formats, which store no move number, set it to ply + 1. */
  setup: Setup;
  /** Teacher score from the side to move's view, in the teacher's evaluation units. */
  score: number;
  /** Teacher move as a 16-bit move (shogi/types.ts encoding, the same as YaneuraOu's Move16), or MOVE_NONE. */
  move: Move;
  /** Plies from the game's start position, 0 being the start position itself. */
  ply: number;
  result: GameResult;
}

export const SCORE_MIN = -32768;
export const SCORE_MAX = 32767;
export const PLY_MAX = 65535;
const MOVE16_MASK = 0xffff;

/** Checks that score, ply and result fit the 16-bit fields of PackedSfenValue and hcpe. */
export function checkBinaryFields(record: TeacherRecord): void {
  const { score, ply, result } = record;
  if (!Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX) {
    throw new RecordCodecError("bad_field", `score ${score} is not an integer in ${SCORE_MIN}..${SCORE_MAX}`);
  }
  if (!Number.isInteger(ply) || ply < 0 || ply > PLY_MAX) {
    throw new RecordCodecError("bad_field", `ply ${ply} is not an integer in 0..${PLY_MAX}`);
  }
  if (result !== -1 && result !== 0 && result !== 1) {
    throw new RecordCodecError("bad_result", `game result ${String(result)} is not -1, 0 or 1`);
  }
}

/**
 * Checks that a move is MOVE_NONE or has the shape of a move: squares in 0..80, origin and
 * destination distinct, drops of PAWN..GOLD without the promotion flag. Legality is checked
 * elsewhere (verify.ts). Returns the move reduced to 16 bits.
 */
export function checkMoveShape(move: Move): Move {
  if (!Number.isInteger(move) || move < 0) throw new RecordCodecError("bad_move", `move ${move} is not a non-negative integer`);
  const move16 = move & MOVE16_MASK;
  if (move16 === MOVE_NONE) return move16;
  const to = moveTo(move16);
  if (to >= SQUARE_NB) throw new RecordCodecError("bad_move", `move 0x${hex16(move16)} has destination square ${to}, outside 0..80`);
  if (isDrop(move16)) {
    const type = droppedType(move16);
    if (type < PAWN || type > GOLD || (move16 & MOVE_PROMOTE_FLAG) !== 0) {
      throw new RecordCodecError("bad_move", `move 0x${hex16(move16)} is a drop of piece type ${type} (valid: ${PAWN}..${GOLD}, unpromoted)`);
    }
    return move16;
  }
  const from = moveFrom(move16);
  if (from >= SQUARE_NB || from === to) {
    throw new RecordCodecError("bad_move", `move 0x${hex16(move16)} goes from square ${from} to ${to}; it is not a board move`);
  }
  return move16;
}

export function hex16(value: number): string {
  return value.toString(16).padStart(4, "0");
}
