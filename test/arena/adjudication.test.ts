// Adjudication on constructed move sequences: repetition, perpetual check, declarations, the try
// rule, the ply limit and resignation by agreement; and the game clock.

import { describe, expect, test } from "vitest";
import {
  ResignTracker, type RuleSettings, adjudicateAfterMove, judgeDeclaration, winProbability,
} from "../../arena/adjudication.js";
import { GameClock } from "../../arena/clock.js";
import type { GameEnd } from "../../arena/termination.js";
import { Position } from "../../shogi/position.js";
import { BLACK, MOVE_NONE, WHITE } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";

const RULES: RuleSettings = { maxPlies: 320, mateOnLastPlyCounts: true, enteringKingRule: "csa27" };

/** Plays the moves and returns the adjudication after each one. */
function play(sfen: string, moves: string, rules: RuleSettings = RULES): (GameEnd | undefined)[] {
  const position = Position.fromSfen(sfen);
  return moves.split(/\s+/).map((text) => {
    const move = parseUsiMove(position, text);
    if (move === MOVE_NONE) throw new Error(`illegal test move ${text} in ${position.sfen()}`);
    position.doMove(move);
    return adjudicateAfterMove(position, rules);
  });
}

/** Black's rook checks from the a and b ranks while White's king steps between 5a and 5b. */
const ROOK_CHECKS_BLACK_TO_MOVE = "4k4/R8/9/9/9/9/9/9/8K b - 1";
const ROOK_CHECKS_WHITE_IN_CHECK = "R3k4/9/9/9/9/9/9/9/8K w - 1";
/** Black king in the enemy camp with 10 pieces there; the hand decides the points. */
const DECLARATION_28_POINTS = "9/1R5B1/PPPPKPPPP/9/9/9/9/9/4k4 b 4G4S2N 1";
const DECLARATION_24_POINTS = "9/1R5B1/PPPPKPPPP/9/9/9/9/9/4k4 b 4S2N 1";
const MATE_IN_ONE = "4k4/9/4P4/9/9/9/9/9/4K4 b G 1";

describe("repetition", () => {
  test("fourfold repetition is a draw", () => {
    const ends = play("startpos", "5i5h 5a5b 5h5i 5b5a ".repeat(3).trim());
    expect(ends.slice(0, -1).every((end) => end === undefined)).toBe(true);
    expect(ends.at(-1)).toEqual({ winner: undefined, termination: { kind: "repetition" } });
  });

  test("perpetual check loses for the checker after the evasion", () => {
    const ends = play(ROOK_CHECKS_BLACK_TO_MOVE, "9b9a 5a5b 9a9b 5b5a ".repeat(3).trim());
    expect(ends.slice(0, -1).every((end) => end === undefined)).toBe(true);
    expect(ends.at(-1)).toEqual({ winner: WHITE, termination: { kind: "perpetual-check" } });
  });

  test("perpetual check loses for the checker after the check", () => {
    const ends = play(ROOK_CHECKS_WHITE_IN_CHECK, "5a5b 9a9b 5b5a 9b9a ".repeat(3).trim());
    expect(ends.at(-1)).toEqual({ winner: WHITE, termination: { kind: "perpetual-check" } });
  });

  test("history before the opening position is counted", () => {
    // The same cycle, but the first two repetitions are opening moves replayed on the position.
    const position = Position.fromSfen("startpos");
    const moves = "5i5h 5a5b 5h5i 5b5a ".repeat(3).trim().split(" ");
    let end: GameEnd | undefined;
    for (const text of moves) {
      position.doMove(parseUsiMove(position, text));
      end = adjudicateAfterMove(position, RULES);
    }
    expect(end?.termination.kind).toBe("repetition");
  });
});

