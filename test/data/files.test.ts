import { appendFile, mkdtemp, readFile, readdir, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertFile } from "../../nn/data/convert.js";
import { TeacherDataError } from "../../nn/data/errors.js";
import { openRecordReader, type ReadOptions } from "../../nn/data/reader.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { openRecordWriter, type WriteOptions } from "../../nn/data/writer.js";
import { makeSfen, parseSfen } from "../../shogi/sfen.js";
import { MOVE_NONE } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMoveText } from "../../shogi/usi-move.js";
import { generateRecords } from "./generate.js";

const RECORD_COUNT = 2000;
/** Small chunks, so that reads and writes cross many chunk boundaries. */
const CHUNK_RECORDS = 97;
const PSV_BYTES = 40;
const HCPE_BYTES = 38;

let dir = "";
const records = generateRecords(RECORD_COUNT, 12345);
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "teacher-data-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRecords(target: string, list: TeacherRecord[], options: WriteOptions = {}): Promise<void> {
  const writer = await openRecordWriter(target, { chunkRecords: CHUNK_RECORDS, ...options });
  for (const record of list) await writer.write(record);
  await writer.close();
}

async function readRecords(source: string, options: ReadOptions = {}): Promise<TeacherRecord[]> {
  const list: TeacherRecord[] = [];
  for await (const record of await openRecordReader(source, { chunkRecords: CHUNK_RECORDS, ...options })) list.push(record);
  return list;
}

/** Runs an action and returns the TeacherDataError it throws. */
async function dataError(action: () => Promise<unknown>): Promise<TeacherDataError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof TeacherDataError) return error;
    throw error;
  }
  throw new Error("expected a TeacherDataError");
}

function summary(record: TeacherRecord): string {
  return [makeSfen(record.setup), record.score, record.move, record.ply, record.result].join("|");
}

