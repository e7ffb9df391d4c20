// Rule checks of decoded records: what a byte-level codec cannot see.

import { MAX_MOVES, generateLegal } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { SfenError } from "../../shogi/sfen.js";
import { MOVE_NONE, move16 } from "../../shogi/types.js";
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
