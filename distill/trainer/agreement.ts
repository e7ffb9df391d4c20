// One ply of search with the student, for best-move agreement with the teacher. Each legal move's
// child position is scored by the student. A move that leaves the opponent without a legal move
// scores above every evaluation, because in shogi a side without legal moves has lost.

import type { NativeEvaluator } from "../../nn/native-evaluator.js";
import { hasLegalMove } from "../../shogi/movegen.js";
import type { Position } from "../../shogi/position.js";
import type { Move } from "../../shogi/types.js";

/** Score of a move that leaves the opponent no legal move. */
export const MATE_SCORE = 1e9;

/** Scores a position for its side to move, in centipawns. */
export interface StaticEvaluator {
  score(pos: Position): number;
}

/**
 * Score of `move` for the side to move in `pos`: minus the student's score of the child position.
 * With a native evaluator (reset at pos), the child is evaluated incrementally; otherwise from scratch.
 */
export function scoreAfterMove(pos: Position, move: Move, native: NativeEvaluator | undefined, fallback: StaticEvaluator): number {
  native?.push(pos, move);
  pos.doMove(move);
  let score = MATE_SCORE;
  if (hasLegalMove(pos)) score = -(native ? native.evaluate(pos) : fallback.score(pos));
  pos.undoMove();
  native?.pop();
  return score;
}
