// Move priors of the tree search. Without a policy network the priors are a softmax over
// move-ordering heuristics: material captured or gained by promotion, checks, drops near the enemy
// king, pieces left hanging and pieces saved from attack. A model with a policy output would give
// logits over the move encoding of policyIndex instead.

import { pieceAttacks } from "../shogi/attacks.js";
import { WORDS, testSquare } from "../shogi/bitboard.js";
import { MAX_MOVES } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import {
  KING, MOVE_PROMOTE_FLAG, SQUARE_NB, type Color, type Move, WHITE, droppedType, fileOf, isDrop, move16, moveFrom,
  moveTo, pieceColor, pieceType, rankOf,
} from "../shogi/types.js";
import { PIECE_VALUE } from "./evaluator.js";
import { generateChecks } from "./mate-moves.js";
import { PRIOR_WEIGHTS as W } from "./mcts-params.js";

const MOVE16_NB = 1 << 16;
/** Origins of the policy encoding: the 81 squares, then the seven droppable piece types. */
const POLICY_ORIGINS = SQUARE_NB + 7;
/** Length of a policy output row: origin x destination x promotion. */
export const POLICY_SIZE = POLICY_ORIGINS * SQUARE_NB * 2;

/** Computes heuristic priors; one instance per search thread, because it keeps scratch tables. */
export class HeuristicPriors {
  /** Squares attacked by each colour, one bitboard (WORDS words) per colour, before the move. */
  private readonly attacked = new Int32Array(2 * WORDS);
  private readonly pieceScratch = new Int32Array(WORDS);
  private readonly isCheck = new Uint8Array(MOVE16_NB);
  private readonly checks = new Int32Array(MAX_MOVES);
  private readonly logits = new Float64Array(MAX_MOVES);

  /** Writes priors summing to 1 for moves[0..count) into out[0..count). */
  compute(pos: Position, moves: Int32Array, count: number, out: Float32Array): void {
    this.mapAttacks(pos);
    const checkCount = generateChecks(pos, this.checks, 0);
    for (let i = 0; i < checkCount; i++) this.isCheck[move16(this.checks[i])] = 1;
    const inCheck = pos.inCheck();
    for (let i = 0; i < count; i++) this.logits[i] = this.logit(pos, moves[i], inCheck);
    for (let i = 0; i < checkCount; i++) this.isCheck[move16(this.checks[i])] = 0;
    softmax(this.logits, count, W.temperature, out);
  }

  private logit(pos: Position, move: Move, inCheck: boolean): number {
    const us = pos.turn;
    const them = (us ^ 1) as Color;
    const to = moveTo(move);
    const drop = isDrop(move);
    const moverType = drop ? droppedType(move) : pieceType(pos.board[moveFrom(move)]);
    const captured = drop ? 0 : PIECE_VALUE[pieceType(pos.board[to])];
    let logit = captured / W.materialScale;
    if ((move & MOVE_PROMOTE_FLAG) !== 0) logit += (PIECE_VALUE[moverType + 8] - PIECE_VALUE[moverType]) / W.materialScale;
    if (this.isCheck[move16(move)] !== 0) logit += W.check;
    if (drop && pos.kingSquare[them] >= 0 && kingDistance(to, pos.kingSquare[them]) <= W.nearKingDistance) logit += W.dropNearKing;
    if (moverType === KING) return inCheck ? logit : logit + W.kingMove;

    const value = PIECE_VALUE[moverType];
    if (testSquare(this.attacked, them * WORDS, to)) {
      const defended = testSquare(this.attacked, us * WORDS, to);
      logit -= (defended ? Math.max(0, value - captured) : value) / W.hangingScale;
    } else if (!drop && testSquare(this.attacked, them * WORDS, moveFrom(move))) {
      logit += W.escape * Math.min(1, value / W.materialScale);
    }
    return logit;
  }

  /** Fills the attack bitboards of both colours from the pieces on the board. */
  private mapAttacks(pos: Position): void {
    const attacked = this.attacked;
    const scratch = this.pieceScratch;
    attacked.fill(0);
    for (let square = 0; square < SQUARE_NB; square++) {
      const piece = pos.board[square];
      if (piece === 0) continue;
      pieceAttacks(piece, square, pos.lineOcc, scratch, 0);
      const offset = pieceColor(piece) * WORDS;
      for (let word = 0; word < WORDS; word++) attacked[offset + word] |= scratch[word];
    }
  }
}

/** Writes softmax(logits / temperature) for the first count values into out. */
export function softmax(logits: ArrayLike<number>, count: number, temperature: number, out: Float32Array): void {
  let max = -Infinity;
  for (let i = 0; i < count; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const weight = Math.exp((logits[i] - max) / temperature);
    out[i] = weight;
    sum += weight;
  }
  for (let i = 0; i < count; i++) out[i] /= sum;
}

function kingDistance(a: number, b: number): number {
  return Math.max(Math.abs(fileOf(a) - fileOf(b)), Math.abs(rankOf(a) - rankOf(b)));
}

/**
 * Index of a move in a policy output row, seen from the side to move: White's squares are rotated
 * by 180 degrees (square 80 - sq), as the feature sets do. Drops use origins 81..87 by piece type.
 * NOTE: no shipped model has a policy output yet, so this encoding is a proposal that a trainer
 * adding one would have to follow.
 */
export function policyIndex(move: Move, turn: Color): number {
  const orient = (square: number): number => (turn === WHITE ? SQUARE_NB - 1 - square : square);
  const origin = isDrop(move) ? SQUARE_NB + droppedType(move) - 1 : orient(moveFrom(move));
  const promote = (move & MOVE_PROMOTE_FLAG) !== 0 ? 1 : 0;
  return (origin * SQUARE_NB + orient(moveTo(move))) * 2 + promote;
}

/** Writes priors from a policy row (logits at row[offset + policyIndex]) for moves[0..count). */
export function policyPriors(
  moves: Int32Array, count: number, turn: Color, row: Float32Array, offset: number, out: Float32Array,
): void {
  const logits = new Float64Array(count);
  for (let i = 0; i < count; i++) logits[i] = row[offset + policyIndex(moves[i], turn)];
  softmax(logits, count, 1, out);
}
