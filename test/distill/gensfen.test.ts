// Teacher self-play with Fairy-Stockfish WebAssembly (two workers, a few short games) and with
// the scripted fake engine, checked by reading the output back.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type GensfenProgress, type GensfenSummary, generateTeacherData } from "../../distill/gensfen.js";
import { type GensfenOptions, GENSFEN_DEFAULTS } from "../../distill/gensfen-options.js";
import { PositionKeySet, setupKey } from "../../distill/gensfen-keys.js";
import { progressPath } from "../../distill/gensfen-progress.js";
import type { TeacherRestart } from "../../distill/teacher.js";
import { TeacherError } from "../../distill/teacher-errors.js";
import { FSF_NATIVE_PATH, isExecutable } from "../../usi/reference-engines.js";
import { openRecordReader } from "../../nn/data/reader.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { Position } from "../../shogi/position.js";
import { BLACK, MOVE_NONE } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "gensfen-"));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function readRecords(file: string): Promise<TeacherRecord[]> {
  const records: TeacherRecord[] = [];
  for await (const record of await openRecordReader(file)) records.push(record);
  return records;
}

/** Splits the records into games at the record counts reported after each game. */
function splitGames(records: TeacherRecord[], progress: GensfenProgress[]): TeacherRecord[][] {
  const games: TeacherRecord[][] = [];
  let start = 0;
  for (const step of progress) {
    games.push(records.slice(start, step.records));
    start = step.records;
  }
  return games;
}

/** The game's result from Black's view, which every record of a game must share. */
function blackResults(game: TeacherRecord[]): number[] {
  return [...new Set(game.map((record) => (record.setup.turn === BLACK ? record.result : -record.result)))];
}

function positionOf(record: TeacherRecord): Position {
  const position = new Position();
  position.setSetup(record.setup);
  return position;
}

describe("gensfen with Fairy-Stockfish WebAssembly", () => {
  const options: GensfenOptions = {
    teacher: { teacher: "fsf-wasm" },
    budget: { kind: "depth", depth: 3 },
    output: "",
    games: 3,
    workers: 2,
    seed: 7,
    randomPlies: 6,
    maxPlies: 80,
    evalLimit: 2000,
    skipFirstPlies: 10,
  };
  let summary: GensfenSummary;
  let records: TeacherRecord[];
  const progress: GensfenProgress[] = [];

  beforeAll(async () => {
    const output = join(folder, "wasm.bin");
    summary = await generateTeacherData({ ...options, output }, { onProgress: (step) => progress.push(step) });
    records = await readRecords(output);
  }, 120_000);

  test("writes the requested games", () => {
    expect(summary.gamesFinished).toBe(3);
    expect(summary.stopped).toBe(false);
    expect(progress.map((step) => step.gamesFinished)).toEqual([1, 2, 3]);
    expect(records.length).toBe(summary.records);
    expect(records.length).toBeGreaterThan(0);
    expect(summary.totals.blackWins + summary.totals.whiteWins + summary.totals.draws).toBe(3);
  });

  test("records hold legal teacher moves", () => {
    for (const record of records) {
      const position = positionOf(record);
      expect(record.move).not.toBe(MOVE_NONE);
      expect(parseUsiMove(position, makeUsiMove(record.move))).not.toBe(MOVE_NONE);
    }
  });

  test("results follow the side to move", () => {
    const games = splitGames(records, progress);
    expect(games).toHaveLength(3);
    for (const game of games) {
      const results = blackResults(game);
      expect(results.length).toBeLessThanOrEqual(1);
      for (const record of game) expect([-1, 0, 1]).toContain(record.result);
      for (let i = 1; i < game.length; i++) expect(game[i].ply).toBeGreaterThan(game[i - 1].ply);
    }
  });

  test("filters are respected", () => {
    for (const record of records) {
      expect(record.ply).toBeGreaterThanOrEqual(options.skipFirstPlies as number);
      expect(record.ply).toBeLessThan(options.maxPlies as number);
      expect(Math.abs(record.score)).toBeLessThanOrEqual(options.evalLimit as number);
      expect(positionOf(record).inCheck()).toBe(false);
    }
  });

  test("positions are unique", () => {
    const keys = new PositionKeySet();
    const scratch = new Position();
    for (const record of records) expect(keys.add(...setupKey(record.setup, scratch))).toBe(true);
  });

  test("a finished output is not played again", async () => {
    const output = join(folder, "wasm.bin");
    const again = await generateTeacherData({ ...options, output });

    expect(again.gamesThisRun).toBe(0);
    expect(again.records).toBe(records.length);
  });

  test("other settings cannot continue an output", async () => {
    const output = join(folder, "wasm.bin");
    const failure = await generateTeacherData({ ...options, output, seed: 8, games: 4 }).catch((error: unknown) => error);

    expect((failure as TeacherError).code).toBe("progress_mismatch");
    expect((failure as TeacherError).message).toMatch(/seed: was 7, now 8/);
  });
});

