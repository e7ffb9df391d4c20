// Vocabulary of the rules core: colours, piece codes, squares and the move encoding.
//
// The numbering follows YaneuraOu, so that PackedSfenValue records, HalfKP feature indices and
// nn.bin files use these values unchanged.
//
// Squares: 0..80, file-major. Square 0 is 1a (file 1, rank a: the top-right corner as Black sees
// the board); square = (file - 1) * 9 + (rank - 1), so 1i = 8, 2a = 9, 5e = 40 and 9i = 80.
// Rank a is White's back rank and rank i is Black's.

export type Color = 0 | 1;
export const BLACK: Color = 0; // sente, moves first, plays up the board (towards rank a)
export const WHITE: Color = 1; // gote
export const COLOR_NB = 2;

/** Unpromoted and promoted piece types; a promoted type is its base type + PROMOTED. */
export const PAWN = 1;
export const LANCE = 2;
export const KNIGHT = 3;
export const SILVER = 4;
export const BISHOP = 5;
export const ROOK = 6;
export const GOLD = 7;
export const KING = 8;
export const PRO_PAWN = 9;
export const PRO_LANCE = 10;
export const PRO_KNIGHT = 11;
export const PRO_SILVER = 12;
export const HORSE = 13;
export const DRAGON = 14;
export const PIECE_TYPE_NB = 15;
export const PROMOTED = 8;

/** Piece types that can be held in hand, in the order used for hand arrays: PAWN..GOLD. */
export const HAND_TYPES = [PAWN, LANCE, KNIGHT, SILVER, BISHOP, ROOK, GOLD] as const;
/** Largest count of each piece type in one set, indexed by piece type. */
export const PIECE_COUNT = [0, 18, 4, 4, 4, 2, 2, 4, 2] as const;

/** A piece on the board: piece type + 16 for White, 0 for an empty square. */
export const NO_PIECE = 0;
export const WHITE_BIT = 16;
export const PIECE_NB = 32;

export const SQUARE_NB = 81;
export const FILE_NB = 9;
export const RANK_NB = 9;

export function makePiece(color: Color, type: number): number {
  return type + (color << 4);
}

export function pieceType(piece: number): number {
  return piece & 15;
}

export function pieceColor(piece: number): Color {
  return (piece >> 4) as Color;
}

/** Returns the unpromoted type of a piece type (KING and GOLD map to themselves). */
export function rawType(type: number): number {
  return type > KING ? type - PROMOTED : type;
}

/** Tells whether a piece type has a promoted form. */
export function canPromoteType(type: number): boolean {
  return type >= PAWN && type <= ROOK;
}

/** File index 0..8 of a square; file index 0 is file 1. */
export function fileOf(square: number): number {
  return (square / 9) | 0;
}

/** Rank index 0..8 of a square; rank index 0 is rank a. */
export function rankOf(square: number): number {
  return square % 9;
}

export function makeSquare(fileIndex: number, rankIndex: number): number {
  return fileIndex * 9 + rankIndex;
}

/** Rank index counted from the given colour's side: 0 is that colour's far rank. */
export function relativeRank(color: Color, rankIndex: number): number {
  return color === BLACK ? rankIndex : 8 - rankIndex;
}

/** Tells whether a rank index lies in the promotion zone (the far three ranks) of a colour. */
export function inPromotionZone(color: Color, rankIndex: number): boolean {
  return color === BLACK ? rankIndex <= 2 : rankIndex >= 6;
}

const RANK_LETTERS = "abcdefghi";

/** USI name of a square, such as "7g". */
export function squareName(square: number): string {
  return `${fileOf(square) + 1}${RANK_LETTERS[rankOf(square)]}`;
}

/** Parses a USI square name ("1a".."9i"); returns -1 when the text is not one. */
export function parseSquare(text: string): number {
  if (text.length !== 2) return -1;
  const file = text.charCodeAt(0) - 49; // '1'
  const rank = RANK_LETTERS.indexOf(text[1]);
  if (file < 0 || file > 8 || rank < 0) return -1;
  return makeSquare(file, rank);
}

// Moves are 32-bit integers. The low 16 bits are YaneuraOu's Move16, so they can be written to
// PackedSfenValue records as they are:
//   bits 0-6   destination square
//   bits 7-13  origin square, or the dropped piece type for a drop
//   bit 14     drop flag
//   bit 15     promotion flag
//   bits 16-20 the moving piece (colour included), filled in by the move generator
// MOVE_NONE is 0; no legal move encodes to 0 because a move never starts and ends on square 0.
export type Move = number;
export const MOVE_NONE: Move = 0;
export const MOVE_DROP_FLAG = 1 << 14;
export const MOVE_PROMOTE_FLAG = 1 << 15;
/** YaneuraOu's null move: origin 1a, destination 1b. */
export const MOVE_NULL: Move = (1 << 7) + 1;

export function makeNormalMove(from: number, to: number, promote: boolean, piece = 0): Move {
  return to | (from << 7) | (promote ? MOVE_PROMOTE_FLAG : 0) | (piece << 16);
}

export function makeDropMove(type: number, to: number, piece = 0): Move {
  return to | (type << 7) | MOVE_DROP_FLAG | (piece << 16);
}

export function moveTo(move: Move): number {
  return move & 0x7f;
}

export function moveFrom(move: Move): number {
  return (move >>> 7) & 0x7f;
}

export function isDrop(move: Move): boolean {
  return (move & MOVE_DROP_FLAG) !== 0;
}

export function isPromotion(move: Move): boolean {
  return (move & MOVE_PROMOTE_FLAG) !== 0;
}

/** Piece type dropped by a drop move. */
export function droppedType(move: Move): number {
  return (move >>> 7) & 0x7f;
}

/** Returns the moving piece stored in bits 16-20, or 0 when the move was built without it. */
export function movedPiece(move: Move): number {
  return (move >>> 16) & 0x1f;
}

/** Returns the 16-bit form of a move, as stored in PackedSfenValue and compared across sources. */
export function move16(move: Move): number {
  return move & 0xffff;
}
