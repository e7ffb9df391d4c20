import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BookMove, bookKey, chooseBookMove, readBookFile } from "../../engine/book.js";
import { buildBook } from "../../finetune/book-builder.js";
import { bookCoverage } from "../../finetune/book-coverage.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { openRecordWriter } from "../../nn/data/writer.js";
import { Position } from "../../shogi/position.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { move16 } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { EngineDriver } from "../helpers/engine-driver.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENGINE = path.join(ROOT, "bin/usi-engine.js");
const READY_MS = 30_000;
const SEARCH_MS = 30_000;

let folder: string;
let bookFile: string;
const engines: EngineDriver[] = [];

/** Makes a record of the position after `moves` from the start, with `move` as its teacher move. */
function record(moves: string[], move: string, score: number, result: -1 | 0 | 1): TeacherRecord {
  const pos = Position.fromSfen(START_SFEN);
  for (const text of moves) pos.doMove(parseUsiMove(pos, text));
  return { setup: pos.setup(), score, move: move16(parseUsiMove(pos, move)), ply: moves.length, result };
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "shogi-lab-book-"));
  const data = path.join(folder, "data.bin");
  const writer = await openRecordWriter(data);
  // At the start position 9g9f is recorded three times and 2g2f once; after 9g9f, 1c1d twice.
  for (const entry of [
    record([], "9g9f", 40, 1), record([], "9g9f", 20, -1), record([], "9g9f", 30, 1), record([], "2g2f", 50, 0),
    record(["9g9f"], "1c1d", -30, 1), record(["9g9f"], "1c1d", -20, 1), record(["9g9f", "1c1d", "9f9e", "1d1e"], "5i5h", 0, 0),
  ]) await writer.write(entry);
  await writer.close();
  bookFile = path.join(folder, "book.json");
  const summary = await buildBook({ data: [data], out: bookFile, maxPly: 2 });
  expect(summary).toMatchObject({ records: 7, skipped: 1, positions: 2, moves: 3 });
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.kill();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function startEngine(options: string[]): Promise<EngineDriver> {
  const engine = new EngineDriver(process.execPath, [ENGINE, "material"], ROOT);
  engines.push(engine);
  engine.send("usi");
  await engine.waitFor(/^usiok$/, READY_MS);
  for (const option of options) engine.send(option);
  engine.send("isready");
  await engine.waitFor(/^readyok$/, READY_MS);
  return engine;
}

describe("opening book", () => {
  it("builder aggregates counts, scores and results", () => {
    const book = readBookFile(bookFile);
    const start = book.positions[bookKey(START_SFEN)];
    expect(start.map((entry) => entry.move)).toEqual(["9g9f", "2g2f"]);
    expect(start[0]).toMatchObject({ count: 3, score: 30, wins: 2, draws: 0, losses: 1 });
    expect(start[1]).toMatchObject({ count: 1, score: 50, wins: 0, draws: 1, losses: 0 });
  });

  it("best and weighted selection", () => {
    const moves: BookMove[] = [
      { move: "2g2f", count: 1, score: 0, wins: 1, draws: 0, losses: 0 },
      { move: "7g7f", count: 3, score: 0, wins: 0, draws: 0, losses: 3 },
    ];
    expect(chooseBookMove(moves, "best")?.move).toBe("7g7f");
    expect(chooseBookMove(moves, "weighted", () => 0.2)?.move).toBe("2g2f");
    expect(chooseBookMove(moves, "weighted", () => 0.3)?.move).toBe("7g7f");
    expect(chooseBookMove([], "best")).toBeUndefined();
  });

  it("coverage counts held-out positions in the book", async () => {
    const heldout = path.join(folder, "heldout.bin");
    const writer = await openRecordWriter(heldout);
    for (const entry of [record([], "2g2f", 0, 0), record(["9g9f"], "1c1d", 0, 0), record(["7g7f"], "3c3d", 0, 0)]) await writer.write(entry);
    await writer.close();
    expect(await bookCoverage(bookFile, heldout)).toEqual({ positions: 3, inBook: 2, agreement: 0.5 });
  });

  it("engine plays the book move at the root", async () => {
    const engine = await startEngine([`setoption name BookFile value ${bookFile}`]);
    const from = engine.lines.length;
    engine.send("position startpos moves 9g9f");
    engine.send("go btime 0 wtime 0 byoyomi 1000");
    const best = await engine.waitFor(/^bestmove /, SEARCH_MS, from);
    expect(best.text).toBe("bestmove 1c1d");
    expect(engine.matching(/^info string book move 1c1d/, from)).toHaveLength(1);
    engine.send("quit");
  });

  it("engine searches out of book", async () => {
    const engine = await startEngine([`setoption name BookFile value ${bookFile}`]);
    const from = engine.lines.length;
    engine.send("position startpos moves 7g7f");
    engine.send("go depth 2");
    await engine.waitFor(/^bestmove /, SEARCH_MS, from);
    expect(engine.matching(/^info string book/, from)).toHaveLength(0);
    expect(engine.matching(/^info .*depth [12] /, from).length).toBeGreaterThan(0);
    engine.send("quit");
  });

  it("USI_OwnBook false turns the book off", async () => {
    const engine = await startEngine([`setoption name BookFile value ${bookFile}`, "setoption name USI_OwnBook value false"]);
    const from = engine.lines.length;
    engine.send("position startpos");
    engine.send("go depth 1");
    await engine.waitFor(/^bestmove /, SEARCH_MS, from);
    expect(engine.matching(/^info string book/, from)).toHaveLength(0);
    engine.send("quit");
  });

  it("engine reports a missing book and searches", async () => {
    const missing = path.join(folder, "missing.json");
    const broken = path.join(folder, "broken.json");
    writeFileSync(broken, "{ not json");
    for (const file of [missing, broken]) {
      const engine = await startEngine([`setoption name BookFile value ${file}`]);
      const from = engine.lines.length;
      engine.send("position startpos");
      engine.send("go depth 1");
      await engine.waitFor(/^bestmove /, SEARCH_MS, from);
      expect(engine.matching(/^info string .*searching without a book/, from)).toHaveLength(1);
      engine.send("quit");
    }
  });
});
