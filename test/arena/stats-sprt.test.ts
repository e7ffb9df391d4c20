import { describe, expect, it } from "vitest";
import {
  cutechessLlr,
  evaluateSprt,
  fastchessBayesianLlr,
  pentanomial,
  sprtBounds,
  trinomial,
  type Pentanomial,
  type ResultCounts,
  type SprtModel,
} from "../../arena/stats/index.js";

const TOLERANCE = 0.01;

interface LlrVector {
  readonly name: string;
  readonly counts: ResultCounts;
  readonly model: SprtModel;
  readonly elo0: number;
  readonly elo1: number;
  readonly llr: number;
}

const wld = (wins: number, losses: number, draws: number): ResultCounts => trinomial(wins, draws, losses);
const pairs = (counts: Pentanomial): ResultCounts => pentanomial(counts);

// fastchess's app/tests/sprt_test.cpp (alpha = beta = 0.05).
const FASTCHESS_VECTORS: readonly LlrVector[] = [
  { name: "wdl normalized", counts: wld(36433, 36027, 68692), model: "normalized", elo0: 0, elo1: 2, llr: 0.92 },
  { name: "wdl non-regression", counts: wld(10871, 10650, 20431), model: "normalized", elo0: -1.75, elo1: 0.25, llr: 2.3 },
  { name: "wdl logistic LTC", counts: wld(21404, 21184, 40708), model: "logistic", elo0: 0.5, elo1: 2.5, llr: -1.57 },
  { name: "wdl logistic STC", counts: wld(57433, 57030, 106593), model: "logistic", elo0: 0, elo1: 2, llr: -2.59 },
  { name: "penta normalized", counts: pairs([365, 16618, 36229, 16974, 390]), model: "normalized", elo0: 0, elo1: 2, llr: 2.25 },
  {
    name: "penta non-regression",
    counts: pairs([127, 4883, 10712, 5150, 104]),
    model: "normalized",
    elo0: -1.75,
    elo1: 0.25,
    llr: 3.01,
  },
  { name: "penta logistic LTC", counts: pairs([223, 9863, 21279, 10037, 246]), model: "logistic", elo0: 0.5, elo1: 2.5, llr: -3.07 },
  { name: "penta logistic STC", counts: pairs([871, 26175, 55983, 26678, 821]), model: "logistic", elo0: 0, elo1: 2, llr: -4.98 },
];

// Two large pentanomial runs, and a perfect score that only the 0.001 fill of empty buckets
// keeps finite.
const OTHER_VECTORS: readonly LlrVector[] = [
  { name: "2334 pairs", counts: pairs([46, 496, 1073, 640, 79]), model: "normalized", elo0: 0, elo1: 3, llr: 2.89 },
  {
    name: "43360 pairs",
    counts: pairs([379, 10170, 21828, 10640, 343]),
    model: "normalized",
    elo0: 0,
    elo1: 2,
    llr: 2.946,
  },
  { name: "three WW pairs", counts: pairs([0, 0, 0, 0, 3]), model: "normalized", elo0: -1.75, elo1: 0.25, llr: 0.02 },
];

// LLRs that fishtest showed for finished tests, as listed in ShogiHome's sprt.spec.ts:
// pentanomial counts, normalized bounds [elo0, elo1], LLR.
const FISHTEST_VECTORS: readonly (readonly [Pentanomial, number, number, number])[] = [
  [[19, 4020, 10316, 4215, 24], -1.75, 0.25, 2.94],
  [[103, 3851, 8316, 3728, 98], 0, 2, -2.03],
  [[291, 10353, 21899, 10175, 306], 0, 2, -3.08],
  [[99, 3323, 8399, 3606, 109], 0, 2, 2.98],
  [[2, 40, 72, 14, 0], 0, 2, -0.36],
  [[326, 12015, 26044, 12357, 362], 0, 2, 2.93],
  [[59, 6427, 15570, 6693, 91], 0, 2, 2.94],
  [[328, 12094, 26412, 11964, 338], 0, 2, -2.93],
  [[900, 30596, 67292, 30899, 809], 0, 2, -2.96],
  [[45, 8506, 25934, 8883, 57], 0.5, 2.5, 2.94],
  [[14, 6935, 20257, 7273, 30], 0.5, 2.5, 2.95],
  [[105, 19880, 51075, 20005, 108], 0.5, 2.5, -2.94],
  [[68, 15448, 39104, 15441, 94], 0.5, 2.5, -2.94],
  [[41, 5118, 12924, 5334, 31], -1.75, 0.25, 2.94],
  [[36, 5804, 14811, 5986, 39], -1.75, 0.25, 2.94],
];

const VECTORS: readonly LlrVector[] = [
  ...FASTCHESS_VECTORS,
  ...OTHER_VECTORS,
  ...FISHTEST_VECTORS.map(([counts, elo0, elo1, llr]): LlrVector => ({
    name: `fishtest ${counts.join(",")}`,
    counts: pairs(counts),
    model: "normalized",
    elo0,
    elo1,
    llr,
  })),
];

