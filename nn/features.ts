// Feature sets of the network input: the one definition of feature indices that the trainer, the
// ONNX evaluator and the native evaluator all import.
//
// Both sets number pieces with YaneuraOu's BonaPiece (1548 values, fe_end): hand pieces first, one
// slot per copy held, then board pieces as base + square. A perspective counts its own pieces as
// "friend" and the other side's as "enemy". White's perspective rotates the board by 180 degrees
// (square 80 - sq), so each side has its own camp at the bottom.
//
//   halfkp  HalfKP(Friend) of YaneuraOu: index = orientedKingSquare * 1548 + BonaPiece,
//           125,388 features; the accumulator is rebuilt when the perspective's own king moves.
//   p       the 1548 BonaPiece features alone, without the king factor (YaneuraOu's "P"); small
//           enough for git, so the shipped models use it.
//
// Each perspective has exactly 38 active features, one per non-king piece of a shogi set. A piece
// absent from the position (handicap games, tsume problems) contributes BonaPiece 0, as YaneuraOu
// does, so the count never changes.

import type { Position } from "../shogi/position.js";
import {
  BISHOP, BLACK, DRAGON, GOLD, HORSE, KING, KNIGHT, LANCE, PAWN, PRO_KNIGHT, PRO_LANCE,
  PRO_PAWN, PRO_SILVER, ROOK, SILVER, SQUARE_NB, WHITE, type Color, type Move, isDrop, isPromotion,
  makePiece, moveFrom, moveTo, rawType,
} from "../shogi/types.js";

export type FeatureSetName = "halfkp" | "p";
export const FEATURE_SET_NAMES: readonly FeatureSetName[] = ["halfkp", "p"];

/** Number of BonaPiece values (YaneuraOu's fe_end); BonaPiece 0 stands for an absent piece. */
export const BONA_PIECE_NB = 1548;
/** Active features per perspective: the 38 non-king pieces of one shogi set. */
export const MAX_ACTIVE = 38;
/** Features one move removes or adds per perspective: the moving piece and a captured piece. */
export const MAX_CHANGED = 2;

const SQUARE_MAX = SQUARE_NB - 1;
const PROMOTE_OFFSET = 8;

/** BonaPiece base of each hand piece type, for the perspective's own hand [0] and the enemy's [1]. */
const HAND_BASE: Record<number, readonly [number, number]> = {
  [PAWN]: [1, 20],
  [LANCE]: [39, 44],
  [KNIGHT]: [49, 54],
  [SILVER]: [59, 64],
  [GOLD]: [69, 74],
  [BISHOP]: [79, 82],
  [ROOK]: [85, 88],
};

/** BonaPiece base of each board piece type (friend); the enemy base is 81 higher. */
const BOARD_BASE: Record<number, number> = {
  [PAWN]: 90,
  [LANCE]: 252,
  [KNIGHT]: 414,
  [SILVER]: 576,
  [GOLD]: 738,
  [PRO_PAWN]: 738,
  [PRO_LANCE]: 738,
  [PRO_KNIGHT]: 738,
  [PRO_SILVER]: 738,
  [BISHOP]: 900,
  [HORSE]: 1062,
  [ROOK]: 1224,
  [DRAGON]: 1386,
};
const ENEMY_BOARD_OFFSET = SQUARE_NB;

/** BonaPiece of a piece code on a square, indexed by (perspective * 32 + piece) * 81 + sq; 0 for kings. */
const BOARD_FEATURE = new Int16Array(2 * 32 * SQUARE_NB);
/** BonaPiece of the first copy in hand, indexed by perspective * 16 + holder * 8 + type. */
const HAND_FEATURE = new Int16Array(2 * 16);

function fillTables(): void {
  for (const perspective of [BLACK, WHITE] as Color[]) {
    for (const color of [BLACK, WHITE] as Color[]) {
      const enemy = color === perspective ? 0 : 1;
      for (const [type, base] of Object.entries(BOARD_BASE)) {
        const piece = makePiece(color, Number(type));
        for (let sq = 0; sq < SQUARE_NB; sq++) {
          const oriented = perspective === BLACK ? sq : SQUARE_MAX - sq;
          BOARD_FEATURE[(perspective * 32 + piece) * SQUARE_NB + sq] = base + enemy * ENEMY_BOARD_OFFSET + oriented;
        }
      }
      for (const [type, bases] of Object.entries(HAND_BASE)) {
        HAND_FEATURE[perspective * 16 + color * 8 + Number(type)] = bases[enemy];
      }
    }
  }
}
fillTables();

