import { describe, expect, it } from "vitest";
import { Position } from "../../shogi/position.js";
import { START_SFEN, SfenError, makeSfen, parseSfen } from "../../shogi/sfen.js";
import { BLACK, KING, PAWN, WHITE, makePiece, parseSquare } from "../../shogi/types.js";

function sfenErrorCode(text: string): string {
  try {
    Position.fromSfen(text);
  } catch (error) {
    if (error instanceof SfenError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("SFEN parse and make", () => {
  it("reads the start position", () => {
    const setup = parseSfen(START_SFEN);
    expect(setup.board[parseSquare("5i")]).toBe(makePiece(BLACK, KING));
    expect(setup.board[parseSquare("5a")]).toBe(makePiece(WHITE, KING));
    expect(setup.board[parseSquare("7g")]).toBe(makePiece(BLACK, PAWN));
    expect(setup.turn).toBe(BLACK);
    expect(setup.moveNumber).toBe(1);
    expect(makeSfen(setup)).toBe(START_SFEN);
  });

  it("accepts the word startpos", () => {
    expect(Position.fromSfen("startpos").sfen()).toBe(START_SFEN);
  });

  it("writes hands in canonical order whatever the input order", () => {
    const pos = Position.fromSfen("l2kg2+R1/4n3+L/p1gpps3/4np3/6P1N/PP+rP2pS1/1pG2P3/4P1G2/LN3KB1+p b SPbslpppp");
    expect(pos.sfen()).toBe("l2kg2+R1/4n3+L/p1gpps3/4np3/6P1N/PP+rP2pS1/1pG2P3/4P1G2/LN3KB1+p b SPbsl4p 1");
  });

  it("keeps counts of ten or more and the move number", () => {
    const text = "4k4/9/9/9/9/9/9/9/9 b 16P 123";
    expect(Position.fromSfen(text).sfen()).toBe(text);
  });

  it("reads handicap positions", () => {
    // Two-piece handicap: White (the stronger side) has no rook or bishop and moves first.
    const text = "lnsgkgsnl/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1";
    const pos = Position.fromSfen(text);
    expect(pos.sfen()).toBe(text);
    expect(pos.turn).toBe(WHITE);
  });

  it("round-trips every position of a random game", async () => {
    const { legalMoves } = await import("../../shogi/movegen.js");
    const pos = Position.startpos();
    for (let ply = 0; ply < 150; ply++) {
      const text = pos.sfen();
      expect(Position.fromSfen(text).sfen()).toBe(text);
      const moves = legalMoves(pos);
      if (moves.length === 0) break;
      pos.doMove(moves[(ply * 7919) % moves.length]);
    }
  });
});

describe("SFEN errors", () => {
  const cases: Array<[string, string]> = [
    ["", "empty"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1 b - 1", "ranks"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSN b - 1", "rank_width"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNLL b - 1", "rank_width"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNX b - 1", "piece"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNS+GKGSNL b - 1", "piece"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL x - 1", "turn"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b K 1", "hand"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b 2 1", "hand"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - x", "move_number"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 0", "accepted"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b P 1", "piece_count"],
    ["lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKKSNL b - 1", "king_count"],
    ["P3k4/9/9/9/9/9/9/9/4K4 b - 1", "dead_piece"],
    ["4k4/9/9/9/9/9/9/N8/4K4 w - 1", "accepted"],
    ["4k4/N8/9/9/9/9/9/9/4K4 b - 1", "dead_piece"],
    ["4k4/9/9/9/4P4/9/4P4/9/4K4 b - 1", "nifu"],
    ["4k4/9/9/9/9/9/9/9/4K3R b - 1", "accepted"],
    ["4k4/9/9/9/9/9/9/9/4R3K b - 1", "opponent_in_check"],
  ];
  for (const [text, code] of cases) {
    it(`${code}: ${text || "(empty)"}`, () => {
      expect(sfenErrorCode(text)).toBe(code);
    });
  }

  it("names the offending part in the message", () => {
    expect(() => Position.fromSfen("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNX b - 1")).toThrow(/unknown piece letter 'X' in rank 9/);
  });
});
