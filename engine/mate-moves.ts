// Move generation for mate search: the attacker's checking moves, and the test that classifies a
// defender's drop as a futile interposition.
//
// Checks are generated directly instead of filtering every legal move. A piece of type T on
// square s attacks the enemy king on k exactly when an enemy piece of type T on k attacks s.
// These "check squares" are computed once per node for each piece type. Pieces that alone block
// one of our sliders from the enemy king also give check by leaving that line.

import { LINE_BB, SQUARE_BIT, SQUARE_WORD, WORDS, isEmptyBB } from "../shogi/bitboard.js";
import { pieceAttacks } from "../shogi/attacks.js";
import { MAX_MOVES, generateLegal, hasLegalMove } from "../shogi/movegen.js";
import { COLOR_SLOT, OCCUPIED_SLOT, type Position } from "../shogi/position.js";
import {
  DRAGON, GOLD, KING, KNIGHT, LANCE, MOVE_DROP_FLAG, MOVE_PROMOTE_FLAG, PAWN, PROMOTED, ROOK, SQUARE_NB,
  type Color, type Move, inPromotionZone, isDrop, makeNormalMove, makePiece, moveFrom, moveTo, rankOf,
  relativeRank,
} from "../shogi/types.js";

/** Check squares for each piece type (PAWN..DRAGON), 3 words each, indexed by type * 3. */
const checkSquares = new Int32Array((DRAGON + 1) * WORDS);
/** Our pieces whose move off their line to the enemy king gives a discovered check. */
const discoverers = new Int32Array(WORDS);
/** Our pieces pinned to our own king. */
const pinned = new Int32Array(WORDS);
const attacks = new Int32Array(WORDS);
/** Buffer for the fallback path and the futility test, kept apart from any caller's buffer. */
const legalBuffer = new Int32Array(MAX_MOVES);

/**
 * Writes every legal move of the side to move that gives check into moves from index start and
 * returns the end index. Pawn drops that would checkmate (uchifuzume) are left out, as the rules
 * forbid them. Returns start when the opponent has no king.
 */
export function generateChecks(pos: Position, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const them = (us ^ 1) as Color;
  const enemyKing = pos.kingSquare[them];
  if (enemyKing < 0) return start;
  if (pos.inCheck()) return filterLegalChecks(pos, moves, start);

  for (let type = PAWN; type <= DRAGON; type++) {
    if (type !== KING) pieceAttacks(makePiece(them, type), enemyKing, pos.lineOcc, checkSquares, type * WORDS);
  }
  pos.blockers(them, us, us, discoverers, 0);
  pos.blockers(us, them, us, pinned, 0);
  let n = generateBoardChecks(pos, enemyKing, moves, start);
  n = generateKingDiscoveries(pos, enemyKing, moves, n);
  return generateDropChecks(pos, enemyKing, moves, n);
}

/** Slow path for a side in check: every legal evasion that also gives check. */
function filterLegalChecks(pos: Position, moves: Int32Array, start: number): number {
  const count = generateLegal(pos, legalBuffer, 0);
  let n = start;
  for (let i = 0; i < count; i++) {
    const move = legalBuffer[i];
    pos.doMove(move);
    if (pos.inCheck()) moves[n++] = move;
    pos.undoMove();
  }
  return n;
}

function generateBoardChecks(pos: Position, enemyKing: number, moves: Int32Array, start: number): number {
  const us = pos.turn;
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
      n = generatePieceChecks(pos, enemyKing, piece, from, (discoverers[k] & bit) !== 0, (pinned[k] & bit) !== 0, moves, n);
    }
  }
  return n;
}

function generatePieceChecks(
  pos: Position, enemyKing: number, piece: number, from: number, discovers: boolean, isPinned: boolean,
  moves: Int32Array, start: number,
): number {
  const us = pos.turn;
  const type = piece & 15;
  const promotable = type <= ROOK && type !== GOLD;
  const own = (COLOR_SLOT + us) * WORDS;
  const ownKing = pos.kingSquare[us];
  pieceAttacks(piece, from, pos.lineOcc, attacks, 0);
  let n = start;
  for (let k = 0; k < WORDS; k++) {
    let targets = attacks[k] & ~pos.bb[own + k];
    if (isPinned) targets &= LINE_BB[(ownKing * SQUARE_NB + from) * WORDS + k];
    if (!discovers) {
      let checking = checkSquares[type * WORDS + k];
      if (promotable) checking |= checkSquares[(type + PROMOTED) * WORDS + k];
      targets &= checking;
    }
    while (targets !== 0) {
      const toBit = targets & -targets;
      targets ^= toBit;
      const to = k * 27 + 31 - Math.clz32(toBit);
      const discovered = discovers && (LINE_BB[(enemyKing * SQUARE_NB + from) * WORDS + k] & toBit) === 0;
      n = pushBoardCheck(moves, n, us, piece, from, to, k, toBit, discovered);
    }
  }
  return n;
}

/** Pushes the promoting and the plain form of a board move, each when legal and giving check. */
function pushBoardCheck(
  moves: Int32Array, n: number, us: Color, piece: number, from: number, to: number, word: number, toBit: number,
  discovered: boolean,
): number {
  const type = piece & 15;
  const base = makeNormalMove(from, to, false, piece);
  const promotable = type <= ROOK && type !== GOLD;
  if (promotable && (inPromotionZone(us, rankOf(from)) || inPromotionZone(us, rankOf(to)))) {
    if (discovered || (checkSquares[(type + PROMOTED) * WORDS + word] & toBit) !== 0) moves[n++] = base | MOVE_PROMOTE_FLAG;
  }
  if (!mustPromote(us, type, to) && (discovered || (checkSquares[type * WORDS + word] & toBit) !== 0)) moves[n++] = base;
  return n;
}

