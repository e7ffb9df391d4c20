import { describe, expect, it } from "vitest";
import { Position } from "../../shogi/position.js";
import { checkRepetition, countDeclaration, declarationResult, isTryWin } from "../../shogi/rules.js";
import { isCheckmateOrNoMoves } from "../../shogi/rules.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { BLACK, WHITE } from "../../shogi/types.js";

function play(pos: Position, moves: string[]): void {
  for (const text of moves) {
    const move = parseUsiMove(pos, text);
    if (move === 0) throw new Error(`illegal test move ${text} in ${pos.sfen()}`);
    pos.doMove(move);
  }
}

describe("sennichite", () => {
  it("draws on the fourth occurrence of a quiet cycle", () => {
    const pos = Position.startpos();
    const cycle = ["5i5h", "5a5b", "5h5i", "5b5a"];
    play(pos, [...cycle, ...cycle]);
    expect(checkRepetition(pos)).toEqual({ kind: "none", count: 3 });
    play(pos, cycle);
    expect(checkRepetition(pos)).toEqual({ kind: "draw", count: 4 });
    expect(checkRepetition(pos, 2).kind).toBe("draw");
  });

  it("makes perpetual check lose for the checking side", () => {
    // Black's rook checks from 5i and 4i in turn while White's king steps between 5a and 4a.
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/K4R3 b - 1");
    const cycle = ["4i5i", "5a4a", "5i4i", "4a5a"];
    play(pos, [...cycle, ...cycle, ...cycle]);
    expect(pos.turn).toBe(BLACK);
    expect(checkRepetition(pos)).toEqual({ kind: "loss", count: 4 });
    // One ply later the cycle seen from White, who was checked throughout, is a win.
    play(pos, ["4i5i"]);
    expect(checkRepetition(pos, 2).kind).toBe("win");
  });

  it("does not count positions with different hands as the same", () => {
    const pos = Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 b P 1");
    expect(checkRepetition(pos, 2).count).toBe(1);
  });
});

describe("entering-king declaration", () => {
  const DECLARE = "8G/4K4/+P+P+P+P+P+P+P+P+P/9/9/9/9/9/4k4 b 2R2B 1";

  it("counts pieces in the enemy camp and in hand", () => {
    expect(countDeclaration(Position.fromSfen(DECLARE), BLACK)).toEqual({ kingInZone: true, piecesInZone: 10, points: 30 });
  });

  it("applies the 27-point and 24-point thresholds", () => {
    expect(declarationResult(Position.fromSfen(DECLARE), "csa27")).toBe("win");
    expect(declarationResult(Position.fromSfen(DECLARE), "csa24")).toBe("draw");
    const fewer = "8G/4K4/+P+P+P+P+P+P+P+P+P/9/9/9/9/9/4k4 b 2RB 1";
    expect(declarationResult(Position.fromSfen(fewer), "csa27")).toBe("loss");
    expect(declarationResult(Position.fromSfen(fewer), "csa24")).toBe("draw");
    expect(declarationResult(Position.fromSfen(DECLARE), "none")).toBe("loss");
  });

  it("gives White the 27-point win at 27 points", () => {
    // White's mirror image with one pawn fewer in the camp: 9 pieces would fail, so add a gold.
    const white = "4K4/9/9/9/9/9/+p+p+p+p+p+p+p+p1/4k4/g7g w 2r2b 1";
    const count = countDeclaration(Position.fromSfen(white), WHITE);
    expect(count).toEqual({ kingInZone: true, piecesInZone: 10, points: 30 });
    expect(declarationResult(Position.fromSfen(white), "csa27")).toBe("win");
  });

  it("refuses a declaration with fewer than ten pieces in the camp", () => {
    const nine = "9/4K4/+P+P+P+P+P+P+P+P+P/9/9/9/9/9/4k4 b 2R2BG 1";
    expect(countDeclaration(Position.fromSfen(nine), BLACK).piecesInZone).toBe(9);
    expect(declarationResult(Position.fromSfen(nine), "csa27")).toBe("loss");
  });

  it("refuses a declaration while in check", () => {
    const inCheck = "4r3G/4K4/+P+P+P+P+P+P+P+P1/9/9/9/9/9/4k4 b R2BP 1";
    expect(Position.fromSfen(inCheck).inCheck()).toBe(true);
    expect(declarationResult(Position.fromSfen(inCheck), "csa27")).toBe("loss");
  });
});

describe("end of game", () => {
  it("recognises the try rule", () => {
    const pos = Position.fromSfen("9/4K4/9/9/9/9/9/9/k8 b - 1");
    play(pos, ["5b5a"]);
    expect(isTryWin(pos)).toBe(true);
  });

  it("detects checkmate", () => {
    // Black's gold on 5b, backed by a pawn on 5c, mates the king on 5a.
    const pos = Position.fromSfen("4k4/4G4/4P4/9/9/9/9/9/4K4 w - 1");
    expect(pos.inCheck()).toBe(true);
    expect(isCheckmateOrNoMoves(pos)).toBe(true);
  });
});
