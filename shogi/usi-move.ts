// USI move text ("7g7f", "8h2b+", "P*5e"): parse against a position, and make from a move.

import { MAX_MOVES, generateLegal } from "./movegen.js";
import type { Position } from "./position.js";
import {
  type Move, MOVE_NONE, droppedType, isDrop, isPromotion, move16, moveFrom, moveTo, parseSquare,
  squareName,
} from "./types.js";

const DROP_LETTERS = " PLNSBRG";

/** Makes the USI text of a move. */
export function makeUsiMove(move: Move): string {
  const to = squareName(moveTo(move));
  if (isDrop(move)) return `${DROP_LETTERS[droppedType(move)]}*${to}`;
  return `${squareName(moveFrom(move))}${to}${isPromotion(move) ? "+" : ""}`;
}

/**
 * Parses USI move text into a move without checking it against a position; returns MOVE_NONE
 * when the text is not a well-formed USI move. The moving piece is not filled in.
 */
export function parseUsiMoveText(text: string): Move {
  const drop = /^([PLNSBRG])\*([1-9][a-i])$/.exec(text);
  if (drop) return moveTo(parseSquare(drop[2])) | (DROP_LETTERS.indexOf(drop[1]) << 7) | (1 << 14);
  const normal = /^([1-9][a-i])([1-9][a-i])(\+?)$/.exec(text);
  if (!normal) return MOVE_NONE;
  const from = parseSquare(normal[1]);
  const to = parseSquare(normal[2]);
  if (from === to) return MOVE_NONE;
  return to | (from << 7) | (normal[3] === "+" ? 1 << 15 : 0);
}

/** Parses USI move text and returns the matching legal move of the position, or MOVE_NONE. */
export function parseUsiMove(pos: Position, text: string): Move {
  const wanted = parseUsiMoveText(text);
  if (wanted === MOVE_NONE) return MOVE_NONE;
  const moves = new Int32Array(MAX_MOVES);
  const count = generateLegal(pos, moves, 0);
  for (let i = 0; i < count; i++) if (move16(moves[i]) === wanted) return moves[i];
  return MOVE_NONE;
}
