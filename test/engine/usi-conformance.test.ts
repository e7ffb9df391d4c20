import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Position } from "../../shogi/position.js";
import { parseUsiMove } from "../../shogi/usi-move.js";
import { EngineDriver } from "../helpers/engine-driver.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const launcher = path.join(root, "bin/usi-engine.js");
/** Generous bound for replies that should be immediate, for a loaded 2-core machine. */
const PROMPT_MS = 1500;

let engine: EngineDriver | undefined;

function start(): EngineDriver {
  engine = new EngineDriver(process.execPath, [launcher], "/");
  return engine;
}

afterEach(() => engine?.kill());

function bestMoveText(line: string): string {
  return line.split(" ")[1];
}

function expectLegal(sfen: string, moves: string[], move: string): void {
  const pos = Position.fromSfen(sfen);
  for (const text of moves) pos.doMove(parseUsiMove(pos, text));
  expect(parseUsiMove(pos, move), `${move} legal in ${pos.sfen()}`).not.toBe(0);
}

async function handshake(driver: EngineDriver): Promise<void> {
  driver.send("usi");
  await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
  driver.send("isready");
  await driver.waitFor(/^readyok$/, 30_000);
}

describe("USI conformance transcript", () => {
  it("answers usi at once with id, options and usiok", async () => {
    const driver = start();
    const sent = driver.send("usi");
    const usiok = await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
    expect(driver.matching(/^id name \S/).length).toBe(1);
    expect(driver.matching(/^id author \S/).length).toBe(1);
    for (const name of ["USI_Hash", "USI_Ponder", "MultiPV", "EvalFile", "EnteringKingRule", "NetworkDelay"]) {
      expect(driver.matching(new RegExp(`^option name ${name} type `)).length, name).toBe(1);
    }
    expect(usiok.at - sent).toBeLessThan(PROMPT_MS * 2);
  });

  it("keeps option values with spaces and accepts empty values", async () => {
    const driver = start();
    driver.send("usi");
    await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
    driver.send("setoption name USI_Hash value 32");
    driver.send("setoption name USI_Ponder value true");
    driver.send("setoption name EvalFile value /tmp/my engine dir/model.onnx");
    driver.send("setoption name Foo value");
    await driver.waitFor(/^info string no such option: Foo$/, PROMPT_MS);
    driver.send("isready");
    await driver.waitFor(/^readyok$/, 30_000);
    // The missing model is reported with its full path, spaces included, and play goes on.
    expect(driver.matching(/^info string .*\/tmp\/my engine dir\/model\.onnx/).length).toBe(1);
  });

  it("moves within the byoyomi", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("usinewgame");
    driver.send("position startpos");
    const from = driver.lines.length;
    const sent = driver.send("go btime 0 wtime 0 byoyomi 1000");
    const best = await driver.waitFor(/^bestmove /, 3000, from);
    expect(best.at - sent).toBeLessThan(1000);
    expectLegal("startpos", [], bestMoveText(best.text));
    expect(driver.matching(/^info .*score cp -?\d+ .*pv /, from).length).toBeGreaterThan(0);
  });

  it("holds a ponder search until ponderhit, then moves within the budget", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos moves 7g7f 3c3d");
    const from = driver.lines.length;
    driver.send("go ponder btime 60000 wtime 60000 binc 1000 winc 1000");
    await driver.sleep(700);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
    const hit = driver.send("ponderhit");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    // Budget: 60000 / 40 + 0.8 * 1000 ms of soft time, measured from ponderhit.
    expect(best.at - hit).toBeLessThan(4000);
    expectLegal("startpos", ["7g7f", "3c3d"], bestMoveText(best.text));
  });

  it("answers stop during ponder with exactly one bestmove, fast", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos moves 7g7f 3c3d 2g2f 8c8d");
    const from = driver.lines.length;
    driver.send("go ponder btime 60000 wtime 60000 binc 1000 winc 1000");
    await driver.sleep(300);
    const stop = driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    expect(best.at - stop).toBeLessThan(500);
    await driver.sleep(300);
    expect(driver.matching(/^bestmove /, from).length).toBe(1);
  });

  it("reuses the process after gameover", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos");
    driver.send("go depth 3");
    await driver.waitFor(/^bestmove /, 10_000);
    driver.send("gameover lose");
    const from = driver.lines.length;
    driver.send("isready");
    await driver.waitFor(/^readyok$/, PROMPT_MS, from);
    driver.send("usinewgame");
    driver.send("position startpos moves 2g2f");
    driver.send("go depth 2");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    expectLegal("startpos", ["2g2f"], bestMoveText(best.text));
  });

  it("prints a pv in infinite analysis and a final info before bestmove on stop", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go infinite");
    await driver.waitFor(/^info .* pv /, 5000, from);
    await driver.sleep(300);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
    driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    const index = driver.lines.indexOf(best);
    expect(driver.lines[index - 1].text).toMatch(/^info .* pv /);
  });

  it("answers go mate with a mating line, nomate or timeout", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position sfen 4k4/9/4P4/9/9/9/9/9/9 b G 1");
    let from = driver.lines.length;
    driver.send("go mate 10000");
    expect((await driver.waitFor(/^checkmate /, 10_000, from)).text).toBe("checkmate G*5b");
    driver.send("position sfen 4k4/9/9/9/9/9/9/9/9 b - 1");
    from = driver.lines.length;
    driver.send("go mate infinite");
    expect((await driver.waitFor(/^checkmate /, 10_000, from)).text).toBe("checkmate nomate");
    // A long, unsolvable search answers timeout when stopped, and never with bestmove.
    driver.send("position startpos");
    from = driver.lines.length;
    driver.send("go mate infinite");
    await driver.sleep(300);
    driver.send("stop");
    expect((await driver.waitFor(/^checkmate /, 5000, from)).text).toMatch(/^checkmate (timeout|nomate)$/);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
  });

  it("quits on quit and on end of input", async () => {
    const driver = start();
    driver.send("usi");
    await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
    driver.send("quit");
    expect(await driver.waitForExit(5000)).toBe(0);
    const second = start();
    second.send("usi");
    await second.waitFor(/^usiok$/, PROMPT_MS * 2);
    second.closeInput();
    expect(await second.waitForExit(5000)).toBe(0);
  });
});

