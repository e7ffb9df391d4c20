import { describe, expect, it } from "vitest";
import { generateChecks, isFutileDrop, singleChecker } from "../../engine/mate-moves.js";
import { MAX_MOVES, legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { parseSquare } from "../../shogi/types.js";
import { seededRandom } from "../helpers/random.js";

/** Lists, as the naive reference, every legal move after which the opponent is in check. */
function checksByFiltering(pos: Position): string[] {
  return legalMoves(pos)
    .filter((move) => {
      pos.doMove(move);
      const check = pos.inCheck();
      pos.undoMove();
      return check;
    })
    .map(makeUsiMove)
    .sort();
}

function checksByGenerator(pos: Position): string[] {
  const buffer = new Int32Array(MAX_MOVES);
  const count = generateChecks(pos, buffer, 0);
  return Array.from(buffer.subarray(0, count), makeUsiMove).sort();
}

/** Start positions with many pieces in hand, discovered checks, pins and an attacker in check. */
const SEEDS = [
  "startpos",
  "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1",
  "k8/9/1K7/9/9/9/8B/8B/9 b 2r4g4s4n4l18p 1",
  "l1+L6/9/p1pL3Gp/2s+Bp1pp1/2Np3P1/P1P6/1PKP1SB1P/2Gg+nr3/L4k3 b RG2SN5Pn 179",
  "ln1r4l/3k1gp2/pS1p1+P1+R1/6L1p/1pPP2S2/2S3P2/PP2p1+b1P/3K5/+b7L w 2GSN3Pg2n2p 118",
  "4k4/9/4S4/9/4L4/9/4B4/9/4K4 b RGSNLPrbgsnlp 1",
  "9/9/4k4/9/4N4/9/4R4/4K4/9 b 2B2G2S2L2P 1",
  "4k4/4r4/9/9/4S4/9/9/4K4/9 b G 1",
];

describe("generateChecks", () => {
  it("matches filtered legal moves on fixed positions", () => {
    for (const sfen of SEEDS) {
      const pos = sfen === "startpos" ? Position.startpos() : Position.fromSfen(sfen);
      expect(checksByGenerator(pos), sfen).toEqual(checksByFiltering(pos));
    }
  });

  it("matches filtered legal moves along random games", () => {
    const random = seededRandom(20240611);
    let compared = 0;
    for (const sfen of SEEDS) {
      for (let game = 0; game < 6; game++) {
        const pos = sfen === "startpos" ? Position.startpos() : Position.fromSfen(sfen);
        for (let ply = 0; ply < 80; ply++) {
          expect(checksByGenerator(pos), pos.sfen()).toEqual(checksByFiltering(pos));
          compared++;
          const moves = legalMoves(pos);
          if (moves.length === 0) break;
          pos.doMove(moves[Math.floor(random() * moves.length)]);
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("leaves out a pawn drop that mates", () => {
    const pos = Position.fromSfen("7nk/9/7S1/9/9/9/9/9/9 b P 1");
    expect(checksByGenerator(pos)).not.toContain("P*1b");
    expect(checksByGenerator(pos)).toContain("2c2b");
  });

  it("returns nothing against a side without king", () => {
    const pos = Position.fromSfen("9/9/9/9/9/9/9/9/4K4 b R 1");
    expect(checksByGenerator(pos)).toEqual([]);
  });
});

describe("isFutileDrop", () => {
  it("marks a drop that the checking rook takes with mate", () => {
    // The rook on 1i checks the king on 1a along the file; the gold on 2c guards 1b and 2b.
    const pos = Position.fromSfen("7lk/9/7G1/9/9/9/9/9/8R w p 1");
    const checker = singleChecker(pos);
    expect(checker).toBe(parseSquare("1i"));
    expect(isFutileDrop(pos, checker, parseUsiMove(pos, "P*1e"))).toBe(true);
  });

  it("keeps a drop next to the king that the king may recapture", () => {
    // Without the gold the rook that takes on 1b is unprotected, so the king recaptures.
    const pos = Position.fromSfen("7nk/9/9/9/9/9/9/9/8R w p 1");
    const checker = singleChecker(pos);
    expect(isFutileDrop(pos, checker, parseUsiMove(pos, "P*1b"))).toBe(false);
  });

  it("never marks a board move", () => {
    const pos = Position.fromSfen("7nk/9/7G1/7g1/9/9/9/9/8R w p 1");
    const checker = singleChecker(pos);
    expect(isFutileDrop(pos, checker, parseUsiMove(pos, "2d1d"))).toBe(false);
  });
});