/** BonaPiece of a piece code on a square from the given perspective (0 for a king). */
export function boardBonaPiece(perspective: Color, piece: number, sq: number): number {
  return BOARD_FEATURE[(perspective * 32 + piece) * SQUARE_NB + sq];
}

/** BonaPiece of the copy-th piece (1-based) of a type in holder's hand, from the given perspective. */
export function handBonaPiece(perspective: Color, holder: Color, type: number, copy: number): number {
  return HAND_FEATURE[perspective * 16 + holder * 8 + type] + copy - 1;
}

/**
 * Feature changes of one move, per perspective: slots perspective * MAX_CHANGED + i of `removed`
 * and `added`, counts in removedCount/addedCount. Where refresh[perspective] is 1 the lists of
 * that perspective are empty and its accumulator must be rebuilt from the position after the move.
 */
export interface FeatureChanges {
  readonly removed: Int32Array;
  readonly added: Int32Array;
  readonly removedCount: Int32Array;
  readonly addedCount: Int32Array;
  readonly refresh: Uint8Array;
}

export function createFeatureChanges(): FeatureChanges {
  return {
    removed: new Int32Array(2 * MAX_CHANGED),
    added: new Int32Array(2 * MAX_CHANGED),
    removedCount: new Int32Array(2),
    addedCount: new Int32Array(2),
    refresh: new Uint8Array(2),
  };
}

export interface FeatureSet {
  readonly name: FeatureSetName;
  /** Number of features (rows of the transformer's weight matrix). */
  readonly dimensions: number;
  /** Active features per perspective; activeFeatures always returns this count. */
  readonly maxActive: number;
  /**
   * Writes the active feature indices of one perspective into out[offset..] and returns their
   * count (maxActive). The position must hold at most one shogi set, as SFEN parsing enforces.
   */
  activeFeatures(pos: Position, perspective: Color, out: Int32Array, offset?: number): number;
  /**
   * Fills `out` with the feature changes of a legal move. Call it before pos.doMove(move),
   * because it reads the captured piece and the hand counts of the position before the move.
   */
  moveChanges(pos: Position, move: Move, out: FeatureChanges): void;
}

/** Offset of the perspective's king block in HalfKP; throws when that king is missing. */
function kingOffset(pos: Position, perspective: Color): number {
  const ksq = pos.kingSquare[perspective];
  if (ksq < 0) {
    throw new Error(`HalfKP features need both kings, but the ${perspective === BLACK ? "Black" : "White"} king is missing`);
  }
  return (perspective === BLACK ? ksq : SQUARE_MAX - ksq) * BONA_PIECE_NB;
}

/** Writes the BonaPieces of the position plus `base` into out and pads with `base` (BonaPiece 0). */
function writePieces(pos: Position, perspective: Color, base: number, out: Int32Array, offset: number): number {
  let count = 0;
  const board = pos.board;
  const boardRow = perspective * 32 * SQUARE_NB;
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = board[sq];
    if (piece === 0 || (piece & 15) === KING) continue;
    out[offset + count++] = base + BOARD_FEATURE[boardRow + piece * SQUARE_NB + sq];
  }
  for (let holder = 0; holder < 2; holder++) {
    for (let type = PAWN; type <= GOLD; type++) {
      const handCount = pos.hands[holder * 8 + type];
      const first = base + HAND_FEATURE[perspective * 16 + holder * 8 + type];
      for (let copy = 0; copy < handCount; copy++) out[offset + count++] = first + copy;
    }
  }
  while (count < MAX_ACTIVE) out[offset + count++] = base;
  return count;
}

