// Tournament runs with fake engines: SPRT stopping, abort and resume in one process, pool
// ratings with an anchor, progress hooks and the stored engine data.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveEngine } from "../../arena/engines.js";
import { parsePlan } from "../../arena/plan-parse.js";
import { readTournament } from "../../arena/read.js";
import type { StoredGame } from "../../arena/store.js";
import { ResumeError, type TournamentProgress, runTournament } from "../../arena/tournament.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

let folder: string;
let dbCount = 0;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "arena-tournament-"));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fake(name: string, ...flags: string[]) {
  return { name, type: "command", command: process.execPath, args: [FAKE_USI_SCRIPT, ...flags] };
}

function plan(fields: Record<string, unknown>) {
  return parsePlan({
    timeControl: { type: "byoyomi", byoyomiMs: 100 },
    maxPlies: 24,
    resign: false,
    db: join(folder, `t${++dbCount}.sqlite`),
    ...fields,
  });
}

describe("tournament", () => {
  test("SPRT stops at a decision", async () => {
    // The second engine crashes at once in every game, so the first wins every pair.
    const sprtPlan = plan({
      kind: "sprt",
      engines: [fake("good"), fake("crashy", "--crash-at-go", "1")],
      pairs: 20,
      // Wide bounds, so that a handful of won pairs reach the upper bound.
      sprt: { elo0: 0, elo1: 200, model: "normalized" },
    });
    const summary = await runTournament(sprtPlan);
    expect(summary.status).toBe("finished");
    expect(summary.sprt?.decision).toBe("H1");
    expect(summary.sprt?.llr).toBeGreaterThanOrEqual(summary.sprt?.upper as number);
    expect(summary.gamesPlayed).toBeLessThan(summary.gamesPlanned);
    expect(summary.matches[0].pairs[4]).toBe(summary.gamesPlayed / 2);
  });

  test("aborted run resumes where it stopped", async () => {
    const abortPlan = plan({ engines: [fake("a", "--seed", "2"), fake("b", "--seed", "9")], pairs: 3 });
    const controller = new AbortController();
    const progress: TournamentProgress[] = [];
    const reported: StoredGame[] = [];
    const first = await runTournament(abortPlan, {
      signal: controller.signal,
      onGame: (game) => {
        reported.push(game);
        controller.abort();
      },
      onProgress: (update) => progress.push(update),
    });
    expect(reported.map((game) => [game.id, game.pairIndex, game.gameInPair])).toEqual([[1, 0, 0]]);
    expect(first.status).toBe("interrupted");
    expect(first.gamesPlayed).toBe(1);
    expect(progress.map((update) => update.gamesDone)).toEqual([0, 1]);
    expect(progress[1].gamesPerHour).toBeGreaterThan(0);

    const second = await runTournament(abortPlan);
    expect(second.tournamentId).toBe(first.tournamentId);
    expect(second.status).toBe("finished");
    expect(second.gamesThisRun).toBe(5);
    expect(second.gamesPlayed).toBe(6);
    const keys = readTournament(abortPlan.db).games.map((game) => `${game.pairIndex}/${game.gameInPair}`);
    expect(keys).toEqual(["0/0", "0/1", "1/0", "1/1", "2/0", "2/1"]);
  });

  test("rerun of a finished tournament plays nothing", async () => {
    const donePlan = plan({ engines: [fake("a"), fake("b")], pairs: 1 });
    await runTournament(donePlan);
    const again = await runTournament({ ...donePlan, concurrency: 3 });
    expect(again.gamesThisRun).toBe(0);
    expect(again.gamesPlayed).toBe(2);
  });

  test("edited opening file stops a resume", async () => {
    const openings = join(folder, "openings.txt");
    writeFileSync(openings, "7g7f 3c3d\n");
    const editedPlan = plan({ engines: [fake("a"), fake("b")], pairs: 1, openings: { path: openings } });
    await runTournament(editedPlan);
    writeFileSync(openings, "2g2f 8c8d\n");
    await expect(runTournament(editedPlan)).rejects.toThrow(ResumeError);
  });

  test("three engines get pool ratings around the anchor", async () => {
    const poolPlan = plan({
      kind: "round-robin",
      engines: [fake("a", "--seed", "4"), fake("b", "--seed", "5"), fake("c", "--crash-at-go", "3")],
      pairs: 2,
      concurrency: 2,
      anchors: { a: 1000 },
    });
    const summary = await runTournament(poolPlan);
    expect(summary.gamesPlayed).toBe(12);
    expect(summary.matches.map((match) => `${match.engine}-${match.opponent}`)).toEqual(["a-b", "a-c", "b-c"]);
    expect(summary.pool?.ok).toBe(true);
    if (!summary.pool?.ok) return;
    const byName = new Map(summary.pool.ratings.map((rating) => [rating.player, rating]));
    expect(byName.get("a")).toMatchObject({ elo: 1000, anchored: true });
    expect(byName.get("c")?.elo).toBeLessThan(1000);
  });

  test("engines are stored with their USI identity", async () => {
    const idPlan = plan({ engines: [fake("a", "--name", "First Fake"), { ...fake("b"), options: { USI_Hash: 32 } }], pairs: 1 });
    const summary = await runTournament(idPlan);
    expect(summary.engines.map((engine) => [engine.name, engine.usiName])).toEqual([["a", "First Fake"], ["b", "fake-usi"]]);
    expect(summary.engines[1].options).toEqual({ USI_Hash: 32 });
    expect(summary.engines[0].command).toEqual([process.execPath, FAKE_USI_SCRIPT, "--name", "First Fake"]);
  });

  test("our engine's model hash is read from the model card", () => {
    const modelPlan = plan({ engines: [{ name: "base", type: "ours", model: "models/base.onnx" }, { name: "m", type: "ours", model: "material" }], pairs: 1 });
    const [base, material] = modelPlan.engines.map(resolveEngine);
    expect(base.modelHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(base.config.options).toEqual({ EvalFile: resolve("models/base.onnx") });
    expect(material.modelHash).toBeUndefined();
    expect(material.config.options).toEqual({ EvalFile: "material" });
  });
});
