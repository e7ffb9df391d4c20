// The independent rules oracle: shogiops (lishogi's rules library). The fast generator is checked
// against it in tests, and the arena checks every move of an external engine with it.

import { parseSfen as parseOracleSfen } from "shogiops/sfen";
import { makeUsi, parsePieceName, parseUsi } from "shogiops/util";
import { pieceCanPromote, pieceForcePromote } from "shogiops/variant/util";
import type { Shogi } from "shogiops/variant/shogi";

/** Builds a shogiops position from SFEN; throws with shogiops' reason when it rejects the text. */
export function oraclePosition(sfen: string): Shogi {
  const result = parseOracleSfen("standard", sfen, false);
  if (result.isErr) throw new Error(`shogiops rejected SFEN "${sfen}": ${result.error.message}`);
  return result.value;
}

/** Lists every legal move of a shogiops position as USI text, promotions and non-promotions both. */
export function oracleLegalMoves(pos: Shogi): string[] {
  const moves: string[] = [];
  const canPromote = pieceCanPromote("standard");
  const mustPromote = pieceForcePromote("standard");
  for (const [from, dests] of pos.allMoveDests()) {
    const piece = pos.board.get(from);
    if (piece === undefined) continue;
    for (const to of dests) {
      const promotable = canPromote(piece, from, to, pos.board.get(to));
      if (promotable) moves.push(makeUsi({ from, to, promotion: true }));
      if (!promotable || !mustPromote(piece, to)) moves.push(makeUsi({ from, to, promotion: false }));
    }
  }
  for (const [pieceName, dests] of pos.allDropDests()) {
    const role = parsePieceName(pieceName).role;
    for (const to of dests) moves.push(makeUsi({ role, to }));
  }
  return moves;
}

/** Tells whether a USI move is legal in the shogiops position. */
export function oracleIsLegal(pos: Shogi, usi: string): boolean {
  const move = parseUsi(usi);
  return move !== undefined && pos.isLegal(move);
}
