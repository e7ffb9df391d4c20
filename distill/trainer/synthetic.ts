// Synthetic teacher data for tests and benchmarks: positions from seeded random legal play,
// labelled by a material "teacher". It needs no engine, and a network can learn it exactly.
//
//   score   material of the side to move minus the opponent's, in centipawns (nn/material.ts
//           values; pieces in hand count unpromoted)
//   move    the unique move that maximises that material difference after it is played. When
//           several moves tie for the best, the record has no move (MOVE_NONE).
//   result  the sign of the material difference at the game's last position, from each record's
//           side to move (a draw when it is within DRAW_MARGIN)

import { MATERIAL_VALUES } from "../../nn/material.js";
import type { GameResult, TeacherRecord } from "../../nn/data/record.js";
import { openRecordWriter } from "../../nn/data/writer.js";
import { MAX_MOVES, generateLegal } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { BLACK, MOVE_NONE, type Color, HAND_TYPES, SQUARE_NB, move16, pieceColor, pieceType } from "../../shogi/types.js";
import { Random } from "./random.js";

export interface SyntheticOptions {
  /** Records to write. */
  records: number;
  seed: number;
  /** Plies per game before a new game starts. */
  maxPlies?: number;
  /** Plies played before the first record of a game, to skip the near-identical openings. */
  skipPlies?: number;
}

const DEFAULT_MAX_PLIES = 160;
const DEFAULT_SKIP_PLIES = 8;
/** Material differences within this many centipawns count as a draw. */
const DRAW_MARGIN = 300;

/** Material of `color` minus the other side's, in centipawns. */
export function materialBalance(pos: Position, color: Color): number {
  let sum = 0;
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = pos.board[sq];
    if (piece === 0) continue;
    const value = MATERIAL_VALUES[pieceType(piece)] ?? 0;
    sum += pieceColor(piece) === color ? value : -value;
  }
  for (const type of HAND_TYPES) {
    sum += MATERIAL_VALUES[type] * (pos.handCount(color, type) - pos.handCount((color ^ 1) as Color, type));
  }
  return sum;
}

/** Returns the unique move maximising the mover's material after it, or MOVE_NONE on a tie. */
function materialBestMove(pos: Position, moves: Int32Array, count: number): number {
  const us = pos.turn;
  let best = MOVE_NONE;
  let bestValue = -Infinity;
  let tied = false;
  for (let i = 0; i < count; i++) {
    pos.doMove(moves[i]);
    const value = materialBalance(pos, us);
    pos.undoMove();
    if (value > bestValue) {
      bestValue = value;
      best = moves[i];
      tied = false;
    } else if (value === bestValue) {
      tied = true;
    }
  }
  return tied ? MOVE_NONE : move16(best);
}

/** Plays one random game and returns its records (results filled in at the end). */
function playGame(random: Random, maxPlies: number, skipPlies: number, moves: Int32Array): TeacherRecord[] {
  const pos = Position.startpos();
  const records: TeacherRecord[] = [];
  for (let ply = 0; ply < maxPlies; ply++) {
    const count = generateLegal(pos, moves, 0);
    if (count === 0) break;
    if (ply >= skipPlies) {
      const move = materialBestMove(pos, moves, count);
      records.push({ setup: pos.setup(), score: materialBalance(pos, pos.turn), move, ply, result: 0 });
    }
    pos.doMove(moves[random.below(count)]);
  }
  const final = materialBalance(pos, BLACK);
  for (const record of records) {
    const forMover = record.setup.turn === BLACK ? final : -final;
    record.result = (Math.abs(forMover) <= DRAW_MARGIN ? 0 : Math.sign(forMover)) as GameResult;
  }
  return records;
}

/** Writes `records` synthetic records to a file (format from its extension), replacing it. */
export async function writeSyntheticData(file: string, options: SyntheticOptions): Promise<void> {
  const random = new Random(options.seed);
  const moves = new Int32Array(MAX_MOVES);
  const writer = await openRecordWriter(file, { overwrite: true });
  try {
    let written = 0;
    while (written < options.records) {
      const game = playGame(random, options.maxPlies ?? DEFAULT_MAX_PLIES, options.skipPlies ?? DEFAULT_SKIP_PLIES, moves);
      for (const record of game.slice(0, options.records - written)) await writer.write(record);
      written += Math.min(game.length, options.records - written);
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