describe("teacher-data files", () => {
  it("reads back written .bin records", async () => {
    await writeRecords(file("all.bin"), records);
    expect((await readFile(file("all.bin"))).length).toBe(RECORD_COUNT * PSV_BYTES);
    const back = await readRecords(file("all.bin"));
    expect(back.map(summary)).toEqual(records.map(summary));
  });

  it("converts .bin -> .txt -> .bin byte-identically", async () => {
    await writeRecords(file("a.bin"), records);
    const toText = await convertFile({ input: file("a.bin"), output: file("a.txt") });
    expect(toText.records).toBe(RECORD_COUNT);
    expect(toText.missingFields).toEqual([]);
    await convertFile({ input: file("a.txt"), output: file("b.bin") });
    expect((await readFile(file("b.bin"))).equals(await readFile(file("a.bin")))).toBe(true);
    const lines = (await readFile(file("a.txt"), "utf8")).split("\n");
    expect(lines.length).toBe(RECORD_COUNT + 1);
    const first = records[0];
    const moveText = first.move === MOVE_NONE ? "none" : makeUsiMove(first.move);
    expect(lines[0]).toBe([makeSfen(first.setup), first.score, moveText, 0, first.result].join("\t"));
    expect(lines[RECORD_COUNT]).toBe("");
  });

  it("converts .hcpe -> .bin -> .hcpe byte-identically", async () => {
    // hcpe has no ply, so the round trip starts from hcpe; padding bytes are 0 on both sides.
    await writeRecords(file("c.hcpe"), records);
    expect((await readFile(file("c.hcpe"))).length).toBe(RECORD_COUNT * HCPE_BYTES);
    const toBin = await convertFile({ input: file("c.hcpe"), output: file("c.bin") });
    expect(toBin.missingFields).toEqual(["ply"]);
    await convertFile({ input: file("c.bin"), output: file("d.hcpe") });
    expect((await readFile(file("d.hcpe"))).equals(await readFile(file("c.hcpe")))).toBe(true);
    const back = await readRecords(file("c.bin"));
    expect(back.map((r) => r.ply).every((ply) => ply === 0)).toBe(true);
    expect(back.map((r) => [r.score, r.move, r.result])).toEqual(records.map((r) => [r.score, r.move, r.result]));
  });

  it("rejects a file cut mid-record and recovers its whole records", async () => {
    await writeRecords(file("cut.bin"), records.slice(0, 10));
    await truncate(file("cut.bin"), 10 * PSV_BYTES - 27);
    const error = await dataError(() => openRecordReader(file("cut.bin")));
    expect(error.code).toBe("truncated");
    expect(error.recordIndex).toBe(9);
    expect(error.message).toContain(`${file("cut.bin")}: record 9 (0-based)`);
    const reader = await openRecordReader(file("cut.bin"), { allowTruncatedTail: true });
    expect(reader.droppedBytes).toBe(13);
    expect(reader.recordCount).toBe(9);
    expect((await readRecords(file("cut.bin"), { allowTruncatedTail: true })).map(summary)).toEqual(records.slice(0, 9).map(summary));
  });

  it("rejects a text file cut mid-line and recovers its whole lines", async () => {
    await writeRecords(file("cut.txt"), records.slice(0, 10));
    const text = await readFile(file("cut.txt"), "utf8");
    await writeFile(file("cut.txt"), text.slice(0, text.length - 30));
    const error = await dataError(() => readRecords(file("cut.txt")));
    expect(error.code).toBe("truncated");
    expect(error.recordIndex).toBe(9);
    const reader = await openRecordReader(file("cut.txt"), { allowTruncatedTail: true });
    const back: TeacherRecord[] = [];
    for await (const record of reader) back.push(record);
    expect(back.map(summary)).toEqual(records.slice(0, 9).map(summary));
    expect(reader.droppedBytes).toBe(Buffer.byteLength(text.split("\n")[9]) - 29);
  });

  it("rejects an empty file unless told to accept it", async () => {
    for (const name of ["empty.bin", "empty.hcpe", "empty.txt"]) {
      await writeFile(file(name), "");
      const error = await dataError(() => openRecordReader(file(name)));
      expect(error.code).toBe("empty_file");
      expect(error.recordIndex).toBe(0);
      expect(error.message).toContain(file(name));
      expect(await readRecords(file(name), { allowTruncatedTail: true })).toEqual([]);
    }
  });

  it("names the corrupt record of a file", async () => {
    const bytes = Buffer.alloc(8 * PSV_BYTES);
    const writer = await openRecordWriter(file("corrupt.bin"));
    for (const record of records.slice(0, 8)) await writer.write(record);
    await writer.close();
    (await readFile(file("corrupt.bin"))).copy(bytes);
    bytes.fill(0xff, 5 * PSV_BYTES + 2, 5 * PSV_BYTES + 32);
    await writeFile(file("corrupt.bin"), bytes);
    const seen: TeacherRecord[] = [];
    const error = await dataError(async () => {
      for await (const record of await openRecordReader(file("corrupt.bin"))) seen.push(record);
    });
    expect(seen.length).toBe(5);
    expect(error.code).toBe("piece_count");
    expect(error.recordIndex).toBe(5);
    expect(error.message).toContain(`${file("corrupt.bin")}: record 5 (0-based)`);
  });

  it("names a record with corrupt Huffman bits", async () => {
    // Black has all 38 pieces in hand, so the hand codes start at stream bit 94; "000" becomes "011".
    const setup = parseSfen("4k4/9/9/9/9/9/9/9/4K4 b 2R2B4G4S4N4L18P 1");
    await writeRecords(file("huffman.bin"), [...records.slice(0, 3), { setup, score: 0, move: 0, ply: 0, result: 0 }]);
    const bytes = await readFile(file("huffman.bin"));
    for (const bit of [95, 96]) bytes[3 * PSV_BYTES + (bit >> 3)] |= 1 << (bit & 7);
    await writeFile(file("huffman.bin"), bytes);
    const error = await dataError(() => readRecords(file("huffman.bin")));
    expect(error.code).toBe("bad_huffman");
    expect(error.recordIndex).toBe(3);
  });

  it("rejects an illegal move unless only the format is checked", async () => {
    const illegal = { ...records[0], move: parseUsiMoveText("5a5b") };
    await writeRecords(file("move.bin"), [records[1], illegal]);
    const error = await dataError(() => readRecords(file("move.bin")));
    expect(error.code).toBe("bad_move");
    expect(error.recordIndex).toBe(1);
    expect((await readRecords(file("move.bin"), { verify: "format" })).length).toBe(2);
  });

  it("rejects a position with two pawns on a file", async () => {
    const nifu = { ...records[0], setup: parseSfen("4k4/9/9/9/9/9/4P4/9/4K4 b - 1"), move: 0 };
    nifu.setup.board[41] = nifu.setup.board[42]; // parseSfen rejects nifu, so the 5f pawn is added by hand
    await writeRecords(file("nifu.bin"), [records[0], nifu]);
    const error = await dataError(() => readRecords(file("nifu.bin")));
    expect(error.code).toBe("illegal_position");
    expect(error.recordIndex).toBe(1);
  });

  it("leaves no output when a conversion fails", async () => {
    await writeRecords(file("bad.bin"), [records[1], { ...records[0], move: parseUsiMoveText("5a5b") }]);
    const error = await dataError(() => convertFile({ input: file("bad.bin"), output: file("bad.txt") }));
    expect(error.code).toBe("bad_move");
    expect((await readdir(dir)).filter((name) => name.startsWith("bad.txt"))).toEqual([]);
  });

  it("refuses to replace an output unless allowed", async () => {
    await writeRecords(file("keep.bin"), records.slice(0, 3));
    await writeRecords(file("keep.txt"), records.slice(0, 1));
    const error = await dataError(() => convertFile({ input: file("keep.bin"), output: file("keep.txt") }));
    expect(error.code).toBe("output_exists");
    await convertFile({ input: file("keep.bin"), output: file("keep.txt"), overwrite: true });
    expect((await readRecords(file("keep.txt"))).length).toBe(3);
  });

  it("resumes appending after a killed writer", async () => {
    for (const [name, format] of [["resume.bin", "psv"], ["resume.txt", "text"]] as const) {
      const first = await openRecordWriter(file(name), { mode: "append", chunkRecords: CHUNK_RECORDS });
      expect(first.existingRecords).toBe(0);
      for (const record of records.slice(0, 150)) await first.write(record);
      await first.flush();
      await first.abort(); // a kill: flushed records stay, buffered ones are lost
      await appendFile(file(name), format === "text" ? "lnsgkgsnl/1r5b1/ppp" : Buffer.alloc(17, 0xaa));
      const second = await openRecordWriter(file(name), { mode: "append" });
      expect(second.existingRecords).toBe(150);
      expect(second.droppedBytes).toBe(format === "text" ? 19 : 17);
      for (const record of records.slice(150, 200)) await second.write(record);
      await second.close();
      expect((await readRecords(file(name))).map(summary)).toEqual(records.slice(0, 200).map(summary));
    }
  });

  it("aborting a new file leaves nothing behind", async () => {
    const writer = await openRecordWriter(file("aborted.hcpe"));
    await writer.write(records[0]);
    await writer.flush();
    await writer.abort();
    expect((await readdir(dir)).filter((name) => name.startsWith("aborted"))).toEqual([]);
  });

  it("rejects unknown extensions", async () => {
    const error = await dataError(() => openRecordReader(file("data.csv")));
    expect(error.code).toBe("unknown_format");
  });
});
