// The USI conformance transcript and the GUI pitfalls, run with `SearchMode mcts`: the tree search
// must keep every protocol guarantee of the alpha-beta search.
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
/** The model and its evaluation thread load on isready. */
const READY_MS = 30_000;

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

/** Runs usi, selects the tree search, and waits for readyok. */
async function handshake(driver: EngineDriver, options: string[] = []): Promise<void> {
  driver.send("usi");
  await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
  driver.send("setoption name SearchMode value mcts");
  for (const option of options) driver.send(option);
  driver.send("isready");
  await driver.waitFor(/^readyok$/, READY_MS);
}

describe("USI conformance transcript with SearchMode mcts", () => {
  it("declares the tree-search options", async () => {
    const driver = start();
    driver.send("usi");
    await driver.waitFor(/^usiok$/, PROMPT_MS * 2);
    expect(driver.matching(/^option name SearchMode type combo default alphabeta var alphabeta var mcts$/)).toHaveLength(1);
    expect(driver.matching(/^option name EvalDevice type combo default cpu var cpu var webgpu var cuda$/)).toHaveLength(1);
    expect(driver.matching(/^option name BatchSize type spin default 0 /)).toHaveLength(1);
    expect(driver.matching(/^option name EvalThreads type spin default 1 /)).toHaveLength(1);
  });

  it("loads the evaluation thread on isready and reports the device", async () => {
    const driver = start();
    await handshake(driver);
    expect(driver.matching(/^info string evaluation: .*tree search with .*base\.onnx on cpu, batch 64$/)).toHaveLength(1);
  });

  it("keeps option values with spaces and falls back to material scores", async () => {
    const driver = start();
    await handshake(driver, ["setoption name USI_Ponder value true", "setoption name EvalFile value /tmp/my engine dir/model.onnx"]);
    // Both searches report the missing model with its full path, spaces included.
    expect(driver.matching(/^info string .*\/tmp\/my engine dir\/model\.onnx.*tree search uses material scores/)).toHaveLength(1);
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go btime 0 wtime 0 byoyomi 500");
    const best = await driver.waitFor(/^bestmove /, 3000, from);
    expectLegal("startpos", [], bestMoveText(best.text));
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
    expect(driver.matching(/^info depth \d+ seldepth \d+ time \d+ nodes \d+ nps \d+ hashfull \d+ score cp -?\d+ pv /, from).length).toBeGreaterThan(0);
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
    expect(driver.matching(/^bestmove /, from)).toHaveLength(1);
    expectLegal("startpos", ["7g7f", "3c3d", "2g2f", "8c8d"], bestMoveText(best.text));
  });

  it("reuses the process after gameover and keeps the tree between moves", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos");
    driver.send("go depth 3");
    const first = await driver.waitFor(/^bestmove /, 10_000);
    const [, move, , reply] = first.text.split(" ");
    // The next position extends the searched one by the move and its ponder reply.
    let from = driver.lines.length;
    driver.send(`position startpos moves ${move} ${reply}`);
    driver.send("go nodes 200");
    const second = await driver.waitFor(/^bestmove /, 10_000, from);
    expectLegal("startpos", [move, reply], bestMoveText(second.text));
    driver.send("gameover lose");
    from = driver.lines.length;
    driver.send("isready");
    await driver.waitFor(/^readyok$/, PROMPT_MS, from);
    driver.send("usinewgame");
    driver.send("position startpos moves 2g2f");
    driver.send("go depth 2");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    expectLegal("startpos", ["2g2f"], bestMoveText(best.text));
  });

  it("counts go nodes as playouts", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go nodes 300");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    const last = driver.lines[driver.lines.indexOf(best) - 1].text;
    expect(last).toMatch(/ nodes 300 /);
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

  it("prints one line per root move with MultiPV", async () => {
    const driver = start();
    await handshake(driver, ["setoption name MultiPV value 3"]);
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go nodes 500");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    const index = driver.lines.indexOf(best);
    const final = driver.lines.slice(index - 3, index).map((line) => line.text);
    for (const [i, text] of final.entries()) expect(text).toMatch(new RegExp(`^info .* multipv ${i + 1} score cp -?\\d+ pv \\S+`));
    expect(final[0]).toMatch(new RegExp(`pv ${bestMoveText(best.text)}( |$)`));
  });

  it("answers go mate with one checkmate line", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position sfen 4k4/9/4P4/9/9/9/9/9/9 b G 1");
    const from = driver.lines.length;
    driver.send("go mate 10000");
    await driver.waitFor(/^checkmate (G\*5b|notimplemented)$/, 10_000, from);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
  });

  it("quits on quit and on end of input", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("quit");
    expect(await driver.waitForExit(5000)).toBe(0);
    const second = start();
    await handshake(second);
    second.closeInput();
    expect(await second.waitForExit(5000)).toBe(0);
  });

  it("reports a missing GPU and evaluates on the CPU", async () => {
    const driver = start();
    await handshake(driver, ["setoption name EvalDevice value webgpu"]);
    const described = await driver.waitFor(/^info string evaluation: .* on (webgpu|cpu), batch \d+$/, PROMPT_MS);
    // NOTE: only the fallback is checked here, because the test machines have no GPU that Dawn can use.
    if (described.text.includes(" on cpu,")) {
      expect(driver.matching(/^info string EvalDevice webgpu: the webgpu execution provider could not start .*evaluating on the CPU instead/)).toHaveLength(1);
    }
    driver.send("position startpos");
    const from = driver.lines.length;
    driver.send("go nodes 100");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
    expectLegal("startpos", [], bestMoveText(best.text));
  });
});

