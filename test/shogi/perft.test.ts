import { describe, expect, it } from "vitest";
import { perft } from "../../shogi/perft.js";
import { hasSharedData, readTsv } from "../helpers/shared-data.js";

const START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";
const MATSURI = "l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1";
const MAX_MOVES = "R8/2K1S1SSk/4B4/9/9/9/9/9/1L1L1L3 b RBGSNLP3g3n17p 1";
const DEEP = process.env.PERFT_DEEP === "1";

// Published counts; each row names where the number is asserted or tabulated.
const TABLE: Array<{ sfen: string; depth: number; nodes: number; source: string; deep?: boolean }> = [
  { sfen: START, depth: 1, nodes: 30, source: "YaneuraOu UnitTest, shogiops, python-shogi" },
  { sfen: START, depth: 2, nodes: 900, source: "YaneuraOu UnitTest, shogiops" },
  { sfen: START, depth: 3, nodes: 25470, source: "YaneuraOu UnitTest, shogiops" },
  { sfen: START, depth: 4, nodes: 719731, source: "YaneuraOu UnitTest, shogiops" },
  { sfen: START, depth: 5, nodes: 19861490, source: "YaneuraOu UnitTest, ShogiLibSharp" },
  { sfen: START, depth: 6, nodes: 547581517, source: "YaneuraOu UnitTest", deep: true },
  { sfen: MATSURI, depth: 1, nodes: 207, source: "YaneuraOu UnitTest" },
  { sfen: MATSURI, depth: 2, nodes: 28684, source: "YaneuraOu UnitTest" },
  { sfen: MATSURI, depth: 3, nodes: 4809015, source: "YaneuraOu UnitTest" },
  { sfen: MATSURI, depth: 4, nodes: 516925165, source: "YaneuraOu UnitTest, ShogiLibSharp", deep: true },
  { sfen: MAX_MOVES, depth: 1, nodes: 593, source: "python-shogi, yasai" },
  { sfen: MAX_MOVES, depth: 3, nodes: 53393368, source: "yasai bench, ShogiLibSharp" },
  { sfen: "+R+N+SGKG+S+N+R/+B+N+SG+LG+S+N+B/P+LPP+LPP+LP/1P2P2P1/9/9/9/9/4k4 b 9P 200", depth: 1, nodes: 0, source: "python-shogi (no legal move)" },
  { sfen: "4k4/9/9/9/9/9/9/9/9 b 16P 1", depth: 1, nodes: 72, source: "python-shogi (drops only, no black king)" },
  { sfen: "4k4/9/9/9/9/9/9/9/9 b 16P 1", depth: 2, nodes: 355, source: "python-shogi" },
  { sfen: "r7k/6K2/7SP/4s2bb/9/9/9/9/9 b r4g2s4n4l17p 1", depth: 1, nodes: 4, source: "python-shogi (evasions)" },
  { sfen: "l7l/5bS2/p1np5/6Sk1/4p2B1/PSpPPn1G1/1P1G2g1N/2+l6/L1KN1+r3 b R3Pgs7p 1", depth: 1, nodes: 1, source: "python-shogi (single move)" },
  { sfen: "4k4/4g4/9/4L4/9/9/9/4K4/9 w - 1", depth: 1, nodes: 5, source: "shogiops (pinned gold, lance)" },
  { sfen: "4k4/4g4/9/4R4/9/9/9/4K4/9 w - 1", depth: 1, nodes: 5, source: "shogiops (pinned gold, rook)" },
];

describe("perft table", () => {
  for (const row of TABLE) {
    it.skipIf(row.deep && !DEEP)(`${row.sfen} depth ${row.depth} (${row.source})`, () => {
      expect(perft(row.sfen, row.depth)).toBe(row.nodes);
    });
  }
});

describe.skipIf(!hasSharedData)("perft fixtures from shared data", () => {
  it("talkchess gentest positions at depths 1 and 2", () => {
    const rows = readTsv("WandererXII__shogiops/extracted/perft_gentest_d1_d2.tsv");
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      const [name, sfen, d1, d2] = row;
      expect(perft(sfen, 1), `${name} depth 1`).toBe(Number(d1));
      expect(perft(sfen, 2), `${name} depth 2`).toBe(Number(d2));
    }
  });

  it("shogiops random positions at depth 1", () => {
    const rows = readTsv("WandererXII__shogiops/extracted/perft_random_depth1.tsv");
    expect(rows.length).toBe(292);
    for (const [sfen, depth, nodes] of rows) {
      expect(perft(sfen, Number(depth)), sfen).toBe(Number(nodes));
    }
  });
});
