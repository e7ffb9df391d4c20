// Position sources for the network tests: seeded random play and the lishogi production games.
import { readFileSync } from "node:fs";
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import type { Move } from "../../shogi/types.js";
import { hasSharedData, sharedPath } from "../helpers/shared-data.js";
import { seededRandom } from "../helpers/random.js";

export const LISHOGI_GAMES = "WandererXII__shogiops/extracted/lishogi_prod_usi_games.txt";
export const hasLishogiGames = hasSharedData;

/** A game as a start position and its moves (each legal in turn). */
export interface Game {
  moves: Move[];
}

/** Seeded random games from the start position, each ending at maxPlies or when no move is left. */
export function randomGames(seed: number, count: number, maxPlies: number): Game[] {
  const random = seededRandom(seed);
  const games: Game[] = [];
  for (let g = 0; g < count; g++) {
    const pos = Position.startpos();
    const moves: Move[] = [];
    for (let ply = 0; ply < maxPlies; ply++) {
      const legal = legalMoves(pos);
      if (legal.length === 0) break;
      const move = legal[Math.floor(random() * legal.length)];
      moves.push(move);
      pos.doMove(move);
    }
    games.push({ moves });
  }
  return games;
}

/** Reads the first `count` lishogi production games and resolves each move against its position. */
export function lishogiGames(count: number): Game[] {
  const lines = readFileSync(sharedPath(LISHOGI_GAMES), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .slice(0, count);
  return lines.map((line) => {
    const pos = Position.startpos();
    const moves = line.trim().split(/\s+/).map((usi) => {
      const move = parseUsiMove(pos, usi);
      if (move === 0) throw new Error(`illegal move ${usi} in ${pos.sfen()}`);
      pos.doMove(move);
      return move;
    });
    return { moves };
  });
}

/** Relative difference with a floor of 1 centipawn, so scores near zero compare absolutely. */
export function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}
