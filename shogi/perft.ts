// Perft: the number of leaf nodes of the legal-move tree to a fixed depth, counted in bulk at the
// last ply (the legal moves of a depth-1 node are counted, not played).

import { MAX_MOVES, generateLegal } from "./movegen.js";
import { Position } from "./position.js";

/** Counts the leaves of the legal-move tree of `depth` plies below a position given as SFEN. */
export function perft(sfen: string, depth: number): number {
  return perftPosition(Position.fromSfen(sfen), depth);
}

/** Counts the leaves below a position; the position is left as it was. */
export function perftPosition(pos: Position, depth: number): number {
  const buffers: Int32Array[] = [];
  for (let i = 0; i < Math.max(depth, 1); i++) buffers.push(new Int32Array(MAX_MOVES));
  return perftRecursive(pos, depth, buffers);
}

function perftRecursive(pos: Position, depth: number, buffers: Int32Array[]): number {
  if (depth === 0) return 1;
  const moves = buffers[depth - 1];
  const count = generateLegal(pos, moves, 0);
  if (depth === 1) return count;
  let nodes = 0;
  for (let i = 0; i < count; i++) {
    pos.doMove(moves[i]);
    nodes += perftRecursive(pos, depth - 1, buffers);
    pos.undoMove();
  }
  return nodes;
}

/** Perft split by root move: one entry per legal move with the leaves below it. */
export function perftDivide(pos: Position, depth: number): Array<{ move: number; nodes: number }> {
  const moves = new Int32Array(MAX_MOVES);
  const count = generateLegal(pos, moves, 0);
  const result: Array<{ move: number; nodes: number }> = [];
  for (let i = 0; i < count; i++) {
    pos.doMove(moves[i]);
    result.push({ move: moves[i], nodes: depth <= 1 ? 1 : perftPosition(pos, depth - 1) });
    pos.undoMove();
  }
  return result;
}
