import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRecord } from "../../shogi/records/index.js";
import { readRunData, type RunData } from "../../reports/run-data.js";
import { writeRunDataFixture } from "../fixtures/run-data-generator.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/run-data", import.meta.url));
const REGENERATE = process.env.REGENERATE_RUN_DATA_FIXTURE === "1";

describe.runIf(REGENERATE)("run-data fixture generator", () => {
  it("rewrites the fixture folder", () => {
    const data = writeRunDataFixture(FIXTURE);
    expect(data.games.length).toBeGreaterThan(0);
  });
});

describe("run-data fixture", () => {
  let data: RunData;
  beforeAll(() => {
    data = readRunData(FIXTURE);
  });

  it("covers modes, budgets, controls and anchors", () => {
    expect(new Set(data.variants.map((variant) => variant.mode))).toEqual(new Set(["full", "lora", "head", "surroundings"]));
    expect(new Set(data.variants.map((variant) => variant.learningRate).filter((rate) => rate !== undefined)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(data.variants.map((variant) => variant.epochs).filter((epochs) => epochs !== undefined)).size).toBeGreaterThanOrEqual(3);
    expect(data.run.budgets.map((budget) => budget.name)).toEqual(["short", "long"]);
    expect(data.controls.map((control) => control.kind).sort()).toEqual(["negative", "positive"]);
    for (const pool of data.pool) expect(pool.ratings.filter((rating) => rating.anchor).length).toBe(2);
  });

  it("shows every verdict", () => {
    const verdicts = new Set(data.variants.map((variant) => variant.verdict.verdict));
    expect(verdicts).toEqual(new Set(["improvement", "degradation", "overfitting", "no_measurable_change"]));
  });

  it("counts agree with the game list", () => {
    for (const variant of data.variants) {
      for (const result of variant.results) {
        const games = data.games.filter((game) => game.budget === result.budget && (game.black === variant.name || game.white === variant.name));
        const wins = games.filter((game) => (game.result === "black_win" && game.black === variant.name) || (game.result === "white_win" && game.white === variant.name));
        const draws = games.filter((game) => game.result === "draw");
        expect(games.length, `${variant.name} at ${result.budget}`).toBe(result.games);
        expect(wins.length, `${variant.name} wins at ${result.budget}`).toBe(result.wins);
        expect(draws.length, `${variant.name} draws at ${result.budget}`).toBe(result.draws);
      }
    }
  });

  it("every game has a KIF record that matches it", () => {
    for (const game of data.games) {
      const file = path.join(FIXTURE, ...game.kif.split("/"));
      expect(existsSync(file), file).toBe(true);
      const record = parseRecord(readFileSync(file), "kif");
      expect(record.moves.length, game.id).toBe(game.plies);
      expect(record.headers.blackName, game.id).toBe(game.black);
      expect(record.headers.whiteName, game.id).toBe(game.white);
    }
  });
});
