// Engine faults during tournaments, driven by the scripted fake engine: each fault ends the game
// with its named termination and a loss for the faulty engine, the engine is restarted, and the
// tournament plays every planned game.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parsePlan } from "../../arena/plan-parse.js";
import { readTournament } from "../../arena/read.js";
import type { StoredGame } from "../../arena/store.js";
import { FAULT_KINDS } from "../../arena/termination.js";
import { runTournament } from "../../arena/tournament.js";
import { FAKE_USI_SCRIPT } from "../fixtures/fake-engines/fake-engines.js";

const BYOYOMI_MS = 100;
const MARGIN_MS = 50;
const MAX_PLIES = 30;

let folder: string;
let dbCount = 0;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "arena-faults-"));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * Builds a one-pair gauntlet of a misbehaving fake engine against a well-behaved one. The fake engine
 * counts searches from its start, so a fault that does not end the process happens in the first
 * game only, unless `logDir` gives each game fresh processes.
 */
function faultPlan(flags: string[], timeouts: Record<string, number> = {}, logDir?: string) {
  return parsePlan({
    ...(logDir ? { logDir } : {}),
    name: "faults",
    engines: [
      { name: "bad", type: "command", command: process.execPath, args: [FAKE_USI_SCRIPT, ...flags], timeouts },
      { name: "good", type: "command", command: process.execPath, args: [FAKE_USI_SCRIPT, "--seed", "7"] },
    ],
    pairs: 1,
    timeControl: { type: "byoyomi", byoyomiMs: BYOYOMI_MS },
    timeMarginMs: MARGIN_MS,
    maxPlies: MAX_PLIES,
    resign: false,
    db: join(folder, `faults-${++dbCount}.sqlite`),
  });
}

function loserOf(game: StoredGame): string | undefined {
  if (game.result === "draw") return undefined;
  return game.result === "black_win" ? game.white : game.black;
}

/** Plays the plan and returns its two stored games after checking that both were played. */
async function playPair(flags: string[], timeouts?: Record<string, number>, logDir?: string): Promise<StoredGame[]> {
  const plan = faultPlan(flags, timeouts, logDir);
  const summary = await runTournament(plan);
  expect(summary.status).toBe("finished");
  expect(summary.gamesPlayed).toBe(2);
  const games = readTournament(plan.db).games;
  expect(games).toHaveLength(2);
  return games;
}

/** Plays a pair in which the faulty engine loses both games. */
async function playFaultPair(flags: string[], timeouts?: Record<string, number>, logDir?: string): Promise<StoredGame[]> {
  const games = await playPair(flags, timeouts, logDir);
  for (const game of games) expect(loserOf(game)).toBe("bad");
  return games;
}

/** Checks that the second game, played by the same engine process, ended without a fault. */
function expectNormalGame(game: StoredGame): void {
  expect(FAULT_KINDS).not.toContain(game.termination.kind);
}

/** Moves in a game whose faulty engine fails at its n-th `go`, when it plays Black or White. */
function movesBeforeFault(game: StoredGame, n: number): number {
  return game.black === "bad" ? 2 * (n - 1) : 2 * (n - 1) + 1;
}

describe("engine faults", () => {
  test("crash mid-game loses and the engine restarts", async () => {
    const games = await playFaultPair(["--crash-at-go", "3", "--exit-code", "5"]);
    for (const game of games) {
      expect(game.termination).toMatchObject({ kind: "crash", exitCode: 5 });
      // A restarted engine crashes again only at its third search of the new game.
      expect(game.plies).toBe(movesBeforeFault(game, 3));
    }
  });

  test("silence is a stall", async () => {
    const games = await playFaultPair(["--silent-at-go", "2"], { stallGraceMs: 300 });
    for (const game of games) {
      expect(game.termination.kind).toBe("stall");
      expect(game.plies).toBe(movesBeforeFault(game, 2));
    }
  });

  test("illegal move loses, with per-game logs", async () => {
    const logDir = join(folder, "logs");
    const games = await playFaultPair(["--illegal-at-go", "2"], {}, logDir);
    for (const game of games) {
      expect(game.termination).toMatchObject({ kind: "illegal-move", reason: "illegal" });
      expect(game.plies).toBe(movesBeforeFault(game, 2));
      const log = readFileSync(join(logDir, `t1-p0-g${game.gameInPair}-bad.log`), "utf8");
      expect(log).toContain(`< bestmove ${(game.termination as { move: string }).move}`);
    }
  });

  test("bestmove after the deadline is a time forfeit", async () => {
    const [first, second] = await playPair(["--late-at-go", "2", "--late-ms", "600"], { stallGraceMs: 3000 });
    expect(loserOf(first)).toBe("bad");
    const termination = first.termination;
    expect(termination.kind).toBe("time-forfeit");
    if (termination.kind !== "time-forfeit") return;
    expect(termination.allowedMs).toBe(BYOYOMI_MS + MARGIN_MS);
    expect(termination.usedMs).toBeGreaterThan(termination.allowedMs);
    // The late move is kept in the termination, not played.
    expect(termination.move).toMatch(/^[1-9][a-i][1-9][a-i]\+?$|^[PLNSBRG]\*[1-9][a-i]$/);
    expect(first.plies).toBe(movesBeforeFault(first, 2));
    expectNormalGame(second);
  });

  test("wrong win declaration loses", async () => {
    const [first, second] = await playPair(["--win-at-go", "2"]);
    expect(loserOf(first)).toBe("bad");
    expect(first.termination).toEqual({ kind: "false-declaration", rule: "csa27" });
    expect(first.plies).toBe(movesBeforeFault(first, 2));
    expectNormalGame(second);
  });

  test("missing readyok is a ready time-out", async () => {
    // The first isready follows the handshake; the second prepares the first game.
    const games = await playFaultPair(["--no-readyok-at", "2"], { readyMs: 500 });
    for (const game of games) {
      expect(game.termination.kind).toBe("ready-timeout");
      expect(game.plies).toBe(0);
    }
  });

  test("missing usiok is a handshake time-out", async () => {
    const games = await playFaultPair(["--no-usiok"], { handshakeMs: 500 });
    for (const game of games) expect(game.termination.kind).toBe("handshake-timeout");
  });
});

describe("tournament with faults", () => {
  test("faults are counted and the summary names them", async () => {
    const plan = faultPlan(["--crash-at-go", "2"]);
    const summary = await runTournament({ ...plan, pairs: 2 });
    expect(summary.gamesPlayed).toBe(4);
    expect(summary.faults).toEqual({ bad: { crash: 4 } });
    expect(summary.matches[0]).toMatchObject({ engine: "bad", opponent: "good", wins: 0, draws: 0, losses: 4, pairs: [2, 0, 0, 0, 0] });
  });
});
