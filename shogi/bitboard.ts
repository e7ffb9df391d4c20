// Bitboards over the 81 squares, stored as three 27-bit integer words.
//
// Word k holds squares 27k .. 27k + 26, which are files 3k + 1 .. 3k + 3 (square numbering is in
// types.ts). A file's nine squares are nine adjacent bits of one word, so vertical slider attacks
// read one word. A bitboard is three consecutive entries of an Int32Array; tables of bitboards
// are flat Int32Arrays indexed by entry * 3. No BigInt and no objects on hot paths.

import { FILE_NB, RANK_NB, SQUARE_NB, fileOf, makeSquare, rankOf } from "./types.js";

export const WORDS = 3;
export const SQUARES_PER_WORD = 27;

/** Word index of each square. */
export const SQUARE_WORD = new Uint8Array(SQUARE_NB);
/** Single-bit mask of each square inside its word. */
export const SQUARE_BIT = new Int32Array(SQUARE_NB);
for (let sq = 0; sq < SQUARE_NB; sq++) {
  SQUARE_WORD[sq] = (sq / SQUARES_PER_WORD) | 0;
  SQUARE_BIT[sq] = 1 << sq % SQUARES_PER_WORD;
}

/** Index of the lowest set bit of a non-zero word. */
export function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

export function popCount32(word: number): number {
  let w = word - ((word >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function setSquare(bb: Int32Array, offset: number, sq: number): void {
  bb[offset + SQUARE_WORD[sq]] |= SQUARE_BIT[sq];
}

export function testSquare(bb: Int32Array, offset: number, sq: number): boolean {
  return (bb[offset + SQUARE_WORD[sq]] & SQUARE_BIT[sq]) !== 0;
}

export function isEmptyBB(bb: Int32Array, offset: number): boolean {
  return (bb[offset] | bb[offset + 1] | bb[offset + 2]) === 0;
}

export function popCountBB(bb: Int32Array, offset: number): number {
  return popCount32(bb[offset]) + popCount32(bb[offset + 1]) + popCount32(bb[offset + 2]);
}

/** Returns the only square of a bitboard with exactly one bit set (the lowest one otherwise). */
export function firstSquare(bb: Int32Array, offset: number): number {
  for (let k = 0; k < WORDS; k++) {
    const word = bb[offset + k];
    if (word !== 0) return k * SQUARES_PER_WORD + lowestBit(word);
  }
  return -1;
}

/** Lists the squares of a bitboard in increasing order; for tests and cold code only. */
export function squaresOf(bb: Int32Array, offset = 0): number[] {
  const squares: number[] = [];
  for (let k = 0; k < WORDS; k++) {
    let word = bb[offset + k];
    while (word !== 0) {
      const bit = word & -word;
      squares.push(k * SQUARES_PER_WORD + 31 - Math.clz32(bit));
      word ^= bit;
    }
  }
  return squares;
}

function squareOnBoard(file: number, rank: number): boolean {
  return file >= 0 && file < FILE_NB && rank >= 0 && rank < RANK_NB;
}

/** Bitboard of every square on one file, indexed by file index. */
export const FILE_BB = new Int32Array(FILE_NB * WORDS);
/** Bitboard of every square on one rank, indexed by rank index. */
export const RANK_BB = new Int32Array(RANK_NB * WORDS);
for (let sq = 0; sq < SQUARE_NB; sq++) {
  setSquare(FILE_BB, fileOf(sq) * WORDS, sq);
  setSquare(RANK_BB, rankOf(sq) * WORDS, sq);
}

/**
 * Squares strictly between two squares on a common rank, file or diagonal, indexed by
 * (a * 81 + b); empty when they share no line.
 */
export const BETWEEN_BB = new Int32Array(SQUARE_NB * SQUARE_NB * WORDS);
/** The whole line through two aligned squares, both included; empty when they share no line. */
export const LINE_BB = new Int32Array(SQUARE_NB * SQUARE_NB * WORDS);

function fillLines(): void {
  for (let a = 0; a < SQUARE_NB; a++) {
    for (let b = 0; b < SQUARE_NB; b++) {
      if (a === b) continue;
      const df = fileOf(b) - fileOf(a);
      const dr = rankOf(b) - rankOf(a);
      if (df !== 0 && dr !== 0 && Math.abs(df) !== Math.abs(dr)) continue;
      const stepFile = Math.sign(df);
      const stepRank = Math.sign(dr);
      const entry = (a * SQUARE_NB + b) * WORDS;
      let file = fileOf(a) + stepFile;
      let rank = rankOf(a) + stepRank;
      while (file !== fileOf(b) || rank !== rankOf(b)) {
        setSquare(BETWEEN_BB, entry, makeSquare(file, rank));
        file += stepFile;
        rank += stepRank;
      }
      // Walk the full line in both directions from a.
      for (const sign of [1, -1]) {
        file = fileOf(a);
        rank = rankOf(a);
        while (squareOnBoard(file, rank)) {
          setSquare(LINE_BB, entry, makeSquare(file, rank));
          file += sign * stepFile;
          rank += sign * stepRank;
        }
      }
    }
  }
}
fillLines();
