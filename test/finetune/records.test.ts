import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertRecords, gameRecords } from "../../finetune/records.js";
import { openRecordReader } from "../../nn/data/reader.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { makeCsa, makeKif } from "../../shogi/records/index.js";
import type { GameRecord } from "../../shogi/records/types.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { makeUsiMove } from "../../shogi/usi-move.js";

const MOVES = ["7g7f", "3c3d", "2g2f", "8c8d", "2f2e", "8d8e"];
let folder: string;

const TERMINATIONS = { black_win: "resign", white_win: "resign", draw: "draw", unknown: "abort" } as const;

/** Builds a game of `moves`. The side to move resigns, so Black wins after an odd number of moves. */
function game(result: GameRecord["result"], moves = MOVES): GameRecord {
  return { initialSfen: START_SFEN, moves, result, termination: TERMINATIONS[result], headers: {} };
}

async function readAll(file: string): Promise<TeacherRecord[]> {
  const records: TeacherRecord[] = [];
  for await (const record of await openRecordReader(file)) records.push(record);
  return records;
}

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), "shogi-lab-records-"));
  const games = path.join(folder, "games");
  mkdirSync(path.join(games, "more"), { recursive: true });
  writeFileSync(path.join(games, "a.kif"), makeKif(game("black_win", [...MOVES, "9g9f"])));
  writeFileSync(path.join(games, "b.csa"), makeCsa(game("white_win")));
  writeFileSync(path.join(games, "more", "c.kif"), makeKif(game("draw")));
  writeFileSync(path.join(games, "more", "d.kif"), makeKif(game("unknown")));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("game records as result-labelled data", () => {
  it("labels positions from the side to move", () => {
    const records = gameRecords(START_SFEN, MOVES, 1);
    expect(records).toHaveLength(MOVES.length);
    expect(records.map((r) => r.result)).toEqual([1, -1, 1, -1, 1, -1]);
    expect(records.map((r) => r.score)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(records.map((r) => makeUsiMove(r.move))).toEqual(MOVES);
    expect(records.map((r) => r.ply)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gameRecords(START_SFEN, MOVES, 0, 4).map((r) => r.ply)).toEqual([4, 5]);
  });

  it("rejects an illegal move", () => {
    expect(() => gameRecords(START_SFEN, ["7g7f", "7f7e"], 1)).toThrow(/illegal move 7f7e/);
  });

  it("converts a folder and splits by game", async () => {
    const out = path.join(folder, "tune.bin");
    const heldout = path.join(folder, "heldout.bin");
    const summary = await convertRecords({ inputs: [path.join(folder, "games")], out, heldoutOut: heldout, heldoutEvery: 2 });
    // Path order: a.kif (Black won), b.csa (White won), more/c.kif (draw), more/d.kif (no result, skipped).
    expect(summary).toEqual({
      games: 3, skippedGames: 1, records: 13, heldoutGames: 1, heldoutRecords: 6, results: { blackWins: 1, whiteWins: 1, draws: 1 },
    });
    const tune = await readAll(out);
    expect(tune.slice(0, 7).map((r) => r.result)).toEqual([1, -1, 1, -1, 1, -1, 1]);
    expect(tune.slice(7).every((r) => r.result === 0)).toBe(true);
    const held = await readAll(heldout);
    expect(held.map((r) => r.result)).toEqual([-1, 1, -1, 1, -1, 1]);
  });

  it("rejects a held-out file without an interval", async () => {
    await expect(convertRecords({ inputs: [folder], out: path.join(folder, "x.bin"), heldoutOut: path.join(folder, "y.bin") })).rejects.toThrow(/held-out/);
  });
});
