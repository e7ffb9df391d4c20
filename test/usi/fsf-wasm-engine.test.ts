// Drives bin/fsf-wasm-usi.js as a child process, the way the arena and GUIs start engines. The
// launcher runs the compiled bridge in dist/, which the test global setup builds.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineProcess } from "../../usi/engine-process.js";
import { fsfWasmEngine } from "../../usi/reference-engines.js";

/** Generous, because startup takes about a second and the CPUs are shared with other work. */
const REPLY_TIMEOUT_MS = 30_000;

/** The 30 legal moves of the start position, Black to move. */
const START_POSITION_MOVES = [
  "9g9f", "8g8f", "7g7f", "6g6f", "5g5f", "4g4f", "3g3f", "2g2f", "1g1f",
  "9i9h", "1i1h",
  "7i7h", "7i6h", "3i3h", "3i4h",
  "6i7h", "6i6h", "6i5h", "4i5h", "4i4h", "4i3h",
  "5i6h", "5i5h", "5i4h",
  "2h1h", "2h3h", "2h4h", "2h5h", "2h6h", "2h7h",
];
/** Leaf count of perft 3 from the start position. */
const START_PERFT_3 = 25470;

const startsWith = (prefix: string) => (line: string) => line.startsWith(prefix);

function bestMoveOf(line: string): string {
  return line.split(/\s+/)[1] ?? "";
}

function startBridge(): EngineProcess {
  return EngineProcess.start(fsfWasmEngine());
}

describe("fsf-wasm bridge session", () => {
  let engine: EngineProcess;

  beforeAll(() => {
    engine = startBridge();
  });

  afterAll(() => {
    engine?.kill();
  });

  test("usi replies id, options, usiok", async () => {
    engine.send("usi");
    const lines = await engine.waitFor((line) => line === "usiok", REPLY_TIMEOUT_MS);

    expect(lines.some(startsWith("id name "))).toBe(true);
    expect(lines.some(startsWith("option name Threads "))).toBe(true);
    expect(lines.find(startsWith("option name USI_Variant "))).toContain("default shogi");
    expect(lines.at(-1)).toBe("usiok");
  });

  test("isready replies readyok", async () => {
    engine.send("isready");
    const lines = await engine.waitFor((line) => line === "readyok", REPLY_TIMEOUT_MS);

    expect(lines.at(-1)).toBe("readyok");
  });

  test("go depth 5 returns a legal first move", async () => {
    engine.send("position startpos");
    engine.send("go depth 5");
    const lines = await engine.waitFor(startsWith("bestmove "), REPLY_TIMEOUT_MS);

    expect(START_POSITION_MOVES).toHaveLength(30);
    expect(START_POSITION_MOVES).toContain(bestMoveOf(lines.at(-1) ?? ""));
  });

  test("go perft 3 counts 25470", async () => {
    engine.send("position startpos");
    engine.send("go perft 3");
    const lines = await engine.waitFor(startsWith("Nodes searched:"), REPLY_TIMEOUT_MS);

    expect(lines.at(-1)).toBe(`Nodes searched: ${START_PERFT_3}`);
  });

  test("go byoyomi returns a bestmove", async () => {
    engine.send("position startpos moves 7g7f");
    engine.send("go btime 0 wtime 0 byoyomi 300");
    const lines = await engine.waitFor(startsWith("bestmove "), REPLY_TIMEOUT_MS);

    expect(bestMoveOf(lines.at(-1) ?? "")).toMatch(/^[1-9][a-i][1-9][a-i]\+?$|^[PLNSGBR]\*[1-9][a-i]$/);
  });

  test("stop ends go infinite", async () => {
    engine.send("position startpos");
    engine.send("go infinite");
    await engine.waitFor(startsWith("info depth"), REPLY_TIMEOUT_MS);
    engine.send("stop");
    const lines = await engine.waitFor(startsWith("bestmove "), REPLY_TIMEOUT_MS);

    expect(START_POSITION_MOVES).toContain(bestMoveOf(lines.at(-1) ?? ""));
  });

  test("quit exits with code 0", async () => {
    engine.send("quit");
    const exit = await engine.exit;

    expect(exit).toEqual({ code: 0, signal: null });
  });
});

describe("fsf-wasm bridge input", () => {
  test("closing stdin exits with code 0", async () => {
    const engine = startBridge();
    try {
      engine.send("usi");
      await engine.waitFor((line) => line === "usiok", REPLY_TIMEOUT_MS);
      engine.closeInput();
      const exit = await engine.exit;

      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      engine.kill();
    }
  });
});
