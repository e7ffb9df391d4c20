import { describe, expect, test } from "vitest";
import { MATSURI_POSITION, PERFT_POSITIONS, START_POSITION } from "../../bench/perft-positions.js";
import type { ProgramRun } from "../../bench/perft-programs.js";
import { buildRows, formatReport, summarize } from "../../bench/perft-report.js";

const RUNS: ProgramRun[] = [
  {
    program: "ours",
    measurements: [{ program: "ours", position: "start", depth: 4, nodes: 719_731, ms: 100 }],
  },
  {
    program: "shogiops",
    measurements: [
      { program: "shogiops", position: "start", depth: 4, nodes: 719_731, ms: 2_500 },
      { program: "shogiops", position: "matsuri", depth: 2, nodes: 28_000, ms: 100 },
    ],
  },
  {
    program: "fsf-wasm",
    startupMs: 1_200,
    measurements: [{ program: "fsf-wasm", position: "start", depth: 6, nodes: 547_581_517, ms: 100_000 }],
  },
  { program: "fsf-native", unavailable: "/usr/games/fairy-stockfish is not installed", measurements: [] },
];

describe("perft report", () => {
  const rows = buildRows(RUNS, PERFT_POSITIONS);

  test("known counts match the published ones", () => {
    expect(START_POSITION.counts).toEqual([30, 900, 25_470, 719_731, 19_861_490]);
    expect(MATSURI_POSITION.counts).toEqual([207, 28_684, 4_809_015]);
  });

  test("rows check counts", () => {
    expect(rows.map((row) => row.check)).toEqual(["ok", "ok", "mismatch", "unchecked"]);
    expect(rows[2]?.expected).toBe(28_684);
  });

  test("rows compare speed with ours", () => {
    expect(rows[0]?.oursRatio).toBeUndefined();
    expect(rows[1]?.oursRatio).toBeCloseTo(25);
    expect(rows[2]?.oursRatio).toBeUndefined();
    expect(rows[1]?.nodesPerSecond).toBeCloseTo(287_892.4);
  });

  test("table flags mismatches and startups", () => {
    const text = formatReport(rows, RUNS);

    expect(text).toContain("MISMATCH, expected 28684");
    expect(text).toContain("fsf-wasm: startup to readyok 1200.0 ms");
    expect(text).toContain("fsf-native: not available (/usr/games/fairy-stockfish is not installed)");
  });

  test("summary counts mismatches", () => {
    const summary = summarize(rows, RUNS, PERFT_POSITIONS);

    expect(summary.mismatches).toBe(1);
    expect(summary.programs.map((program) => program.available)).toEqual([true, true, true, false]);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
