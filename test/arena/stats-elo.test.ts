import { describe, expect, it } from "vitest";
import {
  estimateElo,
  normalCdf,
  parseCounts,
  pentanomial,
  scoreToElo,
  trinomial,
  Z_95,
  type Pentanomial,
} from "../../arena/stats/index.js";

// Most values come from fastchess's app/tests/elo_test.cpp. The Elo of 76/123/89 and the
// 2334-pair row are reference values of the same formulas from elsewhere. Elo values are in Elo
// points and LOS in percent, and a null LOS is one the source does not give.
interface EloVector {
  readonly elo: number;
  readonly elo95: number;
  readonly nelo: number;
  readonly nelo95: number;
  readonly los: number | null;
}

const TRINOMIAL_VECTORS: (EloVector & { wins: number; draws: number; losses: number })[] = [
  { wins: 136, draws: 111, losses: 96, elo: 40.7, elo95: 30.43, nelo: 49.77, nelo95: 36.77, los: 99.6 },
  { wins: 76, draws: 123, losses: 89, elo: -15.69, elo95: 30.46, nelo: -20.76, nelo95: 40.13, los: 15.53 },
];

const PENTANOMIAL_VECTORS: (EloVector & { pairs: Pentanomial })[] = [
  { pairs: [34, 54, 63, 64, 75], elo: 55.58, elo95: 27.65, nelo: 57.94, nelo95: 28.28, los: 100 },
  { pairs: [332, 433, 498, 333, 334], elo: -8.64, elo95: 10.33, nelo: -9.17, nelo95: 10.96, los: 5.05 },
  { pairs: [7895, 8757, 5685, 568, 9999], elo: -21.04, elo95: 2.95, nelo: -19.01, nelo95: 2.65, los: null },
  { pairs: [46, 496, 1073, 640, 79], elo: 15.64, elo95: 5.88, nelo: 26.56, nelo95: 9.97, los: 100 },
];

const TOLERANCE = 0.01;

function expectClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

describe("estimateElo", () => {
  for (const vector of TRINOMIAL_VECTORS) {
    it(`trinomial ${vector.wins}/${vector.draws}/${vector.losses}`, () => {
      const estimate = estimateElo(trinomial(vector.wins, vector.draws, vector.losses));
      expectClose(estimate.elo, vector.elo, "elo");
      expectClose(estimate.elo95, vector.elo95, "elo95");
      expectClose(estimate.nelo, vector.nelo, "nelo");
      expectClose(estimate.nelo95, vector.nelo95, "nelo95");
      if (vector.los !== null) expectClose(100 * estimate.los, vector.los, "los");
    });
  }

  it("trinomial without draws", () => {
    // fastchess's elo_test.cpp gives only nElo for 34 wins and 356 losses.
    const estimate = estimateElo(trinomial(34, 0, 356));
    expectClose(estimate.nelo, -508.44, "nelo");
    expectClose(estimate.nelo95, 34.48, "nelo95");
  });

  for (const vector of PENTANOMIAL_VECTORS) {
    it(`pentanomial ${vector.pairs.join(",")}`, () => {
      const estimate = estimateElo(pentanomial(vector.pairs));
      expectClose(estimate.elo, vector.elo, "elo");
      expectClose(estimate.elo95, vector.elo95, "elo95");
      expectClose(estimate.nelo, vector.nelo, "nelo");
      expectClose(estimate.nelo95, vector.nelo95, "nelo95");
      if (vector.los !== null) expectClose(100 * estimate.los, vector.los, "los");
    });
  }

  it("nelo95 is 680.96 / sqrt(games)", () => {
    const estimate = estimateElo(pentanomial([10, 20, 40, 20, 10]));
    expect(estimate.games).toBe(200);
    expectClose(estimate.nelo95, 680.96 / Math.sqrt(200), "nelo95");
  });

  it("perfect score stays finite", () => {
    const estimate = estimateElo(trinomial(10, 0, 0));
    expect(Number.isFinite(estimate.elo)).toBe(true);
    expect(Number.isFinite(estimate.elo95)).toBe(true);
    expect(estimate.elo).toBeCloseTo(scoreToElo(0.999), 6);
    expect(estimate.los).toBeGreaterThan(0.99);
  });

  it("even score gives zero Elo", () => {
    const estimate = estimateElo(trinomial(5, 10, 5));
    expect(estimate.elo).toBeCloseTo(0, 12);
    expect(estimate.nelo).toBeCloseTo(0, 12);
    expect(estimate.los).toBeCloseTo(0.5, 12);
  });

  it("rejects negative and all-zero counts", () => {
    expect(() => estimateElo(trinomial(1, -1, 1))).toThrow(/-1/);
    expect(() => estimateElo(pentanomial([0, 0, 0, 0, 0]))).toThrow(/all counts are zero/);
  });
});

describe("normalCdf", () => {
  // Reference values from Python's math.erfc.
  const cases = [
    [0, 0.5],
    [-1, 0.15865525393145707],
    [2.9, 0.998134186699616],
    [3.5, 0.9997673709209645],
    [-4, 3.1671241833119965e-5],
    [-5, 2.866515718791939e-7],
    [-2.2, 0.01390344751349861],
    [-10, 7.619853024160593e-24],
  ] as const;

  for (const [x, expected] of cases) {
    it(`Phi(${x})`, () => {
      expect(Math.abs(normalCdf(x) - expected) / expected).toBeLessThan(1e-12);
    });
  }

  it("Z_95 is the 0.975 quantile", () => {
    expect(normalCdf(Z_95)).toBeCloseTo(0.975, 14);
  });
});

describe("parseCounts", () => {
  it("reads W,D,L in order", () => {
    const parsed = parseCounts("136, 111,96", "trinomial");
    expect(parsed).toEqual({ ok: true, value: trinomial(136, 111, 96) });
  });

  it("reads five pair counts", () => {
    const parsed = parseCounts("1,2,3,4,5", "pentanomial");
    expect(parsed).toEqual({ ok: true, value: pentanomial([1, 2, 3, 4, 5]) });
  });

  const failures = [
    { text: "1,2", kind: "trinomial", code: "wrong-length", shows: '"1,2" has 2 counts' },
    { text: "1,2,3", kind: "pentanomial", code: "wrong-length", shows: "expected 5" },
    { text: "1,,3", kind: "trinomial", code: "not-a-number", shows: 'count ""' },
    { text: "1,x,3", kind: "trinomial", code: "not-a-number", shows: 'count "x"' },
    { text: "1,-2,3", kind: "trinomial", code: "negative", shows: 'count "-2"' },
    { text: "1,2.5,3", kind: "trinomial", code: "not-an-integer", shows: 'count "2.5"' },
    { text: "0,0,0", kind: "trinomial", code: "all-zero", shows: '"0,0,0"' },
  ] as const;

  for (const failure of failures) {
    it(`rejects "${failure.text}" as ${failure.kind}`, () => {
      const parsed = parseCounts(failure.text, failure.kind);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.error.code).toBe(failure.code);
      expect(parsed.error.message).toContain(failure.shows);
    });
  }
});
