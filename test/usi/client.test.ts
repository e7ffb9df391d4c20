// UsiClient against the real Fairy-Stockfish WebAssembly engine (started once, because each start
// costs about 1.5 s and 300 MB) and against the scripted fake engine for every misbehaviour.

import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { Position } from "../../shogi/position.js";
import { START_SFEN } from "../../shogi/sfen.js";
import { MOVE_NONE } from "../../shogi/types.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { type UsiClientConfig, UsiClient } from "../../usi/client.js";
import { fsfWasmEngine } from "../../usi/reference-engines.js";
import type { MateResult, PositionSpec, SearchResult } from "../../usi/search-result.js";
import { fakeEngine } from "../fixtures/fake-engines/fake-engines.js";

/** A stopped search must reply within this many milliseconds. */
const PROMPT_STOP_MS = 1_500;
/**
 * Time-out for the reply that a misbehaving engine never sends. Waits for replies that do come
 * keep their defaults, because starting Node on shared CPUs can take longer than this.
 */
const SHORT_TIMEOUT_MS = 400;
const START = { moves: [] } satisfies PositionSpec;
const MATE_IN_ONE = { sfen: "4k4/9/4P4/9/9/9/9/9/9 b G 1", moves: [] } satisfies PositionSpec;

function isLegal(position: PositionSpec, move: string): boolean {
  const board = Position.fromSfen(position.sfen ?? START_SFEN);
  for (const text of position.moves) board.doMove(parseUsiMove(board, text));
  return parseUsiMove(board, move) !== MOVE_NONE;
}