/** Fills `out` with the BonaPiece changes of a move, each plus the perspective's base offset. */
function writeMoveChanges(pos: Position, move: Move, bases: Int32Array, out: FeatureChanges): void {
  const us = pos.turn;
  const to = moveTo(move);
  out.removedCount[0] = out.removedCount[1] = 0;
  out.addedCount[0] = out.addedCount[1] = 0;
  if (isDrop(move)) {
    const type = moveFrom(move);
    const handCount = pos.hands[us * 8 + type];
    for (let p = 0; p < 2; p++) {
      if (out.refresh[p]) continue;
      const handFeature = HAND_FEATURE[p * 16 + us * 8 + type] + handCount - 1;
      pushChange(out.removed, out.removedCount, p, bases[p] + handFeature);
      pushChange(out.added, out.addedCount, p, bases[p] + BOARD_FEATURE[(p * 32 + makePiece(us, type)) * SQUARE_NB + to]);
    }
    return;
  }

  const from = moveFrom(move);
  const piece = pos.board[from];
  const moved = isPromotion(move) ? piece + PROMOTE_OFFSET : piece;
  const captured = pos.board[to];
  const capturedType = rawType(captured & 15);
  const handCount = captured === 0 ? 0 : pos.hands[us * 8 + capturedType];
  for (let p = 0; p < 2; p++) {
    if (out.refresh[p]) continue;
    if ((piece & 15) !== KING) {
      pushChange(out.removed, out.removedCount, p, bases[p] + BOARD_FEATURE[(p * 32 + piece) * SQUARE_NB + from]);
      pushChange(out.added, out.addedCount, p, bases[p] + BOARD_FEATURE[(p * 32 + moved) * SQUARE_NB + to]);
    }
    if (captured !== 0) {
      pushChange(out.removed, out.removedCount, p, bases[p] + BOARD_FEATURE[(p * 32 + captured) * SQUARE_NB + to]);
      pushChange(out.added, out.addedCount, p, bases[p] + HAND_FEATURE[p * 16 + us * 8 + capturedType] + handCount);
    }
  }
}

function pushChange(list: Int32Array, counts: Int32Array, perspective: number, feature: number): void {
  list[perspective * MAX_CHANGED + counts[perspective]++] = feature;
}

const halfKpBases = new Int32Array(2);

const HALF_KP: FeatureSet = {
  name: "halfkp",
  dimensions: SQUARE_NB * BONA_PIECE_NB,
  maxActive: MAX_ACTIVE,
  activeFeatures(pos, perspective, out, offset = 0) {
    return writePieces(pos, perspective, kingOffset(pos, perspective), out, offset);
  },
  moveChanges(pos, move, out) {
    const us = pos.turn;
    const kingMoves = !isDrop(move) && (pos.board[moveFrom(move)] & 15) === KING;
    out.refresh[us] = kingMoves ? 1 : 0;
    out.refresh[us ^ 1] = 0;
    halfKpBases[us] = kingMoves ? 0 : kingOffset(pos, us);
    halfKpBases[us ^ 1] = kingOffset(pos, (us ^ 1) as Color);
    writeMoveChanges(pos, move, halfKpBases, out);
  },
};

const ZERO_BASES = new Int32Array(2);

const PIECES_ONLY: FeatureSet = {
  name: "p",
  dimensions: BONA_PIECE_NB,
  maxActive: MAX_ACTIVE,
  activeFeatures(pos, perspective, out, offset = 0) {
    return writePieces(pos, perspective, 0, out, offset);
  },
  moveChanges(pos, move, out) {
    out.refresh[0] = out.refresh[1] = 0;
    writeMoveChanges(pos, move, ZERO_BASES, out);
  },
};

const FEATURE_SETS: Record<FeatureSetName, FeatureSet> = { halfkp: HALF_KP, p: PIECES_ONLY };

export function isFeatureSetName(name: string): name is FeatureSetName {
  return (FEATURE_SET_NAMES as readonly string[]).includes(name);
}

/** Returns the feature set of a name; throws on a name that is not one of FEATURE_SET_NAMES. */
export function featureSet(name: string): FeatureSet {
  if (!isFeatureSetName(name)) {
    throw new Error(`unknown feature set "${name}": expected one of ${FEATURE_SET_NAMES.join(", ")}`);
  }
  return FEATURE_SETS[name];
}
