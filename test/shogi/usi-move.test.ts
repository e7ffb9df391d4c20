import { describe, expect, it } from "vitest";
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { makeUsiMove, parseUsiMove, parseUsiMoveText } from "../../shogi/usi-move.js";
import { BLACK, GOLD, PAWN, droppedType, isDrop, isPromotion, makePiece, moveFrom, moveTo, movedPiece, parseSquare } from "../../shogi/types.js";

describe("USI moves", () => {
  it("parses a board move with its moving piece", () => {
    const move = parseUsiMove(Position.startpos(), "7g7f");
    expect(moveFrom(move)).toBe(parseSquare("7g"));
    expect(moveTo(move)).toBe(parseSquare("7f"));
    expect(movedPiece(move)).toBe(makePiece(BLACK, PAWN));
    expect(isPromotion(move)).toBe(false);
  });

  it("parses drops and promotions", () => {
    const pos = Position.fromSfen("4k4/9/4P4/9/9/9/9/9/4K4 b G 1");
    const drop = parseUsiMove(pos, "G*5b");
    expect(isDrop(drop)).toBe(true);
    expect(droppedType(drop)).toBe(GOLD);
    const promote = parseUsiMove(pos, "5c5b+");
    expect(isPromotion(promote)).toBe(true);
    expect(makeUsiMove(promote)).toBe("5c5b+");
  });

  it("rejects malformed and illegal text", () => {
    const pos = Position.startpos();
    for (const text of ["", "7g7", "7g7f++", "0a1a", "7g7g", "P*", "K*5e", "7g7e", "P*5e", "7g7f+"]) {
      expect(parseUsiMove(pos, text), text).toBe(0);
    }
    expect(parseUsiMoveText("7g7e")).not.toBe(0);
  });

  it("round-trips every legal move of a rich position", () => {
    const pos = Position.fromSfen("l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1");
    const moves = legalMoves(pos);
    expect(moves.length).toBe(207);
    for (const move of moves) expect(parseUsiMove(pos, makeUsiMove(move))).toBe(move);
  });
});