describe("gensfen with a fake engine", () => {
  const fake = (...flags: string[]) => ({ teacher: process.execPath, args: [FAKE_USI_SCRIPT, ...flags] });
  const base = { budget: { kind: "depth", depth: 1 }, maxPlies: 40, skipFirstPlies: 0, randomPlies: 2 } as const;

  test("restarts a crashing teacher and finishes", async () => {
    const output = join(folder, "crash.bin");
    const restarts: TeacherRestart[] = [];

    const summary = await generateTeacherData(
      { ...base, teacher: fake("--crash-at-go", "20"), output, games: 3 },
      { onRestart: (restart) => restarts.push(restart) },
    );

    expect(summary.gamesFinished).toBe(3);
    expect(summary.restarts).toBeGreaterThan(0);
    expect(restarts.length).toBe(summary.restarts);
    expect(restarts.every((restart) => restart.reason === "crash")).toBe(true);
    expect((await readRecords(output)).length).toBe(summary.records);
  });

  test("keeps positions in check with keepChecks", async () => {
    const withChecks = await generateTeacherData({ ...base, teacher: fake(), output: join(folder, "checks.bin"), games: 4, keepChecks: true, maxPlies: 120 });
    const records = await readRecords(join(folder, "checks.bin"));

    expect(withChecks.totals.skipped.check).toBe(0);
    expect(records.some((record) => positionOf(record).inCheck())).toBe(true);
  });

  test("starts from an opening file", async () => {
    const openings = join(folder, "openings.txt");
    writeFileSync(openings, "# two openings\nposition startpos moves 7g7f 3c3d\nlnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2\n");
    const output = join(folder, "openings.bin");

    const summary = await generateTeacherData({ ...base, teacher: fake(), output, games: 2, openingFile: openings, randomPlies: 0 });
    const records = await readRecords(output);

    expect(summary.gamesFinished).toBe(2);
    expect(records[0].ply).toBe(2);
    expect(records[0].setup.turn).toBe(BLACK);
    const progress = JSON.parse(readFileSync(progressPath(output), "utf8")) as { gamesFinished: number; records: number };
    expect(progress).toMatchObject({ gamesFinished: 2, records: records.length });
  });

  test("picks random moves from MultiPV lines", async () => {
    const output = join(folder, "multipv.bin");

    const summary = await generateTeacherData({ ...base, teacher: fake(), output, games: 2, randomPlies: 4, randomMultipv: 3 });

    expect(summary.gamesFinished).toBe(2);
    expect(summary.totals.skipped.random).toBe(8);
    expect((await readRecords(output)).every((record) => record.ply >= 4)).toBe(true);
  });

  test("rejects an existing output without progress", async () => {
    const output = join(folder, "foreign.bin");
    writeFileSync(output, Buffer.alloc(40));

    const failure = await generateTeacherData({ ...base, teacher: fake(), output, games: 1 }).catch((error: unknown) => error);

    expect((failure as TeacherError).code).toBe("output_exists");
  });

  test("rejects options out of range", async () => {
    const failure = await generateTeacherData({ ...base, teacher: fake(), output: join(folder, "x.bin"), games: 0 }).catch((error: unknown) => error);

    expect((failure as TeacherError).code).toBe("invalid_option");
    expect((failure as TeacherError).message).toMatch(/--games/);
    expect(GENSFEN_DEFAULTS.evalLimit).toBe(3000);
  });
});

describe.skipIf(!isExecutable(FSF_NATIVE_PATH))("gensfen with native Fairy-Stockfish", () => {
  test("output does not depend on the worker count", async () => {
    const options = { teacher: { teacher: "fsf" }, budget: { kind: "depth", depth: 4 }, games: 4, maxPlies: 80 } as const;

    await generateTeacherData({ ...options, output: join(folder, "one.bin"), workers: 1 });
    await generateTeacherData({ ...options, output: join(folder, "two.bin"), workers: 2 });

    expect(readFileSync(join(folder, "two.bin")).equals(readFileSync(join(folder, "one.bin")))).toBe(true);
  });
});
