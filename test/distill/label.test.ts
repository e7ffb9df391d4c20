// Labelling positions from a folder of KIF records (with Fairy-Stockfish WebAssembly), from a
// .bin file and from a position list (with the scripted fake engine).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LabelSummary, labelPositions } from "../../distill/label.js";
import { TeacherError } from "../../distill/teacher-errors.js";
import { openRecordReader } from "../../nn/data/reader.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { openRecordWriter } from "../../nn/data/writer.js";
import { type GameRecord, makeKif } from "../../shogi/records/index.js";
import { Position } from "../../shogi/position.js";
import { START_SFEN, makeSfen } from "../../shogi/sfen.js";
import { BLACK, MOVE_NONE } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";
import { buildPosition } from "../../usi/search-result.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

/** Black resigns after four moves. */
const RESIGNED: GameRecord = {
  initialSfen: START_SFEN, moves: ["7g7f", "3c3d", "8h2b+", "3a2b"], result: "white_win", termination: "resign", headers: {},
};
/** Black mates at once with a gold drop; the final position has no legal move. */
const MATED: GameRecord = {
  initialSfen: "4k4/9/4P4/9/9/9/9/9/4K4 b G 1", moves: ["G*5b"], result: "black_win", termination: "checkmate", headers: {},
};

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "label-"));
  mkdirSync(join(folder, "kif", "nested"), { recursive: true });
  writeFileSync(join(folder, "kif", "a-resigned.kif"), makeKif(RESIGNED));
  writeFileSync(join(folder, "kif", "nested", "b-mated.kif"), makeKif(MATED));
  writeFileSync(join(folder, "kif", "notes.md"), "not a record\n");
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function readRecords(file: string): Promise<TeacherRecord[]> {
  const records: TeacherRecord[] = [];
  for await (const record of await openRecordReader(file)) records.push(record);
  return records;
}

function sfenOf(record: TeacherRecord): string {
  return makeSfen({ ...record.setup, moveNumber: 1 });
}

function expectLegalMove(record: TeacherRecord): void {
  const position = new Position();
  position.setSetup(record.setup);
  expect(record.move).not.toBe(MOVE_NONE);
  expect(parseUsiMove(position, makeUsiMove(record.move))).not.toBe(MOVE_NONE);
}

const fake = { teacher: process.execPath, args: [FAKE_USI_SCRIPT] };

describe("label a KIF folder with Fairy-Stockfish WebAssembly", () => {
  let summary: LabelSummary;
  let records: TeacherRecord[];

  beforeAll(async () => {
    const output = join(folder, "kif.bin");
    summary = await labelPositions({ teacher: { teacher: "fsf-wasm" }, budget: { kind: "depth", depth: 2 }, inputs: [join(folder, "kif")], output });
    records = await readRecords(output);
  }, 60_000);

  test("labels every position but the mated one", () => {
    expect(summary.files).toBe(2);
    expect(summary.skipped.terminal).toBe(1);
    expect(records).toHaveLength(RESIGNED.moves.length + 1 + MATED.moves.length);
  });

  test("keeps record order, plies and results", () => {
    const expected = [
      ...[0, 1, 2, 3, 4].map((index) => ({ record: RESIGNED, index })),
      { record: MATED, index: 0 },
    ];
    expected.forEach(({ record, index }, i) => {
      const position = buildPosition({ sfen: record.initialSfen, moves: record.moves.slice(0, index) });
      expect(sfenOf(records[i])).toBe(makeSfen({ ...position.setup(), moveNumber: 1 }));
      expect(records[i].ply).toBe(index);
      const blackWon = record.result === "black_win";
      expect(records[i].result).toBe((position.turn === BLACK) === blackWon ? 1 : -1);
    });
  });

  test("stores legal teacher moves and a mate score", () => {
    for (const record of records) expectLegalMove(record);
    // The teacher finds the gold drop and reports mate in one ply.
    expect(makeUsiMove(records[5].move)).toBe("G*5b");
    expect(records[5].score).toBe(32000 - 1);
  });
});

describe("label teacher data and position lists", () => {
  test("relabels a .bin file, keeping ply and result", async () => {
    const input = join(folder, "input.bin");
    const positions = ["7g7f", "2g2f", "6i7h"].map((move, index) => ({ sfen: undefined, moves: [move], ply: 40 + index }));
    const writer = await openRecordWriter(input);
    for (const [index, entry] of positions.entries()) {
      const position = buildPosition(entry);
      await writer.write({ setup: position.setup(), score: 123, move: MOVE_NONE, ply: entry.ply, result: index === 1 ? 0 : -1 });
    }
    await writer.close();
    const output = join(folder, "relabelled.bin");

    const summary = await labelPositions({ teacher: fake, budget: { kind: "depth", depth: 1 }, inputs: [input], output, workers: 2 });
    const records = await readRecords(output);

    expect(summary.records).toBe(3);
    expect(records.map((record) => record.ply)).toEqual([40, 41, 42]);
    expect(records.map((record) => record.result)).toEqual([-1, 0, -1]);
    expect(records.map((record) => record.score)).toEqual([0, 0, 0]);
    records.forEach((record, index) => {
      expect(sfenOf(record)).toBe(makeSfen({ ...buildPosition(positions[index]).setup(), moveNumber: 1 }));
      expectLegalMove(record);
    });
  });

  test("reads SFEN and USI lines, once each with unique", async () => {
    const input = join(folder, "positions.sfen");
    writeFileSync(input, `${START_SFEN}\nposition startpos\nposition startpos moves 7g7f\n\n# comment\n`);
    const output = join(folder, "positions.txt");

    const summary = await labelPositions({ teacher: fake, budget: { kind: "nodes", nodes: 100 }, inputs: [input], output, unique: true });
    const records = await readRecords(output);

    expect(summary.skipped.duplicate).toBe(1);
    expect(records.map((record) => record.ply)).toEqual([0, 1]);
    expect(records.every((record) => record.result === 0)).toBe(true);
  });

  test("reports an illegal input line", async () => {
    const input = join(folder, "bad.sfen");
    writeFileSync(input, "position startpos moves 7g7f 7g7f\n");

    const failure = await labelPositions({ teacher: fake, budget: { kind: "depth", depth: 1 }, inputs: [input], output: join(folder, "bad.bin") })
      .catch((error: unknown) => error);

    expect((failure as TeacherError).code).toBe("invalid_input");
    expect((failure as TeacherError).message).toMatch(/bad\.sfen:1/);
  });
});