describe("declaration", () => {
  test("valid 27-point declaration wins", () => {
    expect(judgeDeclaration(Position.fromSfen(DECLARATION_28_POINTS), "csa27")).toEqual({
      winner: BLACK,
      termination: { kind: "declaration", rule: "csa27" },
    });
  });

  test("declaration short of points loses", () => {
    expect(judgeDeclaration(Position.fromSfen(DECLARATION_24_POINTS), "csa27")).toEqual({
      winner: WHITE,
      termination: { kind: "false-declaration", rule: "csa27" },
    });
  });

  test("24-point rule gives a draw from 24 to 30 points", () => {
    expect(judgeDeclaration(Position.fromSfen(DECLARATION_28_POINTS), "csa24")).toEqual({
      winner: undefined,
      termination: { kind: "declaration", rule: "csa24" },
    });
  });

  test("declaration without a rule loses", () => {
    expect(judgeDeclaration(Position.fromSfen(DECLARATION_28_POINTS), "none").termination.kind).toBe("false-declaration");
  });

  test("declaration from the start position loses", () => {
    expect(judgeDeclaration(Position.fromSfen("startpos"), "csa27")).toEqual({
      winner: WHITE,
      termination: { kind: "false-declaration", rule: "csa27" },
    });
  });
});

describe("try rule", () => {
  const KING_NEXT_TO_TRY_SQUARE = "9/4K4/9/9/9/9/9/9/4k4 b - 1";

  test("king on the try square wins", () => {
    const ends = play(KING_NEXT_TO_TRY_SQUARE, "5b5a", { ...RULES, enteringKingRule: "try" });
    expect(ends[0]).toEqual({ winner: BLACK, termination: { kind: "try", declared: false } });
  });

  test("the same move ends nothing under the 27-point rule", () => {
    expect(play(KING_NEXT_TO_TRY_SQUARE, "5b5a")[0]).toBeUndefined();
  });

  test("declaring a reachable try square wins", () => {
    expect(judgeDeclaration(Position.fromSfen(KING_NEXT_TO_TRY_SQUARE), "try")).toEqual({
      winner: BLACK,
      termination: { kind: "try", declared: true },
    });
  });

  test("declaring an unreachable try square loses", () => {
    expect(judgeDeclaration(Position.fromSfen("startpos"), "try").termination.kind).toBe("false-declaration");
  });
});

