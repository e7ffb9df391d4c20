// Rule checks of decoded records: what a byte-level codec cannot see.

import { MAX_MOVES, generateLegal } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { SfenError, type Setup } from "../../shogi/sfen.js";
import {
  BLACK, KNIGHT, LANCE, MOVE_NONE, PAWN, SQUARE_NB, fileOf, move16, pieceColor, pieceType, rankOf,
  relativeRank, squareName,
} from "../../shogi/types.js";
import { makeUsiMove } from "../../shogi/usi-move.js";
import { RecordCodecError } from "./errors.js";
import type { TeacherRecord } from "./record.js";

/**
 * Record checks of a reader. "format" checks bytes and fields only. "legal" also checks that the
 * position obeys the rules and that the move is legal in it, which makes reading several times slower.
 */
export type VerifyLevel = "legal" | "format";
export const VERIFY_LEVELS: readonly VerifyLevel[] = ["legal", "format"];

/** Checks positions and moves against the rules, reusing one Position and move buffer. */
export class RecordVerifier {
  private readonly position = new Position();
  private readonly moves = new Int32Array(MAX_MOVES);

  /** Throws RecordCodecError ("illegal_position", "bad_move") when the record breaks a rule. */
  check(record: TeacherRecord): void {
    checkPieceRules(record.setup);
    try {
      this.position.setSetup(record.setup);
    } catch (error) {
      if (error instanceof SfenError) throw new RecordCodecError("illegal_position", error.message);
      throw error;
    }
    if (record.move === MOVE_NONE) return;
    const end = generateLegal(this.position, this.moves, 0);
    for (let i = 0; i < end; i++) if (move16(this.moves[i]) === record.move) return;
    throw new RecordCodecError("bad_move", `move ${makeUsiMove(record.move)} is not legal in the record's position`);
  }
}

// NOTE: these two rules repeat the private checks of shogi/sfen.ts, because sfen.ts exports no
// validator that takes a Setup.
function checkPieceRules(setup: Setup): void {
  const pawnFiles = [0, 0];
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = setup.board[sq];
    const type = pieceType(piece);
    if (type !== PAWN && type !== LANCE && type !== KNIGHT) continue;
    const color = pieceColor(piece);
    const rank = relativeRank(color, rankOf(sq));
    if (rank === 0 || (type === KNIGHT && rank === 1)) {
      throw new RecordCodecError("illegal_position", `the ${color === BLACK ? "Black" : "White"} piece on ${squareName(sq)} can never move`);
    }
    if (type !== PAWN) continue;
    const fileBit = 1 << fileOf(sq);
    if (pawnFiles[color] & fileBit) {
      throw new RecordCodecError("illegal_position", `two unpromoted ${color === BLACK ? "Black" : "White"} pawns on file ${fileOf(sq) + 1}`);
    }
    pawnFiles[color] |= fileBit;
  }
}
