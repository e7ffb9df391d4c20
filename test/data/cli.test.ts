import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRecordWriter } from "../../nn/data/writer.js";
import { makeSfen } from "../../shogi/sfen.js";
import { generateRecords } from "./generate.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(ROOT, "bin/shogi-lab.js");
const RECORD_COUNT = 500;

let dir = "";
const records = generateRecords(RECORD_COUNT, 99);

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "convert-cli-"));
  const writer = await openRecordWriter(path.join(dir, "a.bin"));
  for (const record of records) await writer.write(record);
  await writer.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("shogi-lab convert", () => {
  it("converts .bin to .txt with a JSON summary", async () => {
    const run = runCli("convert", "a.bin", "b.txt", "--json");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.records).toBe(RECORD_COUNT);
    expect(summary.inputFormat).toBe("psv");
    expect(summary.outputFormat).toBe("text");
    expect(summary.droppedBytes).toBe(0);
    expect(summary.recordsPerSecond).toBeGreaterThan(0);
    const lines = (await readFile(path.join(dir, "b.txt"), "utf8")).trimEnd().split("\n");
    expect(lines.length).toBe(RECORD_COUNT);
    expect(lines[7].split("\t")[0]).toBe(makeSfen(records[7].setup));
  });

  it("converts back to identical bytes", async () => {
    const run = runCli("convert", "b.txt", "c.bin");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^converted 500 records from b\.txt \(text\) to c\.bin \(psv\)/);
    expect((await readFile(path.join(dir, "c.bin"))).equals(await readFile(path.join(dir, "a.bin")))).toBe(true);
  });

  it("reports a truncated file as a JSON error", async () => {
    runCli("convert", "a.bin", "cut.bin");
    await truncate(path.join(dir, "cut.bin"), 100 * 40 + 5);
    const run = runCli("convert", "cut.bin", "cut.hcpe", "--json");
    expect(run.status).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe("truncated");
    expect(error.recordIndex).toBe(100);
    expect(error.path).toBe("cut.bin");
    const recovered = JSON.parse(runCli("convert", "cut.bin", "cut.hcpe", "--json", "--allow-truncated-tail").stdout);
    expect(recovered.records).toBe(100);
    expect(recovered.droppedBytes).toBe(5);
    expect(recovered.missingFields).toEqual(["ply"]);
  });

  it("prints the error without --json", () => {
    const run = runCli("convert", "a.bin", "b.txt");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("b.txt: the output file already exists");
  });

  it("documents formats and units in --help", () => {
    const help = runCli("convert", "--help").stdout;
    for (const text of [".bin", ".hcpe", ".txt", "40-byte", "38-byte", "side to move", "records/s", "0-based"]) {
      expect(help).toContain(text);
    }
  });
});