/** Tells whether a piece of this type arriving on `to` has to promote (no move left otherwise). */
function mustPromote(us: Color, type: number, to: number): boolean {
  const rank = relativeRank(us, rankOf(to));
  if (type === PAWN || type === LANCE) return rank === 0;
  return type === KNIGHT && rank <= 1;
}

/** King moves that uncover a check from one of our sliders. */
function generateKingDiscoveries(pos: Position, enemyKing: number, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const them = (us ^ 1) as Color;
  const from = pos.kingSquare[us];
  if (from < 0 || (discoverers[SQUARE_WORD[from]] & SQUARE_BIT[from]) === 0) return start;
  const piece = makePiece(us, KING);
  const own = (COLOR_SLOT + us) * WORDS;
  const line = (enemyKing * SQUARE_NB + from) * WORDS;
  pieceAttacks(piece, from, pos.lineOcc, attacks, 0);
  let n = start;
  for (let k = 0; k < WORDS; k++) {
    let targets = attacks[k] & ~pos.bb[own + k] & ~LINE_BB[line + k];
    while (targets !== 0) {
      const bit = targets & -targets;
      targets ^= bit;
      const to = k * 27 + 31 - Math.clz32(bit);
      if (!pos.isAttacked(to, them)) moves[n++] = makeNormalMove(from, to, false, piece);
    }
  }
  return n;
}

function generateDropChecks(pos: Position, enemyKing: number, moves: Int32Array, start: number): number {
  const us = pos.turn;
  const occ = OCCUPIED_SLOT * WORDS;
  let n = start;
  for (let type = PAWN; type <= GOLD; type++) {
    if (pos.hands[us * 8 + type] === 0) continue;
    const base = (type << 7) | MOVE_DROP_FLAG | (makePiece(us, type) << 16);
    for (let k = 0; k < WORDS; k++) {
      let targets = checkSquares[type * WORDS + k] & ~pos.bb[occ + k];
      while (targets !== 0) {
        const bit = targets & -targets;
        targets ^= bit;
        const to = k * 27 + 31 - Math.clz32(bit);
        if (isDropAllowed(pos, us, type, to)) moves[n++] = base | to;
      }
    }
  }
  return n;
}

/** Dead ranks, nifu and the pawn-drop-mate rule for a drop that gives check. */
function isDropAllowed(pos: Position, us: Color, type: number, to: number): boolean {
  const rank = relativeRank(us, rankOf(to));
  if ((type === PAWN || type === LANCE) && rank === 0) return false;
  if (type === KNIGHT && rank <= 1) return false;
  if (type !== PAWN) return true;
  if ((pos.pawnFiles[us] >> ((to / 9) | 0)) & 1) return false;
  return !dropMates(pos, (PAWN << 7) | MOVE_DROP_FLAG | to);
}

function dropMates(pos: Position, drop: Move): boolean {
  pos.doMove(drop);
  const mated = !hasLegalMove(pos);
  pos.undoMove();
  return mated;
}

/**
 * Tells whether a defender's drop is a futile interposition (無駄合): the checking slider takes
 * the dropped piece, with or without promotion, and the defender is then left with drops as the
 * only evasions. `checker` is the square of the only checking piece, and `drop` must be a legal
 * evasion of the side to move. Moves of board pieces onto the line never count as futile.
 */
export function isFutileDrop(pos: Position, checker: number, drop: Move): boolean {
  if (!isDrop(drop)) return false;
  const attacker = (pos.turn ^ 1) as Color;
  const piece = pos.board[checker];
  const to = moveTo(drop);
  const type = piece & 15;
  pos.doMove(drop);
  let futile = captureLeavesOnlyDrops(pos, attacker, makeNormalMove(checker, to, false, piece));
  const promotable = type <= ROOK && type !== GOLD;
  if (!futile && promotable && (inPromotionZone(attacker, rankOf(checker)) || inPromotionZone(attacker, rankOf(to)))) {
    futile = captureLeavesOnlyDrops(pos, attacker, makeNormalMove(checker, to, true, piece));
  }
  pos.undoMove();
  return futile;
}

function captureLeavesOnlyDrops(pos: Position, attacker: Color, capture: Move): boolean {
  if (mustPromote(attacker, pos.board[moveFrom(capture)] & 15, moveTo(capture)) && (capture & MOVE_PROMOTE_FLAG) === 0) {
    return false;
  }
  pos.doMove(capture);
  const ownKing = pos.kingSquare[attacker];
  let result = false;
  if (ownKing < 0 || !pos.isAttacked(ownKing, pos.turn)) {
    const count = generateLegal(pos, legalBuffer, 0);
    result = true;
    for (let i = 0; i < count && result; i++) result = isDrop(legalBuffer[i]);
  }
  pos.undoMove();
  return result;
}

/** Returns the square of the only piece giving check, or -1 when there are none or several. */
export function singleChecker(pos: Position): number {
  const offset = pos.ply * WORDS;
  const checkers = pos.stackCheckers;
  if (isEmptyBB(checkers, offset)) return -1;
  let square = -1;
  for (let k = 0; k < WORDS; k++) {
    const word = checkers[offset + k];
    if (word === 0) continue;
    if ((word & (word - 1)) !== 0 || square >= 0) return -1;
    square = k * 27 + 31 - Math.clz32(word);
  }
  return square;
}
