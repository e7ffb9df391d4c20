import { describe, expect, it } from "vitest";
import {
  bootstrapPool,
  compareRatings,
  eloToScore,
  fitPool,
  type PoolFit,
  type PoolFitResult,
  type PoolResult,
} from "../../arena/stats/index.js";

/** Natural-log odds per Elo point. */
const K = Math.LN10 / 400;

function result(player: string, opponent: string, points: number, games: number): PoolResult {
  return { player, opponent, points, games };
}

function fitted(outcome: PoolFitResult): PoolFit {
  if (!outcome.ok) throw new Error(`fit failed: ${outcome.error.message}`);
  return outcome.value;
}

function eloOf(fit: PoolFit, player: string): number {
  const rating = fit.ratings.find((entry) => entry.player === player);
  if (rating === undefined) throw new Error(`no rating for ${player}`);
  return rating.elo;
}

/** Results whose score fractions match the given ratings exactly, so the fit must return them. */
function consistentPool(ratings: Record<string, number>, games: number): PoolResult[] {
  const names = Object.keys(ratings);
  const results: PoolResult[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const expected = eloToScore(ratings[names[i]] - ratings[names[j]]);
      results.push(result(names[i], names[j], games * expected, games));
    }
  }
  return results;
}

/** Single games: `wins` wins, `draws` draws and `losses` losses of `player`. */
function games(player: string, opponent: string, wins: number, draws: number, losses: number): PoolResult[] {
  return [
    ...Array.from({ length: wins }, () => result(player, opponent, 1, 1)),
    ...Array.from({ length: draws }, () => result(player, opponent, 0.5, 1)),
    ...Array.from({ length: losses }, () => result(player, opponent, 0, 1)),
  ];
}

