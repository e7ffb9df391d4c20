// Seeded pseudo-random numbers for reproducible test positions (mulberry32).
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";

/** Returns a seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the positions of a seeded random game from the start position, one per ply. */
export function randomGamePositions(plies: number, seed: number): Position[] {
  const random = seededRandom(seed);
  const pos = Position.startpos();
  const positions: Position[] = [];
  for (let ply = 0; ply < plies; ply++) {
    const moves = legalMoves(pos);
    if (moves.length === 0) break;
    pos.doMove(moves[Math.floor(random() * moves.length)]);
    positions.push(pos.clone());
  }
  return positions;
}
