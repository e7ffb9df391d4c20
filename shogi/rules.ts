// Game-level rules on top of a position: repetition (sennichite) with perpetual check, the
// entering-king declaration, the try rule and the end of a game by lack of moves.

import { WORDS } from "./bitboard.js";
import { hasLegalMove } from "./movegen.js";
import type { Position } from "./position.js";
import {
  BISHOP, BLACK, DRAGON, GOLD, HORSE, KING, PAWN, ROOK, SQUARE_NB, type Color, inPromotionZone,
  makeSquare, pieceColor, pieceType,
} from "./types.js";

/**
 * Outcome of a repetition, from the side to move's point of view:
 * "draw" for plain sennichite, "win" when the opponent gave check with every move of the cycle
 * (perpetual check loses), "loss" when the side to move did.
 */
export type RepetitionKind = "none" | "draw" | "win" | "loss";

export interface RepetitionResult {
  kind: RepetitionKind;
  /** Times the current position has occurred, this occurrence included. */
  count: number;
}

/** Occurrences that end a game by sennichite under the rules of play. */
export const SENNICHITE_COUNT = 4;

/**
 * Checks whether the current position has occurred `occurrences` times (this one included) in the
 * history since the root, looking back at most `maxPlies` plies, and classifies the repetition.
 * Search uses occurrences = 2; adjudication uses SENNICHITE_COUNT.
 */
export function checkRepetition(pos: Position, occurrences = SENNICHITE_COUNT, maxPlies = Infinity): RepetitionResult {
  const now = pos.ply;
  const oldest = Math.max(0, now - maxPlies);
  let count = 1;
  let first = now;
  for (let i = now - 4; i >= oldest; i -= 2) {
    if (pos.stackKeyLo[i] !== pos.keyLo || pos.stackKeyHi[i] !== pos.keyHi) continue;
    count++;
    first = i;
    if (count >= occurrences) break;
  }
  if (count < occurrences) return { kind: "none", count };
  return { kind: classifyCycle(pos, first, now), count };
}

/** Classifies the cycle from ply `first` to ply `now` by which side, if any, checked throughout. */
function classifyCycle(pos: Position, first: number, now: number): RepetitionKind {
  let opponentAlwaysChecked = true;
  let moverAlwaysChecked = true;
  for (let i = first + 1; i <= now; i++) {
    const checked = (pos.stackCheckers[i * WORDS] | pos.stackCheckers[i * WORDS + 1] | pos.stackCheckers[i * WORDS + 2]) !== 0;
    // The move that led to ply i was made by the opponent of whoever is to move at ply i; plies of
    // the same parity as `now` were reached by the opponent's moves.
    if ((now - i) % 2 === 0) opponentAlwaysChecked &&= checked;
    else moverAlwaysChecked &&= checked;
  }
  if (opponentAlwaysChecked) return "win";
  if (moverAlwaysChecked) return "loss";
  return "draw";
}

/**
 * Entering-king rules: "csa27" is the CSA 27-point rule (28 points for Black, 27 for White),
 * "csa24" the 24-point rule (31 points win, 24 to 30 draw), "try" the try rule, "none" disables
 * declaration.
 */
export type EnteringKingRule = "none" | "csa27" | "csa24" | "try";
export const ENTERING_KING_RULES: readonly EnteringKingRule[] = ["none", "csa27", "csa24", "try"];

/** Pieces besides the king that must stand in the enemy camp for a declaration. */
const DECLARATION_MIN_PIECES = 10;
const BIG_PIECE_POINTS = 5;

export interface DeclarationCount {
  kingInZone: boolean;
  /** Pieces besides the king in the enemy camp. */
  piecesInZone: number;
  /** Points of pieces in the enemy camp and in hand: rook and bishop 5, others 1, king 0. */
  points: number;
}

export function countDeclaration(pos: Position, color: Color): DeclarationCount {
  const count: DeclarationCount = { kingInZone: false, piecesInZone: 0, points: 0 };
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = pos.board[sq];
    if (piece === 0 || pieceColor(piece) !== color || !inPromotionZone(color, sq % 9)) continue;
    const type = pieceType(piece);
    if (type === KING) {
      count.kingInZone = true;
      continue;
    }
    count.piecesInZone++;
    count.points += isBigPiece(type) ? BIG_PIECE_POINTS : 1;
  }
  for (let type = PAWN; type <= GOLD; type++) {
    count.points += pos.hands[color * 8 + type] * (isBigPiece(type) ? BIG_PIECE_POINTS : 1);
  }
  return count;
}

function isBigPiece(type: number): boolean {
  return type === BISHOP || type === ROOK || type === HORSE || type === DRAGON;
}

/**
 * Result of a declaration by the side to move under a rule: "win", "draw" (24-point rule, 24 to
 * 30 points), or "loss" when a condition fails. Remaining time is the caller's to check.
 */
export function declarationResult(pos: Position, rule: EnteringKingRule): "win" | "draw" | "loss" {
  if (rule === "none" || rule === "try") return "loss";
  const us = pos.turn;
  const count = countDeclaration(pos, us);
  if (!count.kingInZone || count.piecesInZone < DECLARATION_MIN_PIECES || pos.inCheck()) return "loss";
  if (rule === "csa27") return count.points >= (us === BLACK ? 28 : 27) ? "win" : "loss";
  if (count.points >= 31) return "win";
  return count.points >= 24 ? "draw" : "loss";
}

/** Tells whether the side to move may declare a win (USI `bestmove win`) under a rule. */
export function canDeclareWin(pos: Position, rule: EnteringKingRule): boolean {
  return declarationResult(pos, rule) === "win";
}

/** The square a king must reach to win by the try rule: the opponent king's starting square. */
export function trySquare(color: Color): number {
  return color === BLACK ? makeSquare(4, 0) : makeSquare(4, 8);
}

/** Tells whether the side that just moved won by the try rule (its king reached the try square). */
export function isTryWin(pos: Position): boolean {
  const mover = (pos.turn ^ 1) as Color;
  const square = trySquare(mover);
  return pos.kingSquare[mover] === square;
}

/** Tells whether the side to move has no legal move: checkmated, or (rarely) with no move at all. */
export function isCheckmateOrNoMoves(pos: Position): boolean {
  return !hasLegalMove(pos);
}
