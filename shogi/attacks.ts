// Attack tables, built once at load.
//
// Step pieces use one bitboard per (piece, square). Sliders use line occupancy: the position keeps,
// for each of the 52 lines of the board (9 files, 9 ranks and 2 x 17 diagonals), a 9-bit mask of the
// occupied points on that line. A table maps (square, line kind, line occupancy) to the attacked
// squares as a bitboard, so a slider attack costs one line-mask read and one table read.

import { SQUARE_BIT, SQUARE_WORD, WORDS, setSquare } from "./bitboard.js";
import {
  BISHOP, BLACK, DRAGON, GOLD, HORSE, KING, KNIGHT, LANCE, PAWN, PIECE_NB, PRO_KNIGHT, PRO_LANCE,
  PRO_PAWN, PRO_SILVER, ROOK, SILVER, SQUARE_NB, WHITE, type Color, fileOf, makePiece, makeSquare,
  rankOf,
} from "./types.js";

/** Line kinds, in the order of each square's four lines. */
export const LINE_FILE = 0;
export const LINE_RANK = 1;
/** Diagonal along which file + rank is constant. */
export const LINE_DIAG_SUM = 2;
/** Diagonal along which file - rank is constant. */
export const LINE_DIAG_DIFF = 3;
export const LINE_KINDS = 4;
export const LINE_NB = 9 + 9 + 17 + 17;
const LINE_OCC_NB = 512;

/** Line id of each (square, line kind), indexed by sq * 4 + kind. */
export const SQUARE_LINE = new Uint8Array(SQUARE_NB * LINE_KINDS);
/** Bit of each (square, line kind) inside its line's occupancy mask. */
export const SQUARE_LINE_BIT = new Int32Array(SQUARE_NB * LINE_KINDS);

function lineOf(sq: number, kind: number): { id: number; point: number } {
  const file = fileOf(sq);
  const rank = rankOf(sq);
  switch (kind) {
    case LINE_FILE:
      return { id: file, point: rank };
    case LINE_RANK:
      return { id: 9 + rank, point: file };
    case LINE_DIAG_SUM:
      return { id: 18 + file + rank, point: file };
    default:
      return { id: 35 + file - rank + 8, point: file };
  }
}

for (let sq = 0; sq < SQUARE_NB; sq++) {
  for (let kind = 0; kind < LINE_KINDS; kind++) {
    const { id, point } = lineOf(sq, kind);
    SQUARE_LINE[sq * LINE_KINDS + kind] = id;
    SQUARE_LINE_BIT[sq * LINE_KINDS + kind] = 1 << point;
  }
}

/** Direction (file step, rank step) of each line kind. */
const LINE_STEP: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [1, 0],
  [1, -1],
  [1, 1],
];

/** Slider attacks along one line, indexed by ((sq * 4 + kind) * 512 + line occupancy) * 3. */
export const SLIDE_BB = new Int32Array(SQUARE_NB * LINE_KINDS * LINE_OCC_NB * WORDS);
/** Lance attacks, indexed by ((color * 81 + sq) * 512 + file occupancy) * 3. */
export const LANCE_BB = new Int32Array(2 * SQUARE_NB * LINE_OCC_NB * WORDS);

function onBoard(file: number, rank: number): boolean {
  return file >= 0 && file < 9 && rank >= 0 && rank < 9;
}

/** Adds the squares of a ray to a table entry, stopping after the first occupied point. */
function walkRay(
  table: Int32Array, entry: number, sq: number, df: number, dr: number, kind: number, occ: number,
): void {
  let file = fileOf(sq) + df;
  let rank = rankOf(sq) + dr;
  while (onBoard(file, rank)) {
    const target = makeSquare(file, rank);
    setSquare(table, entry, target);
    if ((occ & SQUARE_LINE_BIT[target * LINE_KINDS + kind]) !== 0) break;
    file += df;
    rank += dr;
  }
}

function fillSliderTables(): void {
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    for (let kind = 0; kind < LINE_KINDS; kind++) {
      const [df, dr] = LINE_STEP[kind];
      for (let occ = 0; occ < LINE_OCC_NB; occ++) {
        const entry = ((sq * LINE_KINDS + kind) * LINE_OCC_NB + occ) * WORDS;
        walkRay(SLIDE_BB, entry, sq, df, dr, kind, occ);
        walkRay(SLIDE_BB, entry, sq, -df, -dr, kind, occ);
        if (kind !== LINE_FILE) continue;
        walkRay(LANCE_BB, ((BLACK * SQUARE_NB + sq) * LINE_OCC_NB + occ) * WORDS, sq, 0, -1, kind, occ);
        walkRay(LANCE_BB, ((WHITE * SQUARE_NB + sq) * LINE_OCC_NB + occ) * WORDS, sq, 0, 1, kind, occ);
      }
    }
  }
}
fillSliderTables();

// Step patterns for Black as (file step, rank step); "forward" for Black is rank step -1.
// White's patterns are the same with the rank step negated.
const PAWN_STEPS = [[0, -1]];
const KNIGHT_STEPS = [[-1, -2], [1, -2]];
const SILVER_STEPS = [[-1, -1], [0, -1], [1, -1], [-1, 1], [1, 1]];
const GOLD_STEPS = [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [0, 1]];
const KING_STEPS = [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [0, 1], [1, 1]];

/** Step attacks, indexed by (piece * 81 + sq) * 3; empty for pure sliders (lance, bishop, rook). */
export const STEP_BB = new Int32Array(PIECE_NB * SQUARE_NB * WORDS);

