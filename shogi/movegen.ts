// Legal move generation.
//
// Moves are written into a caller's Int32Array and the new end index is returned, so generation
// allocates nothing. Legality is settled during generation: pinned pieces stay on the line through
// their king, king moves avoid attacked squares, check evasions only capture or block a single
// checker, and drops respect nifu, dead ranks and the pawn-drop-mate rule (uchifuzume). Both the
// promotion and the non-promotion of a move are generated wherever each is legal.

import { BETWEEN_BB, LINE_BB, SQUARE_BIT, SQUARE_WORD, WORDS, firstSquare, setSquare } from "./bitboard.js";
import { STEP_BB, pieceAttacks } from "./attacks.js";
import { COLOR_SLOT, OCCUPIED_SLOT, Position } from "./position.js";
import {
  BLACK, GOLD, KING, KNIGHT, LANCE, MOVE_DROP_FLAG, MOVE_PROMOTE_FLAG, PAWN, ROOK, SQUARE_NB, WHITE,
  type Color, type Move, fileOf, makePiece, rankOf, relativeRank,
} from "./types.js";

/** Upper bound on the legal moves of any position (the known maximum is 593). */
export const MAX_MOVES = 600;

/** Squares on which a colour may drop a pawn or lance (not its far rank), indexed by color * 3. */
const NOT_LAST_RANK_BB = new Int32Array(2 * WORDS);
/** Squares on which a colour may drop a knight (not its far two ranks), indexed by color * 3. */
const NOT_LAST_TWO_RANKS_BB = new Int32Array(2 * WORDS);
/** Squares on the files of a 9-bit file mask, indexed by mask * 3. */
const FILES_MASK_BB = new Int32Array(512 * WORDS);
/** 1 where a move of this piece type to this square must promote, indexed by (color * 16 + type) * 81 + sq. */
const MUST_PROMOTE = new Uint8Array(2 * 16 * SQUARE_NB);
/** 1 where a square lies in a colour's promotion zone, indexed by color * 81 + sq. */
const IN_ZONE = new Uint8Array(2 * SQUARE_NB);

function fillTables(): void {
  for (const color of [BLACK, WHITE] as Color[]) {
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      const rank = relativeRank(color, rankOf(sq));
      if (rank >= 1) setSquare(NOT_LAST_RANK_BB, color * WORDS, sq);
      if (rank >= 2) setSquare(NOT_LAST_TWO_RANKS_BB, color * WORDS, sq);
      IN_ZONE[color * SQUARE_NB + sq] = rank <= 2 ? 1 : 0;
      MUST_PROMOTE[(color * 16 + PAWN) * SQUARE_NB + sq] = rank === 0 ? 1 : 0;
      MUST_PROMOTE[(color * 16 + LANCE) * SQUARE_NB + sq] = rank === 0 ? 1 : 0;
      MUST_PROMOTE[(color * 16 + KNIGHT) * SQUARE_NB + sq] = rank <= 1 ? 1 : 0;
    }
  }
  for (let mask = 0; mask < 512; mask++) {
    for (let sq = 0; sq < SQUARE_NB; sq++) {
      if ((mask >> fileOf(sq)) & 1) setSquare(FILES_MASK_BB, mask * WORDS, sq);
    }
  }
}
fillTables();

// Scratch bitboards, 3 words each: targets, drop targets, pinned pieces, one piece's attacks.
const TARGET = 0;
const DROP_TARGET = 3;
const PINNED = 6;
const ATTACKS = 9;
const scratch = new Int32Array(12);
/** Copy of scratch kept while the pawn-drop-mate test generates the opponent's replies. */
const savedScratch = new Int32Array(12);
/** Buffer for the reply search of the pawn-drop-mate test, separate from any caller's buffer. */
const replyBuffer = new Int32Array(MAX_MOVES);