describe("USI pitfalls with SearchMode mcts", () => {
  it("does not send bestmove during ponder even when the position is solved at once", async () => {
    const driver = start();
    await handshake(driver);
    driver.send("position sfen 4k4/9/4P4/9/9/9/9/9/4K4 b G 1");
    const from = driver.lines.length;
    driver.send("go ponder btime 1000 wtime 1000 byoyomi 1000");
    await driver.sleep(800);
    expect(driver.matching(/^bestmove /, from)).toEqual([]);
    driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    // A mating move has no legal reply, so no ponder move may follow it.
    expect(best.text).toBe("bestmove G*5b");
    expect(driver.matching(/^info .*score mate 1 pv G\*5b$/, from)).toHaveLength(1);
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
    // White's king on 9a is checked by the rook on 9i and has two escapes.
    driver.send("position sfen k8/9/9/9/9/9/9/9/R3K4 w - 1");
    const from = driver.lines.length;
    driver.send("go infinite");
    await driver.waitFor(/^info .* pv \S+/, 3000, from);
    driver.send("stop");
    const best = await driver.waitFor(/^bestmove /, 2000, from);
    expect(best.text).toMatch(/^bestmove 9a8b/);
  });

  it("moves at once when only one move is legal and the clock runs", async () => {
    const driver = start();
    await handshake(driver);
    // White's king on 9a is checked by the rook on 9i; the gold on 7c covers 8b, so 9a8a is the only move.
    driver.send("position sfen k8/9/2G6/9/9/9/9/9/R3K4 w - 1");
    const from = driver.lines.length;
    const sent = driver.send("go btime 60000 wtime 60000 byoyomi 10000");
    const best = await driver.waitFor(/^bestmove /, 3000, from);
    expect(best.text).toMatch(/^bestmove 9a8a/);
    expect(best.at - sent).toBeLessThan(PROMPT_MS);
  });

  it("answers malformed input with info string and keeps running", async () => {
    const driver = start();
    await handshake(driver);
    const from = driver.lines.length;
    driver.send("position startpos moves 7g7f 7g7f");
    await driver.waitFor(/^info string illegal move 7g7f after 1 moves/, PROMPT_MS, from);
    driver.send("setoption name SearchMode value montecarlo");
    await driver.waitFor(/^info string SearchMode must be one of alphabeta, mcts, not "montecarlo"$/, PROMPT_MS, from);
    driver.send("setoption name BatchSize value lots");
    await driver.waitFor(/^info string BatchSize must be a whole number/, PROMPT_MS, from);
    driver.send("go nodes 200");
    const best = await driver.waitFor(/^bestmove /, 10_000, from);
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
    driver.send("go nodes 300");
    const best = await driver.waitFor(/^bestmove /, 5000, from);
    expect(driver.matching(/^info string/, from)).toEqual([]);
    expectLegal("4k4/9/9/9/9/9/9/9/4K4 b GP 1", [], bestMoveText(best.text));
  });
});
