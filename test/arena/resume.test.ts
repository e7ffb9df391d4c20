// A tournament killed with SIGKILL while it plays, then run again with the same plan and
// database, ends with exactly the planned games, each pair and colour stored once.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";

const CLI = resolve("bin/shogi-lab.js");
const PLANNED_GAMES = 10;
/** Games stored before the first run is killed. */
const GAMES_BEFORE_KILL = 3;
const POLL_MS = 200;
const WAIT_FOR_GAMES_MS = 90_000;
const RESUME_TEST_TIMEOUT_MS = 240_000;

let folder: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "arena-resume-"));
  writeFileSync(join(folder, "openings.txt"), "7g7f 3c3d\n2g2f 8c8d\n7g7f 8c8d 2g2f\n");
  const plan = {
    name: "resume",
    engines: [
      { name: "a", type: "ours", model: "material", options: { USI_Hash: 16 } },
      { name: "b", type: "ours", model: "material", options: { USI_Hash: 16 } },
    ],
    games: PLANNED_GAMES,
    concurrency: 2,
    timeControl: { type: "nodes", nodes: 300 },
    maxPlies: 40,
    resign: false,
    openings: { path: "openings.txt" },
    db: "arena.sqlite",
  };
  writeFileSync(join(folder, "plan.json"), JSON.stringify(plan));
});

/** Kills each arena process group that is still alive, engines included. */
afterEach(() => {
  for (const child of children.splice(0)) killGroup(child);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group has already exited.
  }
}

/** Starts the arena CLI as the leader of a new process group, so its engines can be killed with it. */
function startArena(): ChildProcess {
  const child = spawn(process.execPath, [CLI, "arena", "--plan", join(folder, "plan.json"), "--json"], {
    cwd: folder,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

function storedGames(): { pair_index: number; game_in_pair: number }[] {
  try {
    const db = new Database(join(folder, "arena.sqlite"), { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT pair_index, game_in_pair FROM games").all() as { pair_index: number; game_in_pair: number }[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

async function waitForGames(count: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_GAMES_MS;
  while (storedGames().length < count) {
    if (child.exitCode !== null) throw new Error(`the arena exited with code ${child.exitCode} before storing ${count} games`);
    if (Date.now() > deadline) throw new Error(`fewer than ${count} games stored after ${WAIT_FOR_GAMES_MS} ms`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once("exit", (code) => done(code)));
}

function output(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

test(
  "killed tournament resumes without lost or repeated games",
  async () => {
    const first = startArena();
    await waitForGames(GAMES_BEFORE_KILL, first);
    process.kill(first.pid as number, "SIGKILL");
    await exited(first);
    killGroup(first);
    const storedBeforeRerun = storedGames().length;
    expect(storedBeforeRerun).toBeGreaterThanOrEqual(GAMES_BEFORE_KILL);
    expect(storedBeforeRerun).toBeLessThan(PLANNED_GAMES);

    const second = startArena();
    const text = output(second);
    expect(await exited(second), text.stderr()).toBe(0);
    const summary = JSON.parse(text.stdout()) as { status: string; gamesPlayed: number; gamesThisRun: number; gamesPlanned: number };
    expect(summary.status).toBe("finished");
    expect(summary.gamesPlanned).toBe(PLANNED_GAMES);
    expect(summary.gamesPlayed).toBe(PLANNED_GAMES);
    expect(summary.gamesThisRun).toBe(PLANNED_GAMES - storedBeforeRerun);

    const keys = storedGames().map((game) => `${game.pair_index}/${game.game_in_pair}`);
    expect(keys).toHaveLength(PLANNED_GAMES);
    expect(new Set(keys).size).toBe(PLANNED_GAMES);
    const expected = Array.from({ length: PLANNED_GAMES }, (_, index) => `${Math.floor(index / 2)}/${index % 2}`);
    expect([...keys].sort()).toEqual(expected.sort());
  },
  RESUME_TEST_TIMEOUT_MS,
);