/** Writes every legal move of the side to move into moves from index start; returns the end index. */
export function generateLegal(pos: Position, moves: Int32Array, start = 0): number {
  const us = pos.turn;
  const ksq = pos.kingSquare[us];
  const checkers = pos.ply * WORDS;
  const stack = pos.stackCheckers;
  if (ksq >= 0 && (stack[checkers] | stack[checkers + 1] | stack[checkers + 2]) !== 0) {
    return generateEvasions(pos, moves, start);
  }
  const own = (COLOR_SLOT + us) * WORDS;
  const occ = OCCUPIED_SLOT * WORDS;
  for (let k = 0; k < WORDS; k++) {
    scratch[TARGET + k] = ~pos.bb[own + k];
    scratch[DROP_TARGET + k] = ~pos.bb[occ + k];
  }
  pos.blockers(us, (us ^ 1) as Color, us, scratch, PINNED);
  let n = generatePieceMoves(pos, moves, start);
  if (ksq >= 0) n = generateKingMoves(pos, ksq, false, moves, n);
  return generateDrops(pos, moves, n);
}

/**
 * Writes the legal captures of the side to move (promotions and non-promotions both); when the
 * side to move is in check it writes every legal evasion instead. Returns the end index.
 */
export function generateCaptures(pos: Position, moves: Int32Array, start = 0): number {
  const us = pos.turn;
  const ksq = pos.kingSquare[us];
  const checkers = pos.ply * WORDS;
  const stack = pos.stackCheckers;
  if (ksq >= 0 && (stack[checkers] | stack[checkers + 1] | stack[checkers + 2]) !== 0) {
    return generateEvasions(pos, moves, start);
  }
  const enemy = (COLOR_SLOT + (us ^ 1)) * WORDS;
  for (let k = 0; k < WORDS; k++) scratch[TARGET + k] = pos.bb[enemy + k];
  pos.blockers(us, (us ^ 1) as Color, us, scratch, PINNED);
  const n = generatePieceMoves(pos, moves, start);
  return ksq >= 0 ? generateKingCaptures(pos, ksq, moves, n) : n;
}

function generateKingCaptures(pos: Position, ksq: number, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const piece = makePiece(us, KING);
  const step = (piece * SQUARE_NB + ksq) * WORDS;
  let n = start;
  for (let k = 0; k < WORDS; k++) {
    let targets = STEP_BB[step + k] & scratch[TARGET + k];
    while (targets !== 0) {
      const bit = targets & -targets;
      targets ^= bit;
      const to = k * 27 + 31 - Math.clz32(bit);
      if (!pos.isAttacked(to, (us ^ 1) as Color)) moves[n++] = to | (ksq << 7) | (piece << 16);
    }
  }
  return n;
}

/** Tells whether the side to move has any legal move (false means checkmate or no move at all). */
export function hasLegalMove(pos: Position): boolean {
  return generateLegal(pos, replyBuffer, 0) > 0;
}

/** Returns the legal moves as a plain array; for tests and cold code. */
export function legalMoves(pos: Position): Move[] {
  const buffer = new Int32Array(MAX_MOVES);
  return Array.from(buffer.subarray(0, generateLegal(pos, buffer, 0)));
}

function generateEvasions(pos: Position, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const ksq = pos.kingSquare[us];
  let n = generateKingMoves(pos, ksq, true, moves, start);
  const checkers = pos.ply * WORDS;
  const stack = pos.stackCheckers;
  let count = 0;
  for (let k = 0; k < WORDS; k++) {
    const w = stack[checkers + k];
    if (w !== 0) count += (w & (w - 1)) === 0 ? 1 : 2;
  }
  if (count > 1) return n;
  const checker = firstSquare(stack, checkers);
  const between = (ksq * SQUARE_NB + checker) * WORDS;
  for (let k = 0; k < WORDS; k++) {
    scratch[DROP_TARGET + k] = BETWEEN_BB[between + k];
    scratch[TARGET + k] = BETWEEN_BB[between + k];
  }
  scratch[TARGET + SQUARE_WORD[checker]] |= SQUARE_BIT[checker];
  pos.blockers(us, (us ^ 1) as Color, us, scratch, PINNED);
  n = generatePieceMoves(pos, moves, n);
  return generateDrops(pos, moves, n);
}

