import { describe, expect, it } from "vitest";
import { allocateTime } from "../../engine/time.js";
import { BLACK, WHITE } from "../../shogi/types.js";

const OPTIONS = { networkDelayMs: 50, minimumThinkingMs: 20 };

describe("time allocation", () => {
  it("spends the byoyomi less the delay when the main time is gone", () => {
    expect(allocateTime(BLACK, { btime: 0, wtime: 0, byoyomi: 1000 }, OPTIONS)).toEqual({ softMs: 950, hardMs: 950 });
  });

  it("never plans past main time plus byoyomi", () => {
    const budget = allocateTime(WHITE, { btime: 60000, wtime: 5000, byoyomi: 100 }, OPTIONS)!;
    expect(budget.hardMs).toBeLessThanOrEqual(5000 + 100 - 50);
    expect(budget.softMs).toBeLessThanOrEqual(budget.hardMs);
    expect(budget.softMs).toBeGreaterThanOrEqual(100 - 50);
  });

  it("uses the increment of the side to move", () => {
    const black = allocateTime(BLACK, { btime: 10000, wtime: 10000, binc: 2000, winc: 0 }, OPTIONS)!;
    const white = allocateTime(WHITE, { btime: 10000, wtime: 10000, binc: 2000, winc: 0 }, OPTIONS)!;
    expect(black.softMs).toBeGreaterThan(white.softMs);
    expect(black.hardMs).toBeLessThanOrEqual(10000 + 2000 - 50);
  });

  it("keeps a tiny clock positive and within the clock", () => {
    const budget = allocateTime(BLACK, { btime: 30, wtime: 30, byoyomi: 0 }, OPTIONS)!;
    expect(budget.hardMs).toBeGreaterThanOrEqual(1);
    expect(budget.softMs).toBeLessThanOrEqual(budget.hardMs);
  });

  it("takes movetime less the delay", () => {
    expect(allocateTime(BLACK, { movetime: 500 }, OPTIONS)).toEqual({ softMs: 450, hardMs: 450 });
  });

  it("returns null without clock fields", () => {
    expect(allocateTime(BLACK, {}, OPTIONS)).toBeNull();
  });
});
