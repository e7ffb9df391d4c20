// Move ordering: scores a node's moves (hash move, captures by MVV-LVA, promotions, killers, history)
// and picks them best first with a partial selection sort.

import type { Position } from "../shogi/position.js";
import { MOVE_PROMOTE_FLAG, type Move, isDrop, moveFrom, moveTo, pieceType } from "../shogi/types.js";
import { PIECE_VALUE } from "./evaluator.js";
import { MAX_PLY } from "./score.js";

const HASH_MOVE_SCORE = 1 << 30;
const CAPTURE_SCORE = 1 << 24;
const KILLER_SCORE = 1 << 22;
/** History counts are kept below this, so quiet scores stay under the killer band. */
export const HISTORY_MAX = 1 << 20;

/** Killers (two per ply) and a history table indexed by (moving piece, destination). */
export class OrderingTables {
  readonly killers = new Int32Array(MAX_PLY * 2);
  readonly history = new Int32Array(32 * 81);

  clear(): void {
    this.killers.fill(0);
    this.history.fill(0);
  }

  addKiller(ply: number, move: Move): void {
    if (this.killers[ply * 2] === move) return;
    this.killers[ply * 2 + 1] = this.killers[ply * 2];
    this.killers[ply * 2] = move;
  }

  isKiller(ply: number, move: Move): boolean {
    return this.killers[ply * 2] === move || this.killers[ply * 2 + 1] === move;
  }

  /** Rewards a quiet move that caused a cutoff and ages the table when it grows too large. */
  addHistory(move: Move, depth: number): void {
    const index = ((move >>> 16) & 31) * 81 + moveTo(move);
    this.history[index] += depth * depth;
    if (this.history[index] >= HISTORY_MAX) {
      for (let i = 0; i < this.history.length; i++) this.history[i] >>= 1;
    }
  }

  /** Lowers the history of a quiet move that was searched before the cutoff move. */
  penalizeHistory(move: Move, depth: number): void {
    const index = ((move >>> 16) & 31) * 81 + moveTo(move);
    this.history[index] = Math.max(0, this.history[index] - depth);
  }
}

/** Tells whether a move captures or promotes, the moves quiescence search plays. */
export function isTactical(pos: Position, move: Move): boolean {
  return (move & MOVE_PROMOTE_FLAG) !== 0 || (!isDrop(move) && pos.board[moveTo(move)] !== 0);
}

/** Material gained by a capture or promotion, ignoring recapture. */
export function tacticalGain(pos: Position, move: Move): number {
  let gain = isDrop(move) ? 0 : PIECE_VALUE[pieceType(pos.board[moveTo(move)])];
  if ((move & MOVE_PROMOTE_FLAG) !== 0) {
    const type = pieceType(pos.board[moveFrom(move)]);
    gain += PIECE_VALUE[type + 8] - PIECE_VALUE[type];
  }
  return gain;
}

/** Fills scores[start..end) for the moves in moves[start..end). */
export function scoreMoves(
  pos: Position, tables: OrderingTables, moves: Int32Array, scores: Int32Array, start: number, end: number,
  hashMove: Move, ply: number,
): void {
  for (let i = start; i < end; i++) {
    const move = moves[i];
    if (move === hashMove) {
      scores[i] = HASH_MOVE_SCORE;
    } else if (isTactical(pos, move)) {
      const attacker = PIECE_VALUE[pieceType(pos.board[moveFrom(move)])];
      scores[i] = CAPTURE_SCORE + tacticalGain(pos, move) * 16 - (attacker >> 4);
    } else if (tables.isKiller(ply, move)) {
      scores[i] = KILLER_SCORE;
    } else {
      scores[i] = tables.history[((move >>> 16) & 31) * 81 + moveTo(move)];
    }
  }
}

/** Swaps the best-scored move of [index, end) into index and returns it. */
export function pickBest(moves: Int32Array, scores: Int32Array, index: number, end: number): Move {
  let best = index;
  for (let i = index + 1; i < end; i++) if (scores[i] > scores[best]) best = i;
  if (best !== index) {
    const move = moves[best];
    moves[best] = moves[index];
    moves[index] = move;
    const score = scores[best];
    scores[best] = scores[index];
    scores[index] = score;
  }
  return moves[index];
}
