import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MateResult, mateIn1, solveMate } from "../../engine/mate.js";
import { hasLegalMove, legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { parseRecord } from "../../shogi/records/index.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { MOVE_DROP_FLAG, MOVE_NONE, PAWN, isDrop, parseSquare } from "../../shogi/types.js";
import { seededRandom } from "../helpers/random.js";
import { hasSharedData, readTsv, sharedPath } from "../helpers/shared-data.js";

/** Node budget of one data-set problem; each of them needs far fewer. */
const PROBLEM_NODES = 3_000_000;
/** Node budget of one random position, enough for most to end in a mate or a disproof. */
const RANDOM_POSITION_NODES = 20_000;

/**
 * Checks a mate line: every move legal, every attacker move a check, checkmate at the end, and
 * past `mateLength` only futile interpositions (drops by the defender) and their captures.
 * Restores the position.
 */
function expectMateLine(pos: Position, result: MateResult, label: string): void {
  expect(result.kind, label).toBe("mate");
  if (result.kind !== "mate") return;
  const { moves, mateLength } = result;
  expect(moves.length % 2, `${label}: odd ply count`).toBe(1);
  expect(mateLength, label).toBeLessThanOrEqual(moves.length);
  moves.forEach((move, ply) => {
    const text = makeUsiMove(move);
    expect(legalMoves(pos), `${label}: ply ${ply + 1} ${text} is legal`).toContain(move);
    pos.doMove(move);
    if (ply % 2 === 0) expect(pos.inCheck(), `${label}: ply ${ply + 1} ${text} gives check`).toBe(true);
    else if (ply >= mateLength) expect(isDrop(move), `${label}: ply ${ply + 1} ${text} past the mate is a drop`).toBe(true);
  });
  expect(hasLegalMove(pos), `${label}: the line ends in checkmate`).toBe(false);
  for (let i = 0; i < moves.length; i++) pos.undoMove();
}

function solveAndCheck(sfen: string, label = sfen): MateResult {
  const pos = Position.fromSfen(sfen);
  const before = pos.sfen();
  const result = solveMate(pos, { maxNodes: PROBLEM_NODES });
  expect(pos.sfen(), `${label}: position restored`).toBe(before);
  expect(pos.ply).toBe(0);
  if (result.kind === "mate") expectMateLine(pos, result, label);
  return result;
}

function mateLength(result: MateResult): number {
  return result.kind === "mate" ? result.mateLength : -1;
}

/** Returns the mate line in USI notation, empty when the result is not a mate. */
function usiLine(result: MateResult): string[] {
  return result.kind === "mate" ? result.moves.map(makeUsiMove) : [];
}

describe("mateIn1", () => {
  it("finds a gold drop in front of the king", () => {
    const pos = Position.fromSfen("4k4/9/4P4/9/9/9/9/9/9 b G 1");
    expect(makeUsiMove(mateIn1(pos))).toBe("G*5b");
    expect(pos.sfen()).toBe("4k4/9/4P4/9/9/9/9/9/9 b G 1");
  });

  it("returns MOVE_NONE without a mate in one", () => {
    expect(mateIn1(Position.fromSfen("4k4/9/9/9/9/9/9/9/9 b G 1"))).toBe(MOVE_NONE);
    expect(mateIn1(Position.startpos())).toBe(MOVE_NONE);
  });

  it("does not mate with a pawn drop", () => {
    expect(mateIn1(Position.fromSfen("7nk/9/7S1/9/9/9/9/9/9 b P 1"))).toBe(MOVE_NONE);
  });
});

describe("solveMate", () => {
  it("answers the USI conformance positions", () => {
    const mate = solveAndCheck("4k4/9/4P4/9/9/9/9/9/9 b G 1");
    expect(usiLine(mate)).toEqual(["G*5b"]);
    expect(solveAndCheck("4k4/9/9/9/9/9/9/9/9 b - 1").kind).toBe("nomate");
  });

  it("answers nomate when only a pawn-drop mate would work", () => {
    // P*1b would mate: the silver guards 1b and 2b and the knight fills 2a. The rules forbid it,
    // and after each of the silver's own checks the king takes the silver.
    const sfen = "7nk/9/7S1/9/9/9/9/9/9 b P 1";
    const pos = Position.fromSfen(sfen);
    pos.doMove(MOVE_DROP_FLAG | (PAWN << 7) | parseSquare("1b"));
    expect(pos.inCheck(), "the pawn drop checks").toBe(true);
    expect(hasLegalMove(pos), "the pawn drop leaves no evasion").toBe(false);
    expect(parseUsiMove(Position.fromSfen(sfen), "P*1b")).toBe(MOVE_NONE);
    expect(solveAndCheck(sfen).kind).toBe("nomate");
  });

  it("mates with a pawn drop the king can take", () => {
    // The drop on 1b checks and the king may take it, so it is legal; mate follows in 9 plies.
    const result = solveAndCheck("7nk/9/6PB1/6NP1/9/9/9/9/9 b P2rb4g4s2n4l15p 1");
    expect(mateLength(result)).toBe(9);
  });

  it("answers nomate to perpetual check", () => {
    // The dragon and the tokin can only check back and forth; repeating loses for the checker.
    expect(solveAndCheck("6R+P1/8k/7sp/9/9/9/9/9/9 b r2b4g3s4n4l16p 1").kind).toBe("nomate");
  });

  it("answers nomate when the start position has no check", () => {
    expect(solveAndCheck("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1").kind).toBe("nomate");
  });

  it("solves for White to move", () => {
    const result = solveAndCheck("9/9/9/9/9/9/4p4/9/4K4 w 2R2BG4S4N4L3g17p 1");
    expect(usiLine(result)).toEqual(["G*5h"]);
  });

  it("counts futile interpositions as no ply", () => {
    // Moving the bishop from 1g to 2h checks along the long diagonal and uncovers the bishop on
    // 1h, which guards 8a. White can only drop pieces on the diagonal, and each is taken.
    const result = solveAndCheck("k8/9/1K7/9/9/9/8B/8B/9 b 2r4g4s4n4l18p 1");
    expect(mateLength(result)).toBe(1);
    expect(usiLine(result).length).toBeGreaterThan(1);
  });

  it("reports a timeout when a limit ends the search", () => {
    // The proof of this position takes about 7,000 nodes, more than one clock interval.
    const pos = Position.fromSfen("k8/9/1K7/9/9/9/8B/8B/9 b 2r4g4s4n4l18p 1");
    expect(solveMate(pos, { maxNodes: 50 }).kind).toBe("timeout");
    expect(solveMate(pos, { shouldStop: () => true }).kind).toBe("timeout");
    expect(solveMate(pos, { timeMs: 0 }).kind).toBe("timeout");
    expect(pos.ply).toBe(0);
  });
});

describe("solveMate on random positions", () => {
  it("returns only legal mate lines", () => {
    // Positions from random games, with few or many pieces in hand; most have no mate.
    const starts = ["startpos", "l6nl/3+R1pk2/3p3gp/p1p3p2/1p1nsN3/2P3P1P/PP1P1S3/1SG2GK2/LN6L b BGPrbs4p 1"];
    const random = seededRandom(7);
    const kinds = new Set<string>();
    for (let game = 0; game < 60; game++) {
      const start = starts[game % starts.length];
      const pos = start === "startpos" ? Position.startpos() : Position.fromSfen(start);
      const plies = Math.floor(random() * (start === "startpos" ? 120 : 20));
      for (let ply = 0; ply < plies; ply++) {
        const moves = legalMoves(pos);
        if (moves.length === 0) break;
        pos.doMove(moves[Math.floor(random() * moves.length)]);
      }
      const sfen = pos.sfen();
      const root = Position.fromSfen(sfen);
      const result = solveMate(root, { maxNodes: RANDOM_POSITION_NODES });
      kinds.add(result.kind);
      expect(root.sfen(), sfen).toBe(sfen);
      if (result.kind === "mate") expectMateLine(root, result, sfen);
    }
    expect(kinds).toContain("mate");
    expect(kinds).toContain("nomate");
  });
});

const TSUME_CASES = "antma__tsumeshogi-check/extracted/tsume_cases.tsv";
const MATE_PROBLEMS = "rust-shogi-crates__shogi_legality_lite/extracted/mate_problems.tsv";
const ENGINE_TESTS = "komori-n__mate-engine-test/tests/tests.yaml";
const KIF_PROBLEMS = "Marken-Foo__tsumemi/sample_problems";

describe.skipIf(!hasSharedData)("tsume cases with stated mate lengths", () => {
  // Side "w" rows are solved as given: White moves first and attacks.
  const rows = hasSharedData ? readTsv(TSUME_CASES) : [];

  it("has the expected rows", () => {
    expect(rows.filter(([, kind]) => kind === "mate").length).toBe(34);
    expect(rows.filter(([, kind]) => kind === "nomate_within").length).toBe(2);
  });

  it("finds every mate with the stated length", () => {
    for (const [sfen, kind, plies, source] of rows) {
      if (kind !== "mate") continue;
      expect(mateLength(solveAndCheck(sfen, source)), `${source}: ${sfen}`).toBe(Number(plies));
    }
  });

  it("finds no mate within the stated plies", () => {
    for (const [sfen, kind, plies, source] of rows) {
      if (kind !== "nomate_within") continue;
      const result = solveAndCheck(sfen, source);
      if (result.kind === "mate") expect(result.mateLength, source).toBeGreaterThan(Number(plies));
      else expect(result.kind, source).toBe("nomate");
    }
  });
});

describe.skipIf(!hasSharedData)("mate problems with solution lines", () => {
  const rows = hasSharedData ? readTsv(MATE_PROBLEMS) : [];
  const byId = new Map(rows.map(([id, sfen, expected, solution]) => [id, { sfen, expected, solution }]));

  it("solves mate5, mate9 and dpm9 at their lengths", () => {
    for (const [id, length] of [["mate5", 5], ["mate9", 9], ["dpm9", 9]] as const) {
      const row = byId.get(id);
      expect(row, id).toBeDefined();
      const result = solveAndCheck(row!.sfen, id);
      expect(mateLength(result), id).toBe(length);
    }
  });

  it("starts mate9 with the asserted moves", () => {
    const result = solveAndCheck(byId.get("mate9")!.sfen);
    expect(usiLine(result).slice(0, 2)).toEqual(["S*5b", "4a3b"]);
  });

  it("plays out each stated solution as a legal mate", () => {
    for (const [id, row] of byId) {
      if (row.solution === "") continue;
      const pos = Position.fromSfen(row.sfen);
      const moves = row.solution.split(" ").map((text) => {
        const move = parseUsiMove(pos, text);
        expect(move, `${id}: ${text}`).not.toBe(MOVE_NONE);
        pos.doMove(move);
        return move;
      });
      expect(hasLegalMove(pos), id).toBe(false);
      expect(moves.length % 2).toBe(1);
    }
  });

  it("solves the problem without stated length and proves the lone rook fails", () => {
    expect(solveAndCheck(byId.get("gs")!.sfen, "gs").kind).toBe("mate");
    expect(solveAndCheck(byId.get("nomate")!.sfen, "nomate").kind).toBe("nomate");
  });
});

interface EngineTest {
  sfen: string;
  nomate: boolean;
  minMateLength?: number;
}

/** Reads the sfen, nomate and min_mate_len keys of the engine test list (a small YAML file). */
function readEngineTests(): EngineTest[] {
  const tests: EngineTest[] = [];
  for (const line of readFileSync(sharedPath(ENGINE_TESTS), "utf8").split("\n")) {
    const sfen = /^\s*- sfen: (.+)$/.exec(line);
    if (sfen) tests.push({ sfen: sfen[1].trim(), nomate: false });
    else if (/^\s*nomate: true/.test(line)) tests[tests.length - 1].nomate = true;
    const min = /^\s*min_mate_len: (\d+)/.exec(line);
    if (min) tests[tests.length - 1].minMateLength = Number(min[1]);
  }
  return tests;
}

describe.skipIf(!hasSharedData)("mate engine test list", () => {
  const tests = hasSharedData ? readEngineTests() : [];

  it("answers every listed position", () => {
    expect(tests.length).toBe(6);
    for (const test of tests) {
      const result = solveAndCheck(test.sfen);
      if (test.nomate) {
        expect(result.kind, test.sfen).toBe("nomate");
      } else {
        expect(result.kind, test.sfen).toBe("mate");
        if (test.minMateLength !== undefined) expect(mateLength(result), test.sfen).toBe(test.minMateLength);
      }
    }
  });
});

/**
 * Problems whose record line is not the shortest forced mate. In 3te/9 the line 3c gold drop,
 * king takes on 3c, 3a bishop promotes on 2b overlooks that the king may take the bishop on 3a
 * instead, which holds out two plies longer.
 */
const KIF_LENGTH_OVERRIDES: Readonly<Record<string, number>> = { "3te/9": 5 };

describe.skipIf(!hasSharedData)("KIF mate problems", () => {
  const problems = ["1te", "3te"].flatMap((folder) =>
    Array.from({ length: 10 }, (_, i) => `${folder}/${i + 1}`),
  );

  it("solves every problem at the length of its record", () => {
    for (const name of problems) {
      const record = parseRecord(readFileSync(sharedPath(`${KIF_PROBLEMS}/${name}.kif`)));
      const expected = KIF_LENGTH_OVERRIDES[name] ?? record.moves.length;
      expect(mateLength(solveAndCheck(record.initialSfen, name)), name).toBe(expected);
    }
  });

  it("finds the longer defence in 3te/9", () => {
    const record = parseRecord(readFileSync(sharedPath(`${KIF_PROBLEMS}/3te/9.kif`)));
    const pos = Position.fromSfen(record.initialSfen);
    for (const text of ["G*3c", "3b3a"]) pos.doMove(parseUsiMove(pos, text));
    expect(mateLength(solveAndCheck(pos.sfen(), "3te/9 after 3b3a"))).toBe(3);
  });
});