describe("evaluateSprt", () => {
  for (const vector of VECTORS) {
    it(`LLR of ${vector.name}`, () => {
      const result = evaluateSprt(vector.counts, { elo0: vector.elo0, elo1: vector.elo1, model: vector.model });
      expect(Math.abs(result.llr - vector.llr), `llr ${result.llr} vs ${vector.llr}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("exact normalized MLE of 43360 pairs", () => {
    const result = evaluateSprt(pairs([379, 10170, 21828, 10640, 343]), { elo0: 0, elo1: 2 });
    expect(result.llr).toBeCloseTo(2.9455, 4);
  });

  it("2334 pairs accept H1", () => {
    const result = evaluateSprt(pairs([46, 496, 1073, 640, 79]), { elo0: 0, elo1: 3, beta: 0.1 });
    expect(result.lower).toBeCloseTo(-2.251, 3);
    expect(result.upper).toBeCloseTo(2.89, 3);
    expect(result.decision).toBe("H1");
  });

  it("logistic penta accepts H0", () => {
    const result = evaluateSprt(pairs([871, 26175, 55983, 26678, 821]), { elo0: 0, elo1: 2, model: "logistic" });
    expect(result.decision).toBe("H0");
  });

  it("undecided run continues", () => {
    const result = evaluateSprt(wld(36433, 36027, 68692), { elo0: 0, elo1: 2 });
    expect(result.decision).toBe("continue");
  });

  it("defaults to normalized at 0.05", () => {
    const counts = pairs([365, 16618, 36229, 16974, 390]);
    const implicit = evaluateSprt(counts, { elo0: 0, elo1: 2 });
    const explicit = evaluateSprt(counts, { elo0: 0, elo1: 2, model: "normalized", alpha: 0.05, beta: 0.05 });
    expect(implicit).toEqual(explicit);
  });

  it("rejects unreachable normalized bound", () => {
    expect(() => evaluateSprt(wld(10, 3, 5), { elo0: 0, elo1: 500 })).toThrow(/normalized bound 500/);
  });

  it("rejects elo0 >= elo1", () => {
    expect(() => evaluateSprt(wld(1, 1, 1), { elo0: 2, elo1: 2 })).toThrow(/elo0 2 and elo1 2/);
  });
});

describe("sprtBounds", () => {
  const cases = [
    { alpha: 0.05, beta: 0.05, lower: -2.944, upper: 2.944 },
    { alpha: 0.05, beta: 0.1, lower: -2.251, upper: 2.89 },
    { alpha: 0.01, beta: 0.01, lower: -4.595, upper: 4.595 },
  ];
  for (const { alpha, beta, lower, upper } of cases) {
    it(`alpha ${alpha} beta ${beta}`, () => {
      const bounds = sprtBounds(alpha, beta);
      expect(bounds.lower).toBeCloseTo(lower, 3);
      expect(bounds.upper).toBeCloseTo(upper, 3);
    });
  }

  it("rejects alpha + beta >= 1", () => {
    expect(() => sprtBounds(0.6, 0.5)).toThrow(/alpha 0.6 and beta 0.5/);
  });
});

describe("BayesElo SPRT", () => {
  // fastchess's app/tests/sprt_test.cpp, alpha = beta = 0.05.
  const fastchess = [
    { wins: 68965, losses: 68526, draws: 128429, elo0: 0, elo1: 2, llr: -1.26 },
    { wins: 21629, losses: 21484, draws: 41111, elo0: 0.5, elo1: 2.5, llr: -1.13 },
  ];
  for (const { wins, losses, draws, elo0, elo1, llr } of fastchess) {
    it(`fastchess bayesian W${wins} L${losses}`, () => {
      const actual = fastchessBayesianLlr(wins, draws, losses, elo0, elo1);
      expect(Math.abs(actual - llr), `llr ${actual} vs ${llr}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("fastchess bayesian is 0 without losses", () => {
    expect(fastchessBayesianLlr(10, 5, 0, 0, 2)).toBe(0);
  });

  // cutechess's projects/lib/tests/sprt/tst_sprt.cpp: elo0 0, elo1 10, alpha = beta = 0.01.
  const cutechess = [
    { wins: 1477, losses: 1351, draws: 2942, llr: 2.52 },
    { wins: 555, losses: 555, draws: 298, llr: -0.74 },
    { wins: 3, losses: 149, draws: 1, llr: -4.69 },
  ];
  for (const { wins, losses, draws, llr } of cutechess) {
    it(`cutechess W${wins} L${losses} D${draws}`, () => {
      const actual = cutechessLlr(wins, draws, losses, 0, 10);
      expect(Math.abs(actual - llr), `llr ${actual} vs ${llr}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("cutechess bounds at 0.01", () => {
    expect(sprtBounds(0.01, 0.01).upper).toBeCloseTo(4.6, 2);
  });
});
