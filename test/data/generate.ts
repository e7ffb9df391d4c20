// Teacher records from seeded random play, for round-trip tests.
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { MOVE_NONE, move16 } from "../../shogi/types.js";
import type { GameResult, TeacherRecord } from "../../nn/data/record.js";

/** Two-piece handicap (no White rook or bishop): its PackedSfen needs piece-box codes. */
export const TWO_PIECE_HANDICAP = "lnsgkgsnl/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1";
const MAX_GAME_PLY = 200;
const HANDICAP_SHARE = 0.25;
const NO_MOVE_SHARE = 0.05;
const EXTREME_SCORE_SHARE = 0.05;
const RESULTS: GameResult[] = [-1, 0, 1];

/** Mulberry32: a small seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Plays random legal games from the start position (a quarter from a two-piece handicap) and
 * records every position before a move: random score, the played move (sometimes MOVE_NONE),
 * the ply, and a random result. The SFEN move number is ply + 1, as readers of binary files set it.
 */
export function generateRecords(count: number, seed: number): TeacherRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const records: TeacherRecord[] = [];
  while (records.length < count) {
    const position = Position.fromSfen(random() < HANDICAP_SHARE ? TWO_PIECE_HANDICAP : START_SFEN);
    for (let ply = 0; ply < MAX_GAME_PLY && records.length < count; ply++) {
      const moves = legalMoves(position);
      if (moves.length === 0) break;
      const move = pick(moves);
      const score = random() < EXTREME_SCORE_SHARE ? pick([-32768, 32767]) : Math.floor(random() * 4001) - 2000;
      records.push({
        setup: position.setup(),
        score,
        move: random() < NO_MOVE_SHARE ? MOVE_NONE : move16(move),
        ply,
        result: pick(RESULTS),
      });
      position.doMove(move);
    }
  }
  return records;
}