describe("fitPool", () => {
  for (const fraction of [0.5, 0.7, 0.9, 0.25]) {
    it(`two players scoring ${fraction}`, () => {
      const fit = fitted(fitPool([result("A", "B", 100 * fraction, 100)], { virtualDraws: 0 }));
      const expected = 400 * Math.log10(fraction / (1 - fraction));
      expect(eloOf(fit, "A") - eloOf(fit, "B")).toBeCloseTo(expected, 6);
      expect(eloOf(fit, "A") + eloOf(fit, "B")).toBeCloseTo(0, 9);
    });
  }

  it("two players: Fisher standard error", () => {
    const fit = fitted(fitPool([result("A", "B", 70, 100)], { virtualDraws: 0 }));
    const comparison = compareRatings(fit, "A", "B");
    expect(comparison.standardError).toBeCloseTo(1 / (K * Math.sqrt(100 * 0.7 * 0.3)), 6);
    expect(fit.ratings[0].elo95).toBeCloseTo(1.959964 * fit.ratings[0].standardError, 4);
  });

  it("virtual draw shifts the score", () => {
    const fit = fitted(fitPool([result("A", "B", 7, 10)], { virtualDraws: 1 }));
    const expected = 400 * Math.log10(7.5 / 3.5);
    expect(eloOf(fit, "A") - eloOf(fit, "B")).toBeCloseTo(expected, 6);
  });

  it("three consistent players", () => {
    const truth = { A: 150, B: 50, C: 0 };
    const fit = fitted(fitPool(consistentPool(truth, 1000), { virtualDraws: 0 }));
    const mean = (150 + 50 + 0) / 3;
    expect(eloOf(fit, "A")).toBeCloseTo(150 - mean, 6);
    expect(eloOf(fit, "B")).toBeCloseTo(50 - mean, 6);
    expect(eloOf(fit, "C")).toBeCloseTo(0 - mean, 6);
  });

  it("anchor fixes the scale origin", () => {
    const truth = { A: 150, B: 50, C: 0 };
    const anchors = [{ player: "C", elo: 1500 }];
    const fit = fitted(fitPool(consistentPool(truth, 1000), { virtualDraws: 0, anchors }));
    expect(eloOf(fit, "C")).toBe(1500);
    expect(eloOf(fit, "A")).toBeCloseTo(1650, 6);
    expect(eloOf(fit, "B")).toBeCloseTo(1550, 6);
    const anchor = fit.ratings.find((rating) => rating.player === "C");
    expect(anchor?.anchored).toBe(true);
    expect(anchor?.standardError).toBe(0);
  });

  it("two anchors stay pinned", () => {
    const results = [result("A", "B", 60, 100), result("B", "C", 55, 100), result("A", "C", 50, 100)];
    const anchors = [
      { player: "A", elo: 0 },
      { player: "C", elo: 100 },
    ];
    const fit = fitted(fitPool(results, { anchors }));
    expect(eloOf(fit, "A")).toBe(0);
    expect(eloOf(fit, "C")).toBe(100);
    expect(eloOf(fit, "B")).toBeGreaterThan(-100);
    expect(eloOf(fit, "B")).toBeLessThan(100);
  });

  it("mean is 0 without anchors", () => {
    const results = [result("A", "B", 13, 20), result("B", "C", 8, 20), result("C", "D", 11, 20), result("D", "A", 5, 20)];
    const fit = fitted(fitPool(results));
    const mean = fit.ratings.reduce((total, rating) => total + rating.elo, 0) / fit.ratings.length;
    expect(mean).toBeCloseTo(0, 9);
    for (const row of fit.covariance) {
      expect(row.reduce((total, value) => total + value, 0)).toBeCloseTo(0, 6);
    }
  });

  it("perfect score stays finite", () => {
    const fit = fitted(fitPool([result("A", "B", 10, 10), result("B", "C", 5, 10)]));
    for (const rating of fit.ratings) {
      expect(Number.isFinite(rating.elo)).toBe(true);
      expect(Number.isFinite(rating.standardError)).toBe(true);
    }
    expect(eloOf(fit, "A") - eloOf(fit, "B")).toBeCloseTo(400 * Math.log10(10.5 / 0.5), 6);
  });

  it("perfect score without prior fails", () => {
    const outcome = fitPool([result("A", "B", 10, 10), result("B", "C", 5, 10)], { virtualDraws: 0 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("unbounded");
    expect(outcome.error.groups).toEqual([["B", "C"]]);
    expect(outcome.error.message).toContain("[B, C] lost every game");
  });

  it("disconnected pool is reported", () => {
    const outcome = fitPool([result("A", "B", 5, 10), result("C", "D", 3, 10), result("D", "E", 6, 10)]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("disconnected");
    expect(outcome.error.groups).toEqual([
      ["A", "B"],
      ["C", "D", "E"],
    ]);
    expect(outcome.error.message).toContain("[A, B], [C, D, E]");
  });

  it("unknown anchor is reported", () => {
    const outcome = fitPool([result("A", "B", 5, 10)], { anchors: [{ player: "X", elo: 0 }] });
    expect(outcome.ok ? null : outcome.error.code).toBe("unknown-anchor");
  });

  const invalid = [
    { name: "points above games", entry: result("A", "B", 11, 10) },
    { name: "negative points", entry: result("A", "B", -1, 10) },
    { name: "zero games", entry: result("A", "B", 0, 0) },
    { name: "self play", entry: result("A", "A", 1, 2) },
  ];
  for (const { name, entry } of invalid) {
    it(`rejects ${name}`, () => {
      const outcome = fitPool([result("A", "C", 1, 2), entry]);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.code).toBe("invalid-result");
      expect(outcome.error.message).toContain("index 1");
    });
  }

  it("counts games and points", () => {
    const fit = fitted(fitPool([result("A", "B", 1.5, 2), result("B", "A", 2, 2), result("A", "C", 0.5, 2)]));
    expect(fit.ratings.map(({ player, games, points }) => ({ player, games, points }))).toEqual([
      { player: "A", games: 6, points: 2 },
      { player: "B", games: 4, points: 2.5 },
      { player: "C", games: 2, points: 1.5 },
    ]);
  });
});

describe("compareRatings", () => {
  it("LOS follows the difference", () => {
    const fit = fitted(fitPool([result("A", "B", 70, 100)], { virtualDraws: 0 }));
    const ab = compareRatings(fit, "A", "B");
    const ba = compareRatings(fit, "B", "A");
    expect(ab.los).toBeGreaterThan(0.99);
    expect(ab.los + ba.los).toBeCloseTo(1, 12);
  });

  it("rejects unknown players", () => {
    const fit = fitted(fitPool([result("A", "B", 7, 10)]));
    expect(() => compareRatings(fit, "A", "Z")).toThrow(/"Z"/);
  });
});

describe("bootstrapPool", () => {
  const results = [...games("A", "B", 30, 0, 20), ...games("B", "C", 28, 0, 22), ...games("A", "C", 33, 0, 17)];

  it("is deterministic under a seed", () => {
    const first = bootstrapPool(results, {}, { seed: 42, replicates: 200 });
    const second = bootstrapPool(results, {}, { seed: 42, replicates: 200 });
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
  });

  it("depends on the seed", () => {
    const first = bootstrapPool(results, {}, { seed: 1, replicates: 200 });
    const second = bootstrapPool(results, {}, { seed: 2, replicates: 200 });
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.value.ratings[0].standardError).not.toBe(first.value.ratings[0].standardError);
  });

  it("agrees with Fisher without draws", () => {
    const fit = fitted(fitPool(results));
    const boot = bootstrapPool(results, {}, { seed: 7, replicates: 400 });
    expect(boot.ok).toBe(true);
    if (!boot.ok) return;
    expect(boot.value.replicates).toBe(400);
    boot.value.ratings.forEach((rating, index) => {
      const fisher = fit.ratings[index].standardError;
      expect(rating.standardError / fisher).toBeGreaterThan(0.75);
      expect(rating.standardError / fisher).toBeLessThan(1.25);
      expect(rating.lower).toBeLessThan(fit.ratings[index].elo);
      expect(rating.upper).toBeGreaterThan(fit.ratings[index].elo);
    });
  });

  it("anchors have no spread", () => {
    const boot = bootstrapPool(results, { anchors: [{ player: "C", elo: 2000 }] }, { seed: 3, replicates: 100 });
    expect(boot.ok).toBe(true);
    if (!boot.ok) return;
    const anchor = boot.value.ratings.find((rating) => rating.player === "C");
    expect(anchor).toEqual({ player: "C", standardError: 0, lower: 2000, upper: 2000 });
  });

  it("skips unbounded replicates without prior", () => {
    const lopsided = [...games("A", "B", 9, 0, 1), ...games("B", "C", 5, 0, 5)];
    const boot = bootstrapPool(lopsided, { virtualDraws: 0 }, { seed: 5, replicates: 100 });
    expect(boot.ok).toBe(true);
    if (!boot.ok) return;
    expect(boot.value.skipped).toBeGreaterThan(0);
    expect(boot.value.replicates + boot.value.skipped).toBe(100);
  });

  it("rejects a disconnected pool", () => {
    const outcome = bootstrapPool([result("A", "B", 1, 2), result("C", "D", 1, 2)], {}, { seed: 1 });
    expect(outcome.ok ? null : outcome.error.code).toBe("disconnected");
  });
});
