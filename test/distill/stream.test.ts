import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRecordReader } from "../../nn/data/reader.js";
import { openRecordWriter } from "../../nn/data/writer.js";
import { SlotStore, openDataFile } from "../../distill/trainer/dataset.js";
import { SampleStream } from "../../distill/trainer/stream.js";
import { type TestData, makeTestData } from "./helpers.js";

const CHUNK = 64;
const RECORDS = 1000;
let data: TestData;

beforeAll(async () => {
  data = await makeTestData("stream", RECORDS, 10, 61);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

/** Collects the record indices of one pass, in the order the stream yields them. */
async function pass(file: string, seed: number | undefined, capacity: number, skip = 0): Promise<number[]> {
  const stream = new SampleStream([await openDataFile(file, CHUNK)], CHUNK, capacity, seed);
  const out = new SlotStore(100, false);
  const order: number[] = [];
  try {
    await stream.skip(skip);
    for (let n = await stream.take(out, 100); n > 0; n = await stream.take(out, 100)) {
      for (let i = 0; i < n; i++) order.push(out.records[i]);
    }
  } finally {
    await stream.close();
  }
  return order;
}

/** Copies the test records into another format. */
async function convert(extension: string): Promise<string> {
  const target = path.join(data.folder, `train${extension}`);
  const reader = await openRecordReader(data.train);
  const writer = await openRecordWriter(target, { overwrite: true });
  for await (const record of reader) await writer.write(record);
  await writer.close();
  return target;
}

describe("trainer sample stream", () => {
  it("yields every record once per shuffled pass", async () => {
    const order = await pass(data.train, 5, 256);
    expect(order.length).toBe(RECORDS);
    expect(new Set(order).size).toBe(RECORDS);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it("repeats its order for a seed and changes it with the seed", async () => {
    expect(await pass(data.train, 5, 256)).toEqual(await pass(data.train, 5, 256));
    expect(await pass(data.train, 6, 256)).not.toEqual(await pass(data.train, 5, 256));
  });

  it("skips to a data position", async () => {
    const full = await pass(data.train, 5, 256);
    expect(await pass(data.train, 5, 256, 333)).toEqual(full.slice(333));
  });

  it("keeps file order without a seed", async () => {
    expect(await pass(data.train, undefined, 0)).toEqual(Array.from({ length: RECORDS }, (_, i) => i));
  });

  it("reads text and hcpe files", async () => {
    for (const extension of [".txt", ".hcpe"]) {
      const file = await convert(extension);
      const order = await pass(file, 9, 200);
      expect(new Set(order).size, extension).toBe(RECORDS);
    }
  });

});