describe("USI pitfalls", () => {
  it("does not send bestmove during ponder even when the position is solved at once", async () => {
    const driver = start();
    await handshake(driver);
    // Mate in one by a gold drop: found at depth 1, still no bestmove until stop.
    driver.send("position sfen 4k4/9/4P4/9/9/9/9/9/4K4 b G 1");
    const from = driver.lines.length;
    driver.send("go ponder btime 1000 wtime 1000 byoyomi 1000");
    await driver.sleep(800);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
    driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    // A mating move has no legal reply, so no ponder move may follow it.
    expect(best.text).toBe("bestmove G*5b");
  });

  it("stops pondering on gameover without stop", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go ponder btime 60000 wtime 60000 byoyomi 1000");
    await driver.sleep(300);
    driver.send("gameover win");
    await driver.waitFor(/^bestmove /, 2000, from);
    driver.send("isready");
    await driver.waitFor(/^readyok$/, PROMPT_MS, from);
  });

  it("prints a pv for a forced single move in analysis", async () => {
    const driver = start();
    await handshake(driver);
    // White's king on 1a is checked by a rook and has one escape.
    driver.send("position sfen k8/9/9/9/9/9/9/9/R3K4 w - 1");
    const from = driver.lines.length;
    driver.send("go infinite");
    await driver.waitFor(/^info .* pv \S+/, 3000, from);
    driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    expect(best.text).toMatch(/^bestmove 9a8b/);
  });

  it("answers malformed input with info string and keeps running", async () => {
    const driver = start();
    await handshake(driver);
    const from = driver.lines.length;
    driver.send("position sfen lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNX b - 1");
    await driver.waitFor(/^info string invalid position: .*unknown piece letter 'X'/, PROMPT_MS, from);
    driver.send("position startpos moves 7g7f 7g7f");
    await driver.waitFor(/^info string illegal move 7g7f after 1 moves/, PROMPT_MS, from);
    driver.send("frobnicate");
    await driver.waitFor(/^info string unknown command: frobnicate$/, PROMPT_MS, from);
    driver.send("setoption name MultiPV value lots");
    await driver.waitFor(/^info string MultiPV must be a whole number/, PROMPT_MS, from);
    driver.send("go depth 2");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    // The position stopped before the illegal second move: White is to move after 7g7f.
    expectLegal("startpos", ["7g7f"], bestMoveText(best.text));
  });

  it("resigns when there is no legal move and declares a win when the rule allows", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position sfen 4k4/4G4/4P4/9/9/9/9/9/4K4 w - 1");
    let from = driver.lines.length;
    driver.send("go btime 0 wtime 0 byoyomi 1000");
    expect((await driver.waitFor(/^bestmove /, 3000, from)).text).toBe("bestmove resign");
    driver.send("position sfen 8G/4K4/+P+P+P+P+P+P+P+P+P/9/9/9/9/9/4k4 b 2R2B 1");
    from = driver.lines.length;
    driver.send("go btime 0 wtime 0 byoyomi 1000");
    expect((await driver.waitFor(/^bestmove /, 3000, from)).text).toBe("bestmove win");
    driver.send("setoption name EnteringKingRule value NoEnteringKing");
    from = driver.lines.length;
    driver.send("go btime 0 wtime 0 byoyomi 1000");
    expect((await driver.waitFor(/^bestmove /, 3000, from)).text).not.toBe("bestmove win");
  });

  it("accepts move number 0 and hands in any order", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position sfen 4k4/9/9/9/9/9/9/9/4K4 b PG 0");
    const from = driver.lines.length;
    driver.send("go depth 2");
    const best = await driver.waitFor(/^bestmove /, 5000, from);
    expect(driver.matching(/^info string/, from)).toEqual([]);
    expectLegal("4k4/9/9/9/9/9/9/9/4K4 b GP 1", [], bestMoveText(best.text));
  });
});
