// Stored games exported as KIF and CSA files, read back with the records module and replayed.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exportGames } from "../../arena/export.js";
import { parsePlan } from "../../arena/plan-parse.js";
import { recordOfGame } from "../../arena/record.js";
import { readTournament } from "../../arena/read.js";
import type { StoredGame } from "../../arena/store.js";
import type { Termination } from "../../arena/termination.js";
import { runTournament } from "../../arena/tournament.js";
import { Position } from "../../shogi/position.js";
import { type GameRecord, makeCsa, makeKif, parseRecord, readRecordFile } from "../../shogi/records/index.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { MOVE_NONE } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

const PAIRS = 3;

let folder: string;
let db: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "arena-export-"));
  db = join(folder, "arena.sqlite");
  const fake = (name: string, ...flags: string[]) => ({ name, type: "command", command: process.execPath, args: [FAKE_USI_SCRIPT, ...flags] });
  const plan = parsePlan({
    name: "export",
    // "crashy" crashes at its sixth search of every game; the other games end at the ply limit or by mate.
    engines: [fake("first", "--seed", "3"), fake("second", "--seed", "11"), fake("crashy", "--crash-at-go", "6")],
    kind: "round-robin",
    pairs: PAIRS,
    timeControl: { type: "byoyomi", byoyomiMs: 100 },
    maxPlies: 60,
    resign: false,
    db,
  });
  await runTournament(plan);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Replays the record's moves; returns the number of legal moves before the first illegal one. */
function replay(record: GameRecord): number {
  const position = Position.fromSfen(record.initialSfen);
  for (const [index, text] of record.moves.entries()) {
    const move = parseUsiMove(position, text);
    if (move === MOVE_NONE) return index;
    position.doMove(move);
  }
  return record.moves.length;
}

describe("export", () => {
  test("KIF files read back and replay as legal", async () => {
    const { files } = exportGames({ db, format: "kif", outDir: join(folder, "kif") });
    const games = readTournament(db).games;
    expect(files).toHaveLength(games.length);
    expect(games).toHaveLength(3 * 2 * PAIRS);
    for (const [index, file] of files.entries()) {
      const record = await readRecordFile(file);
      const game = games[index];
      expect(record.moves).toEqual(game.moves);
      expect(replay(record)).toBe(game.moves.length);
      expect(record.result).toBe(game.result);
      expect(record.headers.blackName).toBe(game.black);
      expect(record.headers.whiteName).toBe(game.white);
    }
  });

  test("CSA files read back with results", async () => {
    const { files } = exportGames({ db, format: "csa", outDir: join(folder, "csa"), tournamentId: 1 });
    const games = readTournament(db, 1).games;
    for (const [index, file] of files.entries()) {
      const record = await readRecordFile(file);
      expect(replay(record)).toBe(games[index].moves.length);
      expect(record.result).toBe(games[index].result);
    }
  });

  test("crashes are written as fouls of the crashed engine", async () => {
    const games = readTournament(db).games.filter((game) => game.termination.kind === "crash");
    expect(games.length).toBeGreaterThan(0);
    for (const game of games) {
      const record = parseRecord(makeKif(recordOfGame(game, { tournamentName: "t", format: "kif" })), "kif");
      expect(record.termination).toBe("illegal_move");
      expect(record.result).toBe(game.black === "crashy" ? "white_win" : "black_win");
    }
  });
});

describe("arena command", () => {
  const cli = resolve("bin/shogi-lab.js");

  test("export writes one file per game", () => {
    const out = join(folder, "cli-kif");
    const run = spawnSync(process.execPath, [cli, "arena", "export", "--db", db, "--format", "kif", "--out", out], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readdirSync(out)).toHaveLength(3 * 2 * PAIRS);
  });

  test("summary prints the stored results", () => {
    const run = spawnSync(process.execPath, [cli, "arena", "summary", "--db", db, "--json"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { gamesPlayed: number; status: string; pool: { ok: boolean } };
    expect(summary.gamesPlayed).toBe(3 * 2 * PAIRS);
    expect(summary.status).toBe("finished");
    expect(summary.pool.ok).toBe(true);
  });
});

/** Builds a stored game with the given moves and ending, from the start position unless given. */
function storedGame(moves: string, result: StoredGame["result"], termination: Termination, initialSfen = START_SFEN): StoredGame {
  const list = moves === "" ? [] : moves.split(" ");
  return {
    id: 1, tournamentId: 1, pairIndex: 0, gameInPair: 0, openingIndex: 0, opening: "startpos", black: "a", white: "b",
    result, termination, plies: list.length, openingPlies: 0, blackTimeMs: 0, whiteTimeMs: 0, initialSfen, moves: list,
    moveTimesMs: list.map(() => 10), scores: list.map(() => null), startedAt: "2026-01-02T03:04:05.000Z", finishedAt: "2026-01-02T03:05:06.000Z",
  };
}

describe("record endings", () => {
  // KIF has no word for the max-moves draw and writes it as 持将棋, which reads back as impasse.
  const cases: { name: string; game: StoredGame; kif: GameRecord["termination"]; csa: GameRecord["termination"] }[] = [
    { name: "repetition", game: storedGame("5i5h 5a5b 5h5i 5b5a ".repeat(3).trim(), "draw", { kind: "repetition" }), kif: "repetition", csa: "repetition" },
    {
      name: "perpetual check",
      game: storedGame("9b9a 5a5b 9a9b 5b5a ".repeat(3).trim(), "white_win", { kind: "perpetual-check" }, "4k4/R8/9/9/9/9/9/9/8K b - 1"),
      kif: "perpetual_check",
      csa: "perpetual_check",
    },
    { name: "max plies", game: storedGame("7g7f 3c3d", "draw", { kind: "max-plies", limit: 2 }), kif: "impasse", csa: "max_moves" },
    {
      name: "time forfeit",
      game: storedGame("7g7f", "black_win", { kind: "time-forfeit", move: "3c3d", usedMs: 900, allowedMs: 150 }),
      kif: "time_forfeit",
      csa: "time_forfeit",
    },
    {
      name: "declaration",
      game: storedGame("", "black_win", { kind: "declaration", rule: "csa27" }, "9/1R5B1/PPPPKPPPP/9/9/9/9/9/4k4 b 4G4S2N 1"),
      kif: "declaration",
      csa: "declaration",
    },
  ];

  for (const { name, game, ...expected } of cases) {
    test(`${name} round-trips through KIF and CSA`, () => {
      for (const format of ["kif", "csa"] as const) {
        const record = recordOfGame(game, { tournamentName: "t", format });
        const text = format === "kif" ? makeKif(record) : makeCsa(record, { version: "3.0" });
        const back = parseRecord(text, format);
        expect(back.termination, format).toBe(expected[format]);
        expect(back.result, format).toBe(game.result);
        expect(back.moves).toEqual(game.moves);
      }
    });
  }

  test("try by a king move is written as トライ in KIF", () => {
    const game = storedGame("5b5a", "black_win", { kind: "try", declared: false }, "9/4K4/9/9/9/9/9/9/4k4 b - 1");
    const back = parseRecord(makeKif(recordOfGame(game, { tournamentName: "t", format: "kif" })), "kif");
    expect(back.termination).toBe("try");
    expect(back.result).toBe("black_win");
    expect(back.moves).toEqual([]);
    const csa = recordOfGame(game, { tournamentName: "t", format: "csa" });
    expect(csa.termination).toBe("abort");
    expect(csa.headers.arenaResult).toBe("black_win");
  });
});
