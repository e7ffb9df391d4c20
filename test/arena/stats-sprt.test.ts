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

// Vectors from fastchess's sprt_test.cpp, fastchess output quoted in the cinder repository, and a
// fastchess pull request that compared exact and approximate normalized LLRs.
const VECTORS: readonly LlrVector[] = [
  { name: "cinder penta", counts: pairs([46, 496, 1073, 640, 79]), model: "normalized", elo0: 0, elo1: 3, llr: 2.89 },
  {
    name: "large penta",
    counts: pairs([379, 10170, 21828, 10640, 343]),
    model: "normalized",
    elo0: 0,
    elo1: 2,
    llr: 2.946,
  },
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
  { name: "penta all WW", counts: pairs([0, 0, 0, 0, 3]), model: "normalized", elo0: -1.75, elo1: 0.25, llr: 0.02 },
];

describe("evaluateSprt", () => {
  for (const vector of VECTORS) {
    it(`LLR of ${vector.name}`, () => {
      const result = evaluateSprt(vector.counts, { elo0: vector.elo0, elo1: vector.elo1, model: vector.model });
      expect(Math.abs(result.llr - vector.llr), `llr ${result.llr} vs ${vector.llr}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("exact normalized MLE gives 2.9455", () => {
    const result = evaluateSprt(pairs([379, 10170, 21828, 10640, 343]), { elo0: 0, elo1: 2 });
    expect(result.llr).toBeCloseTo(2.9455, 4);
  });

  it("cinder penta accepts H1", () => {
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
  it("fastchess bayesian model", () => {
    const llr = fastchessBayesianLlr(68965, 128429, 68526, 0, 2);
    expect(Math.abs(llr - -1.26)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("fastchess bayesian is 0 without losses", () => {
    expect(fastchessBayesianLlr(10, 5, 0, 0, 2)).toBe(0);
  });

  // Vectors from cutechess's tst_sprt.cpp, with elo0 0, elo1 10 and alpha = beta = 0.01.
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
