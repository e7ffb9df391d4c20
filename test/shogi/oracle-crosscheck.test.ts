import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { legalMoves } from "../../shogi/movegen.js";
import { oracleLegalMoves, oraclePosition } from "../../shogi/oracle.js";
import { Position } from "../../shogi/position.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { hasSharedData, sharedPath } from "../helpers/shared-data.js";
import { seededRandom } from "../helpers/random.js";
import { makeSfen as makeOracleSfen } from "shogiops/sfen";

const RANDOM_POSITIONS = 10_000;
const MAX_GAME_PLIES = 300;

/** Compares our legal moves, check flag and SFEN with shogiops on one position. */
function compareWithOracle(pos: Position): void {
  const sfen = pos.sfen();
  const oracle = oraclePosition(sfen);
  const ours = legalMoves(pos).map(makeUsiMove).sort();
  const theirs = oracleLegalMoves(oracle).sort();
  expect(ours, sfen).toEqual(theirs);
  expect(pos.inCheck(), `check flag of ${sfen}`).toBe(oracle.isCheck());
  expect(makeOracleSfen(oracle), "SFEN text").toBe(sfen);
}

describe("move generation against shogiops", () => {
  it(`agrees on ${RANDOM_POSITIONS} positions of random play`, () => {
    const random = seededRandom(20261204);
    let positions = 0;
    while (positions < RANDOM_POSITIONS) {
      const pos = Position.startpos();
      for (let ply = 0; ply < MAX_GAME_PLIES && positions < RANDOM_POSITIONS; ply++) {
        compareWithOracle(pos);
        positions++;
        const moves = legalMoves(pos);
        if (moves.length === 0) break;
        pos.doMove(moves[Math.floor(random() * moves.length)]);
      }
    }
    expect(positions).toBe(RANDOM_POSITIONS);
  });

  it("keeps the position intact across do/undo", () => {
    const random = seededRandom(7);
    const pos = Position.startpos();
    const history: string[] = [];
    for (let ply = 0; ply < 200; ply++) {
      const moves = legalMoves(pos);
      if (moves.length === 0) break;
      history.push(pos.sfen());
      pos.doMove(moves[Math.floor(random() * moves.length)]);
    }
    const keyAtEnd = [pos.keyLo, pos.keyHi];
    expect(Position.fromSfen(pos.sfen()).keyLo, "key from scratch equals incremental key").toBe(keyAtEnd[0]);
    expect(Position.fromSfen(pos.sfen()).keyHi).toBe(keyAtEnd[1]);
    while (history.length > 0) {
      pos.undoMove();
      expect(pos.sfen()).toBe(history.pop());
    }
  });
});

describe.skipIf(!hasSharedData)("lishogi production games", () => {
  it("replay as legal, agreeing with shogiops on every fifth position", () => {
    const lines = readFileSync(sharedPath("WandererXII__shogiops/extracted/lishogi_prod_usi_games.txt"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(lines.length).toBe(500);
    let plies = 0;
    for (const line of lines) {
      const pos = Position.startpos();
      for (const usi of line.trim().split(/\s+/)) {
        if (plies++ % 5 === 0) compareWithOracle(pos);
        const move = parseUsiMove(pos, usi);
        expect(move, `${usi} in ${pos.sfen()}`).not.toBe(0);
        pos.doMove(move);
      }
    }
    expect(plies).toBeGreaterThan(30_000);
  });
});
