import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
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

  it("keeps only quiet records with --quiet-only", async () => {
    // A quiet move, a capture (the bishop exchange 8h2b+) and a position in check.
    const quiet = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";
    const open = "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3";
    const check = "4k3R/9/9/9/9/9/9/9/4K4 w - 1";
    const lines = [`${quiet}\t40\t7g7f\t0\t0`, `${open}\t60\t8h2b+\t2\t1`, `${check}\t-900\t5a5b\t30\t-1`, `${quiet}\t40\tnone\t0\t0`];
    await writeFile(path.join(dir, "mixed.txt"), `${lines.join("\n")}\n`);
    const run = runCli("convert", "mixed.txt", "quiet.txt", "--quiet-only", "--json");
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.records).toBe(2);
    expect(summary.skipped).toBe(2);
    const keptLines = (await readFile(path.join(dir, "quiet.txt"), "utf8")).trimEnd().split("\n");
    expect(keptLines.map((line) => line.split("\t")[2])).toEqual(["7g7f", "none"]);
  });

  it("documents formats and units in --help", () => {
    const help = runCli("convert", "--help").stdout;
    for (const text of [".bin", ".hcpe", ".txt", "40-byte", "38-byte", "side to move", "records/s", "0-based"]) {
      expect(help).toContain(text);
    }
  });
});
