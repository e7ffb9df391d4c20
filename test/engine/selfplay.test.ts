import { describe, expect, it } from "vitest";
import { runSelfPlay } from "../../engine/selfplay.js";

describe("engine self-play over USI", () => {
  it("plays two games at once with no fouls", async () => {
    const tally = await runSelfPlay({
      // The margin is wide because other test files share the CPU; bench/selfplay.ts measures with 50 ms.
      games: 4, byoyomiMs: 100, marginMs: 250, openingPlies: 4, maxPlies: 120, seed: 7, concurrency: 2,
      engineOptions: { NetworkDelay: 30, MinimumThinkingTime: 0 },
    });
    expect(tally.games).toBe(4);
    expect(tally.moves).toBeGreaterThan(40);
    expect(tally.illegalMoves).toBe(0);
    expect(tally.timeLosses).toBe(0);
    expect(tally.engineFailures).toBe(0);
  }, 300_000);
});