function bestMoveOf(result: SearchResult | MateResult | undefined): string {
  if (result?.kind !== "bestmove") throw new Error(`expected a bestmove result, got ${JSON.stringify(result)}`);
  return result.bestmove;
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("client with Fairy-Stockfish WebAssembly", () => {
  let client: UsiClient;
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "usi-client-"));
    client = new UsiClient({
      ...fsfWasmEngine(),
      name: "fsf-wasm",
      options: { USI_Hash: 32, Threads: 1, NoSuchOption: 5 },
      logFile: join(folder, "fsf.log"),
    });
  });

  afterAll(async () => {
    await client.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  test("handshake lists id and options", async () => {
    const started = await client.start();

    expect(started.kind).toBe("ready");
    if (started.kind !== "ready") return;
    expect(started.id.name).toMatch(/^Fairy-Stockfish/);
    expect(started.id.author).toBe("Fabian Fichter");
    expect(started.options).toContainEqual({ kind: "option", name: "USI_Ponder", type: "check", default: false });
    expect(started.options.find((option) => option.name === "USI_Hash")?.type).toBe("spin");
    expect(started.warnings).toEqual(["option 'NoSuchOption' is not declared by the engine; not sent"]);
    expect(client.state).toBe("idle");
  });

  test("newGame gets readyok", async () => {
    expect(await client.newGame()).toEqual({ kind: "readyok" });
  });

  test("go nodes returns a legal move with infos", async () => {
    const result = await client.go(START, { nodes: 3_000 });

    expect(isLegal(START, bestMoveOf(result))).toBe(true);
    if (result.kind !== "bestmove") return;
    expect(result.infos.length).toBeGreaterThan(0);
    expect(result.infos[0].pv?.[0]).toBe(result.bestmove);
    expect(result.score?.kind).toBe("cp");
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  test("go depth returns a legal move", async () => {
    const position = { moves: ["7g7f", "3c3d", "2g2f"] };
    const result = await client.go(position, { depth: 4 });

    expect(isLegal(position, bestMoveOf(result))).toBe(true);
    if (result.kind === "bestmove") expect(result.infos.at(-1)?.depth).toBeGreaterThanOrEqual(1);
  });

  test("go byoyomi returns a legal move in time", async () => {
    const position = { moves: ["7g7f"] };
    const result = await client.go(position, { btime: 0, wtime: 0, byoyomi: 300 });

    expect(isLegal(position, bestMoveOf(result))).toBe(true);
    if (result.kind === "bestmove") expect(result.elapsedMs).toBeLessThan(3_000);
  });

  test("go ponder then ponderhit returns a legal move", async () => {
    const position = { moves: ["7g7f", "3c3d"] };
    const search = client.go(position, { ponder: true, btime: 0, wtime: 0, byoyomi: 300 });
    await sleep(200);

    expect(client.state).toBe("searching");
    expect(client.ponderhit()).toBe(true);
    const result = await search;
    expect(isLegal(position, bestMoveOf(result))).toBe(true);
    if (result.kind !== "bestmove") return;
    expect(result.sincePonderhitMs).toBeDefined();
    expect(result.elapsedMs).toBeGreaterThanOrEqual(result.sincePonderhitMs ?? Infinity);
  });

  test("stop ends go infinite promptly", async () => {
    const search = client.go(START, { infinite: true });
    await sleep(300);
    const stoppedAt = performance.now();
    const result = await client.stop();

    expect(performance.now() - stoppedAt).toBeLessThan(PROMPT_STOP_MS);
    expect(isLegal(START, bestMoveOf(result))).toBe(true);
    expect(await search).toBe(result);
  });

  test("quit exits with code 0 and the log has both directions", async () => {
    const quit = await client.quit();

    expect(quit).toEqual({ exit: { code: 0, signal: null }, killed: false });
    const log = readFileSync(join(folder, "fsf.log"), "utf8");
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z fsf-wasm # started /m);
    expect(log).toContain(" fsf-wasm > setoption name USI_Hash value 32\n");
    expect(log).toContain(" fsf-wasm < usiok\n");
    expect(log).toContain(" fsf-wasm > go infinite\n");
    expect(log).toContain(" fsf-wasm # option 'NoSuchOption' is not declared by the engine; not sent\n");
  });
});

describe("client with misbehaving fake engines", () => {
  const clients: UsiClient[] = [];

  function makeClient(config: UsiClientConfig): UsiClient {
    const client = new UsiClient(config);
    clients.push(client);
    return client;
  }

  async function startedClient(options: string[], timeouts: UsiClientConfig["timeouts"] = {}): Promise<UsiClient> {
    const client = makeClient({ ...fakeEngine(...options), timeouts });
    expect((await client.start()).kind).toBe("ready");
    return client;
  }

  /** Restarts the client and checks that its engine plays a legal move again. */
  async function expectWorkingAfterRestart(client: UsiClient): Promise<void> {
    expect((await client.restart()).kind).toBe("ready");
    expect(isLegal(START, bestMoveOf(await client.go(START, { nodes: 1 })))).toBe(true);
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.kill()));
  });

  test("crash mid-game gives exit code and stderr", async () => {
    const client = await startedClient(["--crash-at-go", "2", "--exit-code", "7"]);
    expect(bestMoveOf(await client.go(START, { nodes: 1 }))).toBeTruthy();

    const result = await client.go({ moves: ["7g7f"] }, { nodes: 1 });

    expect(result).toEqual({
      kind: "crash", exit: { code: 7, signal: null }, stderr: ["fake-usi: exiting with code 7 at go 2 as requested"],
    });
    expect(client.state).toBe("stopped");
    expect((await client.go(START, { nodes: 1 })).kind).toBe("crash");
    await expectWorkingAfterRestart(client);
  });

  test("silence after go is a stall and the engine is killed", async () => {
    const client = await startedClient(["--silent-at-go", "2"]);
    await client.go(START, { nodes: 1 });
    const pid = client.pid;

    const result = await client.go(START, { nodes: 1 }, { stallTimeoutMs: SHORT_TIMEOUT_MS });

    expect(result.kind).toBe("stall");
    if (result.kind === "stall") expect(result.waitedMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 5);
    expect(isAlive(pid)).toBe(false);
    expect(client.state).toBe("stopped");
    await expectWorkingAfterRestart(client);
  });

  test("illegal move is reported with its text", async () => {
    const client = await startedClient(["--illegal-at-go", "2"]);
    await client.go(START, { nodes: 1 });

    const result = await client.go(START, { nodes: 1 });

    expect(result).toMatchObject({ kind: "illegal-move", reason: "illegal", bestmove: "5e5c" });
    await expectWorkingAfterRestart(client);
  });

  test("late answer is a timeout that keeps the move", async () => {
    const client = await startedClient(["--late-at-go", "2", "--late-ms", "600"]);
    await client.go(START, { nodes: 1 });

    const result = await client.go(START, { btime: 0, wtime: 0, byoyomi: 200 }, { allowedMs: 200 });

    expect(result.kind).toBe("timeout");
    if (result.kind !== "timeout") return;
    expect(result.allowedMs).toBe(200);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(590);
    expect(isLegal(START, result.bestmove)).toBe(true);
    await expectWorkingAfterRestart(client);
  });

  test("false win declaration is an illegal move", async () => {
    const client = await startedClient(["--win-at-go", "2"]);
    await client.go(START, { nodes: 1 });

    const result = await client.go(START, { nodes: 1 });

    expect(result).toMatchObject({ kind: "illegal-move", reason: "false-declaration", bestmove: "win" });
    await expectWorkingAfterRestart(client);
  });

  test("missing readyok is a ready time-out", async () => {
    const client = await startedClient(["--no-readyok-at", "2"], { readyMs: SHORT_TIMEOUT_MS });
    const pid = client.pid;

    const result = await client.newGame();

    expect(result).toMatchObject({ kind: "ready-timeout", stderr: [] });
    expect(isAlive(pid)).toBe(false);
    await expectWorkingAfterRestart(client);
  });

  test("missing usiok is a handshake time-out", async () => {
    const client = makeClient({ ...fakeEngine("--no-usiok"), timeouts: { handshakeMs: SHORT_TIMEOUT_MS } });

    const result = await client.start();

    expect(result.kind).toBe("handshake-timeout");
    if (result.kind === "handshake-timeout") expect(result.waitedMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 5);
    expect(client.state).toBe("stopped");
  });

  test("missing executable is a crash with the spawn error", async () => {
    const client = makeClient({ command: join(tmpdir(), "no-such-usi-engine"), args: [] });

    const result = await client.start();

    expect(result.kind).toBe("crash");
    if (result.kind === "crash") expect(result.spawnError).toMatch(/ENOENT/);
  });

  test("stop on a silent engine stalls and quit still returns", async () => {
    const client = makeClient({ ...fakeEngine("--silent-at-go", "1"), timeouts: { stopMs: SHORT_TIMEOUT_MS } });
    await client.start();
    const search = client.go(START, { infinite: true });

    const quit = await client.quit();

    expect((await search).kind).toBe("stall");
    expect(quit.exit.signal).toBe("SIGKILL");
  });
});