function stepsOf(type: number): number[][] {
  switch (type) {
    case PAWN:
      return PAWN_STEPS;
    case KNIGHT:
      return KNIGHT_STEPS;
    case SILVER:
      return SILVER_STEPS;
    case GOLD: case PRO_PAWN: case PRO_LANCE: case PRO_KNIGHT: case PRO_SILVER:
      return GOLD_STEPS;
    case KING: case HORSE: case DRAGON:
      // A horse's and a dragon's one-step moves are a subset of the king's; the slider part
      // covers the rest, so the union with the slider attacks is exact.
      return KING_STEPS;
    default:
      return [];
  }
}

function fillStepTables(): void {
  for (const color of [BLACK, WHITE] as Color[]) {
    const rankSign = color === BLACK ? 1 : -1;
    for (let type = PAWN; type <= DRAGON; type++) {
      const piece = makePiece(color, type);
      for (let sq = 0; sq < SQUARE_NB; sq++) {
        for (const [df, dr] of stepsOf(type)) {
          const file = fileOf(sq) + df;
          const rank = rankOf(sq) + dr * rankSign;
          if (onBoard(file, rank)) setSquare(STEP_BB, (piece * SQUARE_NB + sq) * WORDS, makeSquare(file, rank));
        }
      }
    }
  }
}
fillStepTables();

/** Rook attacks on an empty board, indexed by sq * 3 (used to find pinning candidates). */
export const ROOK_EMPTY_BB = new Int32Array(SQUARE_NB * WORDS);
/** Bishop attacks on an empty board, indexed by sq * 3. */
export const BISHOP_EMPTY_BB = new Int32Array(SQUARE_NB * WORDS);
/** Lance attacks on an empty board, indexed by (color * 81 + sq) * 3. */
export const LANCE_EMPTY_BB = new Int32Array(2 * SQUARE_NB * WORDS);
for (let sq = 0; sq < SQUARE_NB; sq++) {
  for (let k = 0; k < WORDS; k++) {
    const base = (sq * LINE_KINDS) * LINE_OCC_NB * WORDS + k;
    ROOK_EMPTY_BB[sq * WORDS + k] =
      SLIDE_BB[base + LINE_FILE * LINE_OCC_NB * WORDS] | SLIDE_BB[base + LINE_RANK * LINE_OCC_NB * WORDS];
    BISHOP_EMPTY_BB[sq * WORDS + k] =
      SLIDE_BB[base + LINE_DIAG_SUM * LINE_OCC_NB * WORDS] | SLIDE_BB[base + LINE_DIAG_DIFF * LINE_OCC_NB * WORDS];
    for (const color of [BLACK, WHITE]) {
      LANCE_EMPTY_BB[(color * SQUARE_NB + sq) * WORDS + k] =
        LANCE_BB[(color * SQUARE_NB + sq) * LINE_OCC_NB * WORDS + k];
    }
  }
}

/** Offset into SLIDE_BB of the attacks from sq along one line kind under the given occupancy. */
export function slideEntry(sq: number, kind: number, lineOcc: Int32Array): number {
  const line = SQUARE_LINE[sq * LINE_KINDS + kind];
  return ((sq * LINE_KINDS + kind) * LINE_OCC_NB + lineOcc[line]) * WORDS;
}

/** Offset into LANCE_BB of a lance's attacks from sq under the given occupancy. */
export function lanceEntry(color: Color, sq: number, lineOcc: Int32Array): number {
  return ((color * SQUARE_NB + sq) * LINE_OCC_NB + lineOcc[SQUARE_LINE[sq * LINE_KINDS]]) * WORDS;
}

/**
 * Writes the attacks of a piece standing on sq into out[offset .. offset + 2], with sliders
 * blocked according to lineOcc.
 */
export function pieceAttacks(piece: number, sq: number, lineOcc: Int32Array, out: Int32Array, offset: number): void {
  const type = piece & 15;
  const step = (piece * SQUARE_NB + sq) * WORDS;
  out[offset] = STEP_BB[step];
  out[offset + 1] = STEP_BB[step + 1];
  out[offset + 2] = STEP_BB[step + 2];
  if (type === LANCE) {
    const e = lanceEntry((piece >> 4) as Color, sq, lineOcc);
    out[offset] |= LANCE_BB[e];
    out[offset + 1] |= LANCE_BB[e + 1];
    out[offset + 2] |= LANCE_BB[e + 2];
  } else if (type === BISHOP || type === HORSE) {
    addSlides(sq, LINE_DIAG_SUM, LINE_DIAG_DIFF, lineOcc, out, offset);
  } else if (type === ROOK || type === DRAGON) {
    addSlides(sq, LINE_FILE, LINE_RANK, lineOcc, out, offset);
  }
}

function addSlides(sq: number, kindA: number, kindB: number, lineOcc: Int32Array, out: Int32Array, offset: number): void {
  const a = slideEntry(sq, kindA, lineOcc);
  const b = slideEntry(sq, kindB, lineOcc);
  out[offset] |= SLIDE_BB[a] | SLIDE_BB[b];
  out[offset + 1] |= SLIDE_BB[a + 1] | SLIDE_BB[b + 1];
  out[offset + 2] |= SLIDE_BB[a + 2] | SLIDE_BB[b + 2];
}

/** Tells whether the attack bitboard of a step piece on `from` contains `to`. */
export function stepAttacks(piece: number, from: number, to: number): boolean {
  return (STEP_BB[(piece * SQUARE_NB + from) * WORDS + SQUARE_WORD[to]] & SQUARE_BIT[to]) !== 0;
}