describe("ply limit", () => {
  test("game is drawn when the limit is reached", () => {
    const ends = play("startpos", "7g7f 3c3d 2g2f 8c8d", { ...RULES, maxPlies: 4 });
    expect(ends.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(ends[3]).toEqual({ winner: undefined, termination: { kind: "max-plies", limit: 4 } });
  });

  test("limit counts plies from the SFEN move number", () => {
    const ends = play("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 3", "7g7f 3c3d", { ...RULES, maxPlies: 4 });
    expect(ends[1]?.termination.kind).toBe("max-plies");
  });

  test("mate on the last allowed ply wins by default", () => {
    const ends = play(MATE_IN_ONE, "G*5b", { ...RULES, maxPlies: 1 });
    expect(ends[0]).toEqual({ winner: BLACK, termination: { kind: "checkmate" } });
  });

  test("mate on the last ply is a draw when switched off", () => {
    const ends = play(MATE_IN_ONE, "G*5b", { ...RULES, maxPlies: 1, mateOnLastPlyCounts: false });
    expect(ends[0]).toEqual({ winner: undefined, termination: { kind: "max-plies", limit: 1 } });
  });

  test("mate before the limit wins", () => {
    expect(play(MATE_IN_ONE, "G*5b")[0]).toEqual({ winner: BLACK, termination: { kind: "checkmate" } });
  });
});

describe("resign adjudication", () => {
  const SETTINGS = { moves: 3, winProbability: 0.05 };
  const SCALE = 600;
  const losing = { kind: "cp", value: -3000 } as const;
  const winning = { kind: "cp", value: 3000 } as const;

  function tracker(): ResignTracker {
    return new ResignTracker(SETTINGS, [SCALE, SCALE]);
  }

  test("both sides agreeing for N moves ends the game", () => {
    const t = tracker();
    for (let i = 0; i < SETTINGS.moves; i++) {
      expect(t.check(BLACK)).toBeUndefined();
      t.record(BLACK, losing);
      t.record(WHITE, winning);
    }
    expect(t.check(BLACK)).toEqual({ winner: WHITE, termination: { kind: "adjudicated-resign", moves: 3, winProbability: 0.05 } });
    expect(t.check(WHITE)).toBeUndefined();
  });

  test("one side alone does not end the game", () => {
    const t = tracker();
    for (let i = 0; i < SETTINGS.moves; i++) {
      t.record(BLACK, losing);
      t.record(WHITE, { kind: "cp", value: 100 });
    }
    expect(t.check(BLACK)).toBeUndefined();
  });

  test("a move without a score breaks the run", () => {
    const t = tracker();
    t.record(BLACK, losing);
    t.record(WHITE, winning);
    t.record(BLACK, undefined);
    t.record(WHITE, winning);
    t.record(BLACK, losing);
    t.record(WHITE, winning);
    expect(t.check(BLACK)).toBeUndefined();
    t.record(BLACK, losing);
    t.record(WHITE, winning);
    expect(t.check(BLACK)).toBeUndefined();
    t.record(BLACK, losing);
    t.record(WHITE, winning);
    expect(t.check(BLACK)?.winner).toBe(WHITE);
  });

  test("mate scores count as certain", () => {
    const t = tracker();
    for (let i = 0; i < SETTINGS.moves; i++) {
      t.record(WHITE, { kind: "mate", plies: -5 });
      t.record(BLACK, { kind: "mate", plies: "+" });
    }
    expect(t.check(WHITE)?.winner).toBe(BLACK);
  });

  test("win probability follows the scale", () => {
    expect(winProbability({ kind: "cp", value: 0 }, SCALE)).toBe(0.5);
    expect(winProbability({ kind: "cp", value: 600 }, 600)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(winProbability({ kind: "cp", value: 756 }, 756)).toBeCloseTo(winProbability({ kind: "cp", value: 600 }, 600), 12);
    expect(winProbability({ kind: "mate", plies: -0 }, SCALE)).toBe(0);
    expect(winProbability({ kind: "mate", plies: "-" }, SCALE)).toBe(0);
  });
});

describe("clock", () => {
  test("byoyomi uses main time first", () => {
    const clock = new GameClock([{ type: "byoyomi", mainMs: 1000, byoyomiMs: 500 }, { type: "byoyomi", mainMs: 1000, byoyomiMs: 500 }], 50);
    expect(clock.limits(BLACK)).toEqual({ btime: 1000, wtime: 1000, byoyomi: 500 });
    expect(clock.allowedMs(BLACK)).toBe(1550);
    clock.charge(BLACK, 1200);
    expect(clock.limits(WHITE)).toEqual({ btime: 0, wtime: 1000, byoyomi: 500 });
    expect(clock.allowedMs(BLACK)).toBe(550);
    expect(clock.totalUsedMs()).toEqual([1200, 0]);
  });

  test("fischer adds the increment after the move", () => {
    const clock = new GameClock([{ type: "fischer", mainMs: 1000, incrementMs: 100 }, { type: "fischer", mainMs: 1000, incrementMs: 100 }], 0);
    expect(clock.limits(WHITE)).toEqual({ btime: 1000, wtime: 1000, winc: 100 });
    expect(clock.allowedMs(BLACK)).toBe(1100);
    clock.charge(BLACK, 300);
    expect(clock.limits(BLACK)).toEqual({ btime: 800, wtime: 1000, binc: 100 });
  });

  test("node limits carry no time", () => {
    const clock = new GameClock([{ type: "nodes", nodes: 500 }, { type: "movetime", movetimeMs: 200 }], 20);
    expect(clock.limits(BLACK)).toEqual({ nodes: 500 });
    expect(clock.allowedMs(BLACK)).toBeUndefined();
    expect(clock.limits(WHITE)).toEqual({ movetime: 200 });
    expect(clock.allowedMs(WHITE)).toBe(220);
  });
});
