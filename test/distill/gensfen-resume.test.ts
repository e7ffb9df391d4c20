// A gensfen run killed with SIGKILL in the middle, then rerun with the same arguments: the
// killed run leaves a readable file, and the rerun finishes the requested games.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { PositionKeySet, setupKey } from "../../distill/gensfen-keys.js";
import { progressPath } from "../../distill/gensfen-progress.js";
import { openRecordReader } from "../../nn/data/reader.js";
import type { TeacherRecord } from "../../nn/data/record.js";
import { Position } from "../../shogi/position.js";
import { FSF_NATIVE_PATH, isExecutable } from "../../usi/reference-engines.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

const CLI = resolve("bin/shogi-lab.js");
const POLL_MS = 10;
const WAIT_LIMIT_MS = 60_000;
const GAMES = 12;
const GAMES_BEFORE_KILL = 2;

let folder: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "gensfen-resume-"));
});

afterEach(() => {
  // Each CLI run leads its own process group, so this also ends the teachers it started.
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group has already exited.
      }
    }
  }
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function startCli(args: string[]): { child: ChildProcess; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return { child, stdout: () => output, exited };
}

function gamesInProgressFile(output: string): number {
  const path = progressPath(output);
  if (!existsSync(path)) return 0;
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { gamesFinished: number }).gamesFinished;
  } catch {
    return 0;
  }
}

/** Starts the CLI and kills its whole process group once `games` games are in the output. */
async function runAndKill(args: string[], output: string, games: number): Promise<void> {
  const run = startCli(args);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (gamesInProgressFile(output) < games) {
    if (run.child.exitCode !== null) throw new Error(`gensfen exited before the kill: ${run.stdout()}`);
    if (Date.now() > deadline) throw new Error(`no ${games} games within ${WAIT_LIMIT_MS} ms: ${run.stdout()}`);
    await sleep(POLL_MS);
  }
  process.kill(-(run.child.pid as number), "SIGKILL");
  await run.exited;
}

async function runToEnd(args: string[]): Promise<{ gamesFinished: number; resumedFromGame: number; records: number }> {
  const run = startCli([...args, "--json"]);
  const code = await run.exited;
  expect(code, run.stdout()).toBe(0);
  return JSON.parse(run.stdout().trim().split("\n").at(-1) as string) as { gamesFinished: number; resumedFromGame: number; records: number };
}

async function readRecords(file: string, allowTruncatedTail: boolean): Promise<TeacherRecord[]> {
  const records: TeacherRecord[] = [];
  for await (const record of await openRecordReader(file, { allowTruncatedTail })) records.push(record);
  return records;
}

function expectUnique(records: TeacherRecord[]): void {
  const keys = new PositionKeySet();
  const scratch = new Position();
  for (const record of records) expect(keys.add(...setupKey(record.setup, scratch))).toBe(true);
}

describe("gensfen killed and resumed", () => {
  test("resumes to the requested game count", async () => {
    const output = join(folder, "fake.bin");
    const args = [
      "gensfen", "--teacher", process.execPath, `--teacher-arg=${FAKE_USI_SCRIPT}`, "--teacher-arg=--think-ms", "--teacher-arg=3",
      "--out", output, "--games", String(GAMES), "--max-plies", "40", "--skip-first-plies", "0", "--workers", "2",
    ];

    await runAndKill(args, output, GAMES_BEFORE_KILL);
    const killedGames = gamesInProgressFile(output);
    const afterKill = await readRecords(output, true);

    expect(killedGames).toBeGreaterThanOrEqual(GAMES_BEFORE_KILL);
    expect(killedGames).toBeLessThan(GAMES);
    expect(afterKill.length).toBeGreaterThan(0);

    const summary = await runToEnd(args);
    const records = await readRecords(output, false);

    expect(summary.gamesFinished).toBe(GAMES);
    expect(summary.resumedFromGame).toBe(killedGames);
    expect(summary.records).toBe(records.length);
    expect(gamesInProgressFile(output)).toBe(GAMES);
    expectUnique(records);
  }, 120_000);

  test.skipIf(!isExecutable(FSF_NATIVE_PATH))("resumed output equals an uninterrupted run", async () => {
    const common = ["gensfen", "--teacher", "fsf", "--depth", "4", "--games", "10", "--max-plies", "80"];
    const whole = join(folder, "whole.bin");
    const resumed = join(folder, "resumed.bin");

    await runToEnd([...common, "--out", whole]);
    await runAndKill([...common, "--out", resumed], resumed, GAMES_BEFORE_KILL);
    const summary = await runToEnd([...common, "--out", resumed]);

    expect(summary.resumedFromGame).toBeGreaterThanOrEqual(GAMES_BEFORE_KILL);
    expect(readFileSync(resumed).equals(readFileSync(whole))).toBe(true);
  }, 120_000);
});