/** Moves of every piece but the king onto TARGET, keeping pinned pieces on their pin line. */
function generatePieceMoves(pos: Position, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const ksq = pos.kingSquare[us];
  const own = (COLOR_SLOT + us) * WORDS;
  let n = start;
  for (let k = 0; k < WORDS; k++) {
    let word = pos.bb[own + k];
    while (word !== 0) {
      const bit = word & -word;
      word ^= bit;
      const from = k * 27 + 31 - Math.clz32(bit);
      const piece = pos.board[from];
      if ((piece & 15) === KING) continue;
      pieceAttacks(piece, from, pos.lineOcc, scratch, ATTACKS);
      const pinned = (scratch[PINNED + k] & bit) !== 0;
      const line = (ksq * SQUARE_NB + from) * WORDS;
      for (let j = 0; j < WORDS; j++) {
        let targets = scratch[ATTACKS + j] & scratch[TARGET + j];
        if (pinned) targets &= LINE_BB[line + j];
        while (targets !== 0) {
          const toBit = targets & -targets;
          targets ^= toBit;
          n = pushBoardMove(moves, n, piece, from, j * 27 + 31 - Math.clz32(toBit), us);
        }
      }
    }
  }
  return n;
}

function pushBoardMove(moves: Int32Array, n: number, piece: number, from: number, to: number, us: Color): number {
  const type = piece & 15;
  const base = to | (from << 7) | (piece << 16);
  if (type > ROOK || type === GOLD) {
    moves[n] = base;
    return n + 1;
  }
  if (IN_ZONE[us * SQUARE_NB + from] | IN_ZONE[us * SQUARE_NB + to]) moves[n++] = base | MOVE_PROMOTE_FLAG;
  if (MUST_PROMOTE[(us * 16 + type) * SQUARE_NB + to] === 0) moves[n++] = base;
  return n;
}

function generateKingMoves(pos: Position, ksq: number, inCheck: boolean, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const them = (us ^ 1) as Color;
  const piece = makePiece(us, KING);
  const step = (piece * SQUARE_NB + ksq) * WORDS;
  const own = (COLOR_SLOT + us) * WORDS;
  let n = start;
  for (let k = 0; k < WORDS; k++) {
    let targets = STEP_BB[step + k] & ~pos.bb[own + k];
    while (targets !== 0) {
      const bit = targets & -targets;
      targets ^= bit;
      const to = k * 27 + 31 - Math.clz32(bit);
      const attacked = inCheck ? pos.isAttackedWithout(to, them, ksq) : pos.isAttacked(to, them);
      if (!attacked) moves[n++] = to | (ksq << 7) | (piece << 16);
    }
  }
  return n;
}

function generateDrops(pos: Position, moves: Int32Array, start: number): number {
  const us = pos.turn;
  let n = start;
  for (let type = PAWN; type <= GOLD; type++) {
    if (pos.hands[us * 8 + type] === 0) continue;
    const piece = makePiece(us, type);
    const base = (type << 7) | MOVE_DROP_FLAG | (piece << 16);
    for (let k = 0; k < WORDS; k++) {
      let targets = scratch[DROP_TARGET + k] & dropMask(pos, us, type, k);
      while (targets !== 0) {
        const bit = targets & -targets;
        targets ^= bit;
        const to = k * 27 + 31 - Math.clz32(bit);
        if (type === PAWN && isPawnDropMate(pos, to)) continue;
        moves[n++] = base | to;
      }
    }
  }
  return n;
}

/** Word k of the squares where a piece type may be dropped, ignoring occupancy. */
function dropMask(pos: Position, us: Color, type: number, k: number): number {
  if (type === PAWN) return NOT_LAST_RANK_BB[us * WORDS + k] & ~FILES_MASK_BB[pos.pawnFiles[us] * WORDS + k];
  if (type === LANCE) return NOT_LAST_RANK_BB[us * WORDS + k];
  if (type === KNIGHT) return NOT_LAST_TWO_RANKS_BB[us * WORDS + k];
  return 0x7ffffff;
}

/** Tells whether dropping a pawn on `to` would checkmate the opponent, which the rules forbid. */
function isPawnDropMate(pos: Position, to: number): boolean {
  const us = pos.turn;
  const enemyKing = pos.kingSquare[us ^ 1];
  if (enemyKing < 0) return false;
  const pawnStep = (makePiece(us, PAWN) * SQUARE_NB + to) * WORDS;
  if ((STEP_BB[pawnStep + SQUARE_WORD[enemyKing]] & SQUARE_BIT[enemyKing]) === 0) return false;
  const drop = to | (PAWN << 7) | MOVE_DROP_FLAG;
  savedScratch.set(scratch);
  pos.doMove(drop);
  const escapes = hasLegalMove(pos);
  pos.undoMove();
  scratch.set(savedScratch);
  return !escapes;
}
