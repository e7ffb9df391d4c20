import { describe, expect, it } from "vitest";
import { MaterialEvaluator } from "../../engine/evaluator.js";
import { usiScore } from "../../engine/score.js";
import { Searcher } from "../../engine/search.js";
import { TranspositionTable } from "../../engine/tt.js";
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { makeUsiMove } from "../../shogi/usi-move.js";

function searcher(): Searcher {
  return new Searcher(new TranspositionTable(16), new MaterialEvaluator());
}

describe("alpha-beta search", () => {
  it("finds a mate in one by a drop", () => {
    const pos = Position.fromSfen("4k4/9/4P4/9/9/9/9/9/4K4 b G 1");
    const result = searcher().search(pos, { depth: 4 });
    expect(makeUsiMove(result.bestMove)).toBe("G*5b");
    expect(usiScore(result.score)).toBe("mate 1");
  });

  it("finds a mate in three", () => {
    // A published three-ply tsume: silver drop, then the bishop's long check.
    const pos = Position.fromSfen("3sks3/9/4S4/9/9/8B/9/9/9 b S 1");
    const result = searcher().search(pos, { depth: 6 });
    expect(usiScore(result.score)).toBe("mate 3");
  });

  it("wins material when a rook hangs", () => {
    const pos = Position.fromSfen("4k4/9/9/9/4r4/9/9/4R4/4K4 b - 1");
    const result = searcher().search(pos, { depth: 3 });
    expect(makeUsiMove(result.bestMove)).toBe("5h5e");
  });

  it("returns a legal move within a node budget", () => {
    const pos = Position.fromSfen("l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1");
    const result = searcher().search(pos, { nodes: 2000 });
    expect(legalMoves(pos)).toContain(result.bestMove);
    expect(result.nodes).toBeLessThan(2100);
  });

  it("leaves the position unchanged", () => {
    const pos = Position.startpos();
    const before = pos.sfen();
    searcher().search(pos, { depth: 4 });
    expect(pos.sfen()).toBe(before);
  });

  it("reports no move when mated", () => {
    const pos = Position.fromSfen("4k4/4G4/4P4/9/9/9/9/9/4K4 w - 1");
    expect(searcher().search(pos, { depth: 3 }).bestMove).toBe(0);
  });

  it("honours MultiPV and searchmoves", () => {
    const pos = Position.startpos();
    const lines: number[] = [];
    const only = legalMoves(pos).filter((move) => makeUsiMove(move) === "2g2f");
    const result = searcher().search(pos, { depth: 3, multiPV: 3 }, (progress) => lines.push(progress.lines.length));
    expect(lines.at(-1)).toBe(3);
    expect(result.bestMove).not.toBe(0);
    expect(makeUsiMove(searcher().search(pos, { depth: 3, searchMoves: only }).bestMove)).toBe("2g2f");
  });
});

describe("draw by move limit", () => {
  it("scores a won position as a draw once the limit is reached", () => {
    // Black is a rook up; with the limit at the current ply every line is a draw.
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/R3K4 b - 50");
    expect(searcher().search(pos, { depth: 3 }).score).toBeGreaterThan(500);
    expect(Math.abs(searcher().search(pos, { depth: 3, drawAtPly: 50 }).score)).toBe(0);
  });
});