describe("client with working fake engines", () => {
  const clients: UsiClient[] = [];
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "usi-fake-"));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.kill()));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function makeClient(config: UsiClientConfig): UsiClient {
    const client = new UsiClient(config);
    clients.push(client);
    return client;
  }

  test("USI_Hash maps to Hash and bad values are not sent", async () => {
    const logFile = join(folder, "hash.log");
    const client = makeClient({
      ...fakeEngine("--hash-option", "Hash"),
      name: "fake",
      options: { USI_Hash: 64, usi_ponder: true, MultiPV: 99, Bogus: 1 },
      logFile,
    });

    const started = await client.start();

    expect(started.kind).toBe("ready");
    if (started.kind !== "ready") return;
    expect(started.warnings).toEqual([
      "option 'MultiPV': 99 is outside 1..16; not sent",
      "option 'Bogus' is not declared by the engine; not sent",
    ]);
    await client.quit();
    const sent = readFileSync(logFile, "utf8").split("\n").filter((line) => line.includes(" fake > setoption"));
    expect(sent.map((line) => line.split(" > ")[1])).toEqual(["setoption name Hash value 64", "setoption name USI_Ponder value true"]);
  });

  test("cwd and env reach the engine", async () => {
    const script = [
      "const rl = require('node:readline').createInterface({ input: process.stdin });",
      "rl.on('line', (l) => { if (l === 'usi') console.log(`id name ${process.cwd()}|${process.env.ENGINE_TAG}\\nusiok`);",
      "  if (l === 'isready') console.log('readyok'); if (l === 'quit') process.exit(0); });",
    ].join("\n");
    const client = makeClient({ command: process.execPath, args: ["-e", script], cwd: folder, env: { ...process.env, ENGINE_TAG: "tag-7" } });

    const started = await client.start();

    expect(started.kind).toBe("ready");
    expect(client.id.name).toBe(`${realpathSync(folder)}|tag-7`);
    expect((await client.quit()).exit.code).toBe(0);
  });

  test("CRLF output is read", async () => {
    const client = makeClient(fakeEngine("--crlf"));
    await client.start();

    const result = await client.go(START, { btime: 1_000, wtime: 1_000, byoyomi: 100 });

    expect(isLegal(START, bestMoveOf(result))).toBe(true);
    if (result.kind === "bestmove") expect(result.score).toEqual({ kind: "cp", value: 0 });
  });

  test("goMate returns the mate or timeout", async () => {
    const client = makeClient(fakeEngine());
    await client.start();

    expect(await client.goMate(MATE_IN_ONE, 1_000)).toMatchObject({ kind: "checkmate", result: "mate", moves: ["G*5b"] });
    expect(await client.goMate(START, "infinite")).toMatchObject({ kind: "checkmate", result: "timeout" });
  });

  test("gameover stops a ponder search", async () => {
    const client = makeClient(fakeEngine());
    await client.start();
    const search = client.go({ moves: ["7g7f", "3c3d"] }, { ponder: true, byoyomi: 1_000 });

    await client.gameover("win");

    expect((await search).kind).toBe("bestmove");
    expect(client.state).toBe("idle");
    expect((await client.newGame()).kind).toBe("readyok");
  });

  test("second request while busy throws", async () => {
    const client = makeClient(fakeEngine());
    await client.start();
    const search = client.go(START, { infinite: true });

    expect(() => client.go(START, { nodes: 1 })).toThrow(/busy/);
    expect(() => client.go({ moves: ["7g7g"] }, { nodes: 1 })).toThrow(/not legal/);
    await client.stop();
    expect((await search).kind).toBe("bestmove");
  });

  test("two games with four engines run at once", async () => {
    const MOVES_PER_GAME = 12;
    const playGame = async (seed: number): Promise<string[]> => {
      const players = [0, 1].map((side) => makeClient(fakeEngine("--seed", String(seed * 2 + side))));
      await Promise.all(players.map((player) => player.start()));
      const moves: string[] = [];
      for (let ply = 0; ply < MOVES_PER_GAME; ply++) {
        const result = await players[ply % 2].go({ moves: [...moves] }, { btime: 10_000, wtime: 10_000, byoyomi: 100 });
        const move = bestMoveOf(result);
        expect(isLegal({ moves }, move)).toBe(true);
        moves.push(move);
      }
      const exits = await Promise.all(players.map((player) => player.quit()));
      expect(exits.map((quit) => quit.exit.code)).toEqual([0, 0]);
      return moves;
    };

    const games = await Promise.all([playGame(1), playGame(2)]);

    expect(games.map((moves) => moves.length)).toEqual([MOVES_PER_GAME, MOVES_PER_GAME]);
    expect(new Set(clients.map((client) => client.pid)).size).toBe(4);
  });
});
