// The evaluation interface seen by search, and a material-only evaluator that serves as the
// baseline the distilled networks are measured against.

import type { Position } from "../shogi/position.js";
import { BLACK, GOLD, PAWN, SQUARE_NB, type Move, pieceColor, pieceType } from "../shogi/types.js";

/**
 * An evaluator follows the search's do/undo: push(pos, move) is called before pos.doMove(move),
 * pushNull() before a null move, pop() after the matching undo. evaluate(pos) returns the score
 * of the side to move in centipawns, on the scale where the win probability of a score s is
 * sigmoid(s / 600).
 */
export interface Evaluator {
  readonly name: string;
  reset(pos: Position): void;
  push(pos: Position, move: Move): void;
  pushNull(): void;
  pop(): void;
  evaluate(pos: Position): number;
}

/** Piece values in centipawns, indexed by piece type (promoted types included, king 0). */
export const PIECE_VALUE = new Int32Array([
  0, 90, 315, 405, 495, 855, 990, 540, 0, 540, 540, 540, 540, 945, 1395,
]);
/** Values of pieces in hand, indexed by piece type PAWN..GOLD. */
export const HAND_VALUE = new Int32Array([0, 90, 315, 405, 495, 855, 990, 540]);

/** Material balance from Black's point of view. */
export function materialBalance(pos: Position): number {
  let score = 0;
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = pos.board[sq];
    if (piece === 0) continue;
    const value = PIECE_VALUE[pieceType(piece)];
    score += pieceColor(piece) === BLACK ? value : -value;
  }
  for (let type = PAWN; type <= GOLD; type++) {
    score += (pos.hands[type] - pos.hands[8 + type]) * HAND_VALUE[type];
  }
  return score;
}

/** Scores a position by material alone; recomputed per call, which is cheap next to search. */
export class MaterialEvaluator implements Evaluator {
  readonly name = "material";
  reset(): void {}
  push(): void {}
  pushNull(): void {}
  pop(): void {}
  evaluate(pos: Position): number {
    const balance = materialBalance(pos);
    return pos.turn === BLACK ? balance : -balance;
  }
}
