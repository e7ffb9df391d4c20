// The schedule, opening files and the plan parser.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { batchCommand } from "../../arena/engines.js";
import { planHash } from "../../arena/identity.js";
import { OpeningError, loadOpenings, openingOrder, openingText, parseOpeningLine } from "../../arena/openings.js";
import { PlanError, parsePlan } from "../../arena/plan-parse.js";
import { parseTimeControlFlag, planFromFlags } from "../../arena/plan-flags.js";
import { type ScheduleSettings, buildSchedule, pairingsOf, plannedGameCount } from "../../arena/schedule.js";

const GAUNTLET: ScheduleSettings = {
  kind: "gauntlet",
  engines: ["base", "fsf", "gps"],
  pairs: 6,
  seed: 42,
  openingCount: 10,
  openingOrder: "random",
};

describe("schedule", () => {
  test("same seed gives the same schedule", () => {
    expect(buildSchedule(GAUNTLET)).toEqual(buildSchedule({ ...GAUNTLET }));
  });

  test("another seed gives another opening order", () => {
    const openings = (seed: number) => buildSchedule({ ...GAUNTLET, seed }).map((game) => game.openingIndex);
    expect(openings(42)).not.toEqual(openings(43));
  });

  test("pairs share an opening with colours swapped", () => {
    const schedule = buildSchedule(GAUNTLET);
    expect(schedule).toHaveLength(plannedGameCount("gauntlet", GAUNTLET.engines, GAUNTLET.pairs));
    for (let i = 0; i < schedule.length; i += 2) {
      const [first, second] = [schedule[i], schedule[i + 1]];
      expect(second.pairIndex).toBe(first.pairIndex);
      expect([first.gameInPair, second.gameInPair]).toEqual([0, 1]);
      expect(second.openingIndex).toBe(first.openingIndex);
      expect([second.black, second.white]).toEqual([first.white, first.black]);
    }
  });

  test("every pairing plays each round from one opening", () => {
    const schedule = buildSchedule(GAUNTLET);
    for (let round = 0; round < GAUNTLET.pairs; round++) {
      const games = schedule.filter((game) => game.round === round);
      expect(games).toHaveLength(4);
      expect(new Set(games.map((game) => game.openingIndex)).size).toBe(1);
    }
  });

  test("openings are used once before any repeats", () => {
    const schedule = buildSchedule({ ...GAUNTLET, engines: ["a", "b"], pairs: 10 });
    const firstGames = schedule.filter((game) => game.gameInPair === 0);
    expect(new Set(firstGames.map((game) => game.openingIndex)).size).toBe(10);
  });

  test("indices number the games in order", () => {
    expect(buildSchedule(GAUNTLET).map((game) => game.index)).toEqual([...Array(24).keys()]);
  });

  test("gauntlet and round robin pairings", () => {
    expect(pairingsOf("gauntlet", ["a", "b", "c"])).toEqual([["a", "b"], ["a", "c"]]);
    expect(pairingsOf("round-robin", ["a", "b", "c"])).toEqual([["a", "b"], ["a", "c"], ["b", "c"]]);
    expect(pairingsOf("sprt", ["a", "b"])).toEqual([["a", "b"]]);
  });

  test("opening order is a permutation", () => {
    const order = openingOrder(50, 7, "random");
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(openingOrder(5, 7, "sequential")).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("openings", () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "arena-openings-"));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test("line forms parse", () => {
    expect(parseOpeningLine("7g7f 3c3d")).toEqual({ moves: ["7g7f", "3c3d"] });
    expect(parseOpeningLine("position startpos moves 2g2f")).toEqual({ moves: ["2g2f"] });
    expect(parseOpeningLine("startpos")).toEqual({ moves: [] });
    expect(parseOpeningLine("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1 moves 7g7f")).toEqual({ moves: ["7g7f"] });
    const sfen = "4k4/9/4P4/9/9/9/9/9/4K4 b G 1";
    expect(parseOpeningLine(`sfen ${sfen}`)).toEqual({ sfen, moves: [] });
    expect(openingText({ sfen, moves: ["5i5h"] })).toBe(`sfen ${sfen} moves 5i5h`);
  });

  test("file is cut, checked and de-duplicated", async () => {
    const path = join(folder, "book.txt");
    writeFileSync(path, "# comment\n7g7f 3c3d 2g2f\n\nstartpos moves 7g7f 3c3d 6g6f\n2g2f 8c8d\n");
    const openings = await loadOpenings({ path, plies: 2, order: "random" });
    expect(openings.map(openingText)).toEqual(["startpos moves 7g7f 3c3d", "startpos moves 2g2f 8c8d"]);
  });

  test("illegal opening names file and line", async () => {
    const path = join(folder, "bad.txt");
    writeFileSync(path, "7g7f\n7g7f 7g7f\n");
    await expect(loadOpenings({ path, order: "random" })).rejects.toThrow(OpeningError);
    await expect(loadOpenings({ path, order: "random" })).rejects.toThrow(/bad\.txt:2: move 2 "7g7f" is not legal/);
  });

  test("opening that ends the game is rejected", async () => {
    const path = join(folder, "mate.txt");
    writeFileSync(path, "sfen 4k4/9/4P4/9/9/9/9/9/4K4 b G 1 moves G*5b\n");
    await expect(loadOpenings({ path, order: "random" })).rejects.toThrow(/no legal move/);
  });
});

describe("plan", () => {
  const engines = [
    { name: "base", type: "ours", model: "material" },
    { name: "fsf", type: "reference", profile: "fsf-wasm" },
  ];

  test("defaults are filled in", () => {
    const plan = parsePlan({ engines, games: 10, timeControl: { type: "nodes", nodes: 1000 } }, "/tmp");
    expect(plan).toMatchObject({
      kind: "gauntlet", pairs: 5, concurrency: 1, seed: 1, maxPlies: 320, mateOnLastPlyCounts: true,
      enteringKingRule: "csa27", timeMarginMs: 0, db: "/tmp/arena.sqlite", resign: { moves: 4, winProbability: 0.02 },
    });
    expect(plan.engines[0]).toMatchObject({ type: "ours", model: "material", scoreScale: 600, options: {} });
  });

  test("invalid plans name the field", () => {
    const base = { engines, timeControl: { type: "nodes", nodes: 1000 } };
    expect(() => parsePlan({ ...base, games: 7 })).toThrow(/plan.games: 7 is odd/);
    expect(() => parsePlan({ ...base, pairs: 2, colour: true })).toThrow(/unknown field "colour"/);
    expect(() => parsePlan({ ...base, pairs: 2, kind: "sprt" })).toThrow(/needs sprt settings/);
    expect(() => parsePlan({ ...base, pairs: 2, timeControl: { type: "byoyomi" } })).toThrow(/plan.timeControl.byoyomiMs: expected a number/);
    expect(() => parsePlan({ ...base, pairs: 2, engines: [engines[0], engines[0]] })).toThrow(PlanError);
    expect(() => parsePlan({ ...base, pairs: 2, anchors: { gps: 2000 } })).toThrow(/"gps" is not the name/);
  });

  test("run-only fields do not change the identity", () => {
    const base = { engines, pairs: 2, timeControl: { type: "nodes", nodes: 1000 } };
    const hash = planHash(parsePlan(base, "/tmp"));
    expect(planHash(parsePlan({ ...base, concurrency: 4, db: "other.sqlite", logDir: "logs" }, "/tmp"))).toBe(hash);
    expect(planHash(parsePlan({ ...base, seed: 2 }, "/tmp"))).not.toBe(hash);
  });

  test("flags build a plan", () => {
    const plan = planFromFlags(
      { engine: ["a=ours:material", "b=fsf-wasm"], engineOption: ["a.NetworkDelay=20"], games: 4, tc: "byoyomi=1000,main=5000", resign: false, db: "x.sqlite" },
      "/work",
    );
    expect(plan.engines.map((engine) => engine.type)).toEqual(["ours", "reference"]);
    expect(plan.engines[0].options).toEqual({ NetworkDelay: 20 });
    expect(plan.timeControl).toEqual({ type: "byoyomi", byoyomiMs: 1000, mainMs: 5000 });
    expect(plan.resign).toBe(false);
    expect(plan.db).toBe("/work/x.sqlite");
    expect(parseTimeControlFlag("fischer=60000+1000")).toEqual({ type: "fischer", mainMs: 60000, incrementMs: 1000 });
  });
});

describe("engine commands", () => {
  test("batch files run through cmd.exe on Windows", () => {
    expect(batchCommand("C:\\engines\\yane.bat", ["a"], "win32")).toEqual({ command: "cmd.exe", args: ["/d", "/s", "/c", "C:\\engines\\yane.bat", "a"] });
    expect(batchCommand("C:\\engines\\yane.exe", [], "win32")).toEqual({ command: "C:\\engines\\yane.exe", args: [] });
    expect(batchCommand("/usr/games/run.bat", [], "linux")).toEqual({ command: "/usr/games/run.bat", args: [] });
  });
});
