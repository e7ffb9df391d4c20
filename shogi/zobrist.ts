// Zobrist keys: 64-bit position hashes kept as two 32-bit halves, so no BigInt is needed.
// The tables come from a fixed-seed generator, so keys are the same in every process.

import { PIECE_NB, SQUARE_NB } from "./types.js";

/** Largest count of one piece type in one hand (18 pawns), plus one for zero. */
export const HAND_COUNT_NB = 19;

/** Keys of (piece, square), indexed by piece * 81 + sq; piece 0 (empty) keys are zero. */
export const ZOBRIST_PIECE_LO = new Int32Array(PIECE_NB * SQUARE_NB);
export const ZOBRIST_PIECE_HI = new Int32Array(PIECE_NB * SQUARE_NB);
/** Keys of (colour, hand piece type, count), indexed by ((color * 8 + type) * 19 + count). */
export const ZOBRIST_HAND_LO = new Int32Array(16 * HAND_COUNT_NB);
export const ZOBRIST_HAND_HI = new Int32Array(16 * HAND_COUNT_NB);
/** Key toggled when the side to move changes; its low bit is 1, so the low bit of a key is the side. */
export const ZOBRIST_SIDE_LO = 1;
export const ZOBRIST_SIDE_HI = 0x5bd1e995;

/** xorshift32 with a fixed seed. */
function makeGenerator(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state | 0;
  };
}

function fillTables(): void {
  const next = makeGenerator(0x2545f491);
  // Keys other than the side key have a clear low bit, so the low bit of a key tells the side to move.
  for (let i = SQUARE_NB; i < ZOBRIST_PIECE_LO.length; i++) {
    ZOBRIST_PIECE_LO[i] = next() & ~1;
    ZOBRIST_PIECE_HI[i] = next();
  }
  for (let i = 0; i < ZOBRIST_HAND_LO.length; i++) {
    if (i % HAND_COUNT_NB === 0) continue; // an empty hand contributes nothing
    ZOBRIST_HAND_LO[i] = next() & ~1;
    ZOBRIST_HAND_HI[i] = next();
  }
}
fillTables();
