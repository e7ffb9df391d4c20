import { describe, expect, test } from "vitest";
import {
  type EngineLine, type GoParams, type GuiCommand, type InfoFields, type InfoLine, type OptionDeclaration, type Score,
  formatEngineLine, formatGuiCommand, parseEngineLine, parseGuiCommand,
} from "../../usi/grammar.js";

/** Generated values per round-trip test. */
const ROUND_TRIP_COUNT = 2_000;
const SEED = 20_240_601;

/** Small deterministic generator (mulberry32), so a failing case repeats. */
function makeRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (low: number, high: number): number => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (probability = 0.5): boolean => next() < probability;
  return { int, pick, chance };
}
type Random = ReturnType<typeof makeRandom>;

const FILES = "123456789";
const RANKS = "abcdefghi";
const DROP_PIECES = "PLNSGBR";

function randomSquare(random: Random): string {
  return random.pick([...FILES]) + random.pick([...RANKS]);
}

function randomMove(random: Random): string {
  if (random.chance(0.2)) return `${random.pick([...DROP_PIECES])}*${randomSquare(random)}`;
  const from = randomSquare(random);
  let to = randomSquare(random);
  while (to === from) to = randomSquare(random);
  return `${from}${to}${random.chance(0.3) ? "+" : ""}`;
}

function randomMoves(random: Random, max: number): string[] {
  return Array.from({ length: random.int(0, max) }, () => randomMove(random));
}

const SFENS = [
  "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1",
  "lnsgkgsnl/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1",
  "4k4/9/4P4/9/9/9/9/9/9 b G 1",
  "8l/1l+R2P3/p2pBG1pp/kps1p4/Nn1P2G2/P1P1P2PP/1PS6/1KSG3+r1/LN2+p3L w Sbgn3p 124",
  "4k4/9/9/9/9/9/9/9/9 b 2P",
];
const OPTION_NAMES = ["USI_Hash", "USI_Ponder", "MultiPV", "EvalFile", "Skill Level", "Debug Log File", "Threads"];
/** Option fields are read token by token, so only single spaces inside them survive a round trip. */
const OPTION_TEXTS = ["32", "true", "C:\\Program Files\\my engine\\model.onnx", "nn.onnx", "x"];
/** Rest-of-line texts keep their inner spacing. */
const FREE_TEXTS = [...OPTION_TEXTS, "a  b"];

function randomGoParams(random: Random): GoParams {
  const params: GoParams = {};
  if (random.chance(0.2)) params.ponder = true;
  for (const field of ["btime", "wtime", "byoyomi", "binc", "winc", "movetime", "nodes", "depth"] as const) {
    if (random.chance(0.3)) params[field] = random.int(0, 1_000_000);
  }
  if (random.chance(0.2)) params.infinite = true;
  if (random.chance(0.2)) params.mate = random.chance() ? "infinite" : random.int(0, 60_000);
  if (random.chance(0.1)) params.searchmoves = randomMoves(random, 4);
  return params;
}

function randomGuiCommand(random: Random): GuiCommand {
  switch (random.int(0, 9)) {
    case 0:
      return { kind: random.pick(["usi", "isready", "usinewgame", "stop", "quit"] as const) };
    case 1:
      return random.chance(0.2)
        ? { kind: "setoption", name: random.pick(OPTION_NAMES) }
        : { kind: "setoption", name: random.pick(OPTION_NAMES), value: random.pick(["", ...FREE_TEXTS]) };
    case 2:
    case 3:
      return random.chance()
        ? { kind: "position", moves: randomMoves(random, 12) }
        : { kind: "position", sfen: random.pick(SFENS), moves: randomMoves(random, 12) };
    case 4:
    case 5:
    case 6:
      return { kind: "go", ...randomGoParams(random) };
    case 7: {
      const { btime, wtime, byoyomi, binc, winc } = randomGoParams(random);
      return { kind: "ponderhit", btime, wtime, byoyomi, binc, winc };
    }
    default:
      return { kind: "gameover", result: random.pick(["win", "lose", "draw"] as const) };
  }
}

function randomScore(random: Random): Score {
  const score: Score = random.chance()
    ? { kind: "cp", value: random.int(-30_000, 30_000) }
    : { kind: "mate", plies: random.pick([random.int(-40, 40), -0, "+", "-"] as const) };
  if (random.chance(0.2)) score.bound = random.pick(["lower", "upper"] as const);
  return score;
}

function randomInfo(random: Random): InfoLine {
  const info: InfoFields = { kind: "info" };
  for (const field of ["depth", "seldepth", "time", "nodes", "nps", "hashfull", "multipv", "currmovenumber", "cpuload"] as const) {
    if (random.chance(0.4)) info[field] = random.int(0, 10_000_000);
  }
  if (random.chance(0.6)) info.score = randomScore(random);
  if (random.chance(0.2)) info.currmove = randomMove(random);
  const tail = random.int(0, 2);
  if (tail === 1) return { ...info, pv: randomMoves(random, 10) };
  if (tail === 2) return { ...info, string: random.pick(["", ...FREE_TEXTS]) };
  return info;
}

function randomOption(random: Random): OptionDeclaration {
  const name = random.pick(OPTION_NAMES);
  switch (random.int(0, 5)) {
    case 0:
      return random.chance(0.8) ? { kind: "option", name, type: "check", default: random.chance() } : { kind: "option", name, type: "check" };
    case 1:
      return { kind: "option", name, type: "spin", default: random.int(-100, 4096), min: random.int(-100, 1), max: random.int(1, 1 << 25) };
    case 2:
      return { kind: "option", name, type: "combo", default: "Normal", vars: ["Solid", "Normal", "Risky"].slice(0, random.int(0, 3)) };
    case 3:
      return { kind: "option", name, type: "button" };
    default:
      return { kind: "option", name, type: random.pick(["string", "filename"] as const), default: random.pick(["", ...OPTION_TEXTS]) };
  }
}

function randomEngineLine(random: Random): EngineLine {
  switch (random.int(0, 9)) {
    case 0:
      return { kind: "id", field: random.pick(["name", "author"] as const), value: random.pick(FREE_TEXTS) };
    case 1:
    case 2:
      return randomOption(random);
    case 3:
      return { kind: random.pick(["usiok", "readyok"] as const) };
    case 4: {
      const move = random.pick([randomMove(random), "resign", "win"]);
      const isMove = move !== "resign" && move !== "win";
      return isMove && random.chance() ? { kind: "bestmove", move, ponder: randomMove(random) } : { kind: "bestmove", move };
    }
    case 5:
      return random.chance()
        ? { kind: "checkmate", result: "mate", moves: [randomMove(random), ...randomMoves(random, 8)] }
        : { kind: "checkmate", result: random.pick(["nomate", "timeout", "notimplemented"] as const) };
    default:
      return randomInfo(random);
  }
}

describe("grammar round trips", () => {
  test("GUI commands parse back to themselves", () => {
    const random = makeRandom(SEED);
    for (let i = 0; i < ROUND_TRIP_COUNT; i++) {
      const command = randomGuiCommand(random);
      const line = formatGuiCommand(command);
      expect(parseGuiCommand(line), line).toEqual(command);
    }
  });

  test("engine lines parse back to themselves", () => {
    const random = makeRandom(SEED + 1);
    for (let i = 0; i < ROUND_TRIP_COUNT; i++) {
      const engineLine = randomEngineLine(random);
      const line = formatEngineLine(engineLine);
      expect(parseEngineLine(line), line).toEqual(engineLine);
    }
  });

  test("mate -0 keeps its sign", () => {
    const parsed = parseEngineLine("info score mate -0") as InfoLine;
    const plies = parsed.score?.kind === "mate" ? parsed.score.plies : undefined;

    expect(Object.is(plies, -0)).toBe(true);
    expect(formatEngineLine(parsed)).toBe("info score mate -0");
  });

  test("formatted lines are canonical", () => {
    expect(formatGuiCommand({ kind: "position", moves: [] })).toBe("position startpos");
    expect(formatGuiCommand({ kind: "go", btime: 0, wtime: 0, byoyomi: 1000, ponder: true })).toBe("go ponder btime 0 wtime 0 byoyomi 1000");
    expect(formatGuiCommand({ kind: "setoption", name: "Log", value: "" })).toBe("setoption name Log value");
    expect(formatEngineLine({ kind: "option", name: "Log", type: "string", default: "" })).toBe("option name Log type string default <empty>");
    expect(formatEngineLine({ kind: "info", depth: 3, score: { kind: "cp", value: -5, bound: "lower" }, pv: ["7g7f"] }))
      .toBe("info depth 3 score cp -5 lowerbound pv 7g7f");
  });
});

/** GUI side of the conformance transcript for an engine, each line with what it means. */
const GUI_TRANSCRIPT: Array<[string, GuiCommand]> = [
  ["usi", { kind: "usi" }],
  ["setoption name USI_Hash value 32", { kind: "setoption", name: "USI_Hash", value: "32" }],
  ["setoption name USI_Ponder value true", { kind: "setoption", name: "USI_Ponder", value: "true" }],
  [
    "setoption name EvalFile value C:\\Program Files\\my engine\\model.onnx",
    { kind: "setoption", name: "EvalFile", value: "C:\\Program Files\\my engine\\model.onnx" },
  ],
  ["setoption name Foo value", { kind: "setoption", name: "Foo", value: "" }],
  ["isready", { kind: "isready" }],
  ["usinewgame", { kind: "usinewgame" }],
  ["position startpos", { kind: "position", moves: [] }],
  ["go btime 0 wtime 0 byoyomi 1000", { kind: "go", btime: 0, wtime: 0, byoyomi: 1000 }],
  ["position startpos moves 7g7f 3c3d", { kind: "position", moves: ["7g7f", "3c3d"] }],
  [
    "go ponder btime 60000 wtime 60000 binc 1000 winc 1000",
    { kind: "go", ponder: true, btime: 60_000, wtime: 60_000, binc: 1000, winc: 1000 },
  ],
  ["ponderhit", { kind: "ponderhit" }],
  ["position startpos moves 7g7f 3c3d 2g2f 8c8d", { kind: "position", moves: ["7g7f", "3c3d", "2g2f", "8c8d"] }],
  ["stop", { kind: "stop" }],
  ["gameover lose", { kind: "gameover", result: "lose" }],
  ["position sfen 4k4/9/4P4/9/9/9/9/9/9 b G 1", { kind: "position", sfen: "4k4/9/4P4/9/9/9/9/9/9 b G 1", moves: [] }],
  ["go mate 10000", { kind: "go", mate: 10_000 }],
  ["position sfen 4k4/9/9/9/9/9/9/9/9 b - 1", { kind: "position", sfen: "4k4/9/9/9/9/9/9/9/9 b - 1", moves: [] }],
  ["go mate infinite", { kind: "go", mate: "infinite" }],
  ["go infinite", { kind: "go", infinite: true }],
  ["go mate 1000", { kind: "go", mate: 1000 }],
  ["quit", { kind: "quit" }],
  // Game start and clock forms that GUIs send.
  ["go btime 300000 wtime 300000 byoyomi 5000", { kind: "go", btime: 300_000, wtime: 300_000, byoyomi: 5000 }],
  ["go btime 55000 wtime 60000 binc 5000 winc 5000", { kind: "go", btime: 55_000, wtime: 60_000, binc: 5000, winc: 5000 }],
  ["go ponder", { kind: "go", ponder: true }],
  ["ponderhit btime 10000 wtime 20000 byoyomi 3000", { kind: "ponderhit", btime: 10_000, wtime: 20_000, byoyomi: 3000 }],
  ["gameover win", { kind: "gameover", result: "win" }],
  ["gameover draw", { kind: "gameover", result: "draw" }],
  [
    "position sfen lnsgkgsnl/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1 moves 5a4b",
    { kind: "position", sfen: "lnsgkgsnl/9/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1", moves: ["5a4b"] },
  ],
  ["position sfen 4k4/9/9/9/9/9/9/9/9 b 2P moves P*5b", { kind: "position", sfen: "4k4/9/9/9/9/9/9/9/9 b 2P", moves: ["P*5b"] }],
  ["go movetime 3000", { kind: "go", movetime: 3000 }],
  ["go nodes 100000 depth 12", { kind: "go", nodes: 100_000, depth: 12 }],
  ["go searchmoves 7g7f P*5e", { kind: "go", searchmoves: ["7g7f", "P*5e"] }],
];

/** Engine side: example replies and lines printed by Fairy-Stockfish 11.1 (native and WebAssembly). */
const ENGINE_TRANSCRIPT: Array<[string, EngineLine]> = [
  ["id name Fairy-Stockfish 11.1 LB 64", { kind: "id", field: "name", value: "Fairy-Stockfish 11.1 LB 64" }],
  ["id author Fabian Fichter", { kind: "id", field: "author", value: "Fabian Fichter" }],
  [
    "option name USI_Hash type spin default 256 min 1 max 4096",
    { kind: "option", name: "USI_Hash", type: "spin", default: 256, min: 1, max: 4096 },
  ],
  ["option name USI_Ponder type check default true", { kind: "option", name: "USI_Ponder", type: "check", default: true }],
  [
    "option name Style type combo default Normal var Solid var Normal var Risky",
    { kind: "option", name: "Style", type: "combo", default: "Normal", vars: ["Solid", "Normal", "Risky"] },
  ],
  ["option name EvalFile type filename default model.onnx", { kind: "option", name: "EvalFile", type: "filename", default: "model.onnx" }],
  ["option name Log type string default <empty>", { kind: "option", name: "Log", type: "string", default: "" }],
  ["option name ClearHash type button", { kind: "option", name: "ClearHash", type: "button" }],
  ["option name Debug Log File type string default ", { kind: "option", name: "Debug Log File", type: "string", default: "" }],
  [
    "option name Skill Level type spin default 20 min -20 max 20",
    { kind: "option", name: "Skill Level", type: "spin", default: 20, min: -20, max: 20 },
  ],
  ["option name Clear Hash type button", { kind: "option", name: "Clear Hash", type: "button" }],
  ["usiok", { kind: "usiok" }],
  ["readyok", { kind: "readyok" }],
  ["bestmove 7g7f ponder 3c3d", { kind: "bestmove", move: "7g7f", ponder: "3c3d" }],
  ["bestmove resign", { kind: "bestmove", move: "resign" }],
  ["bestmove win", { kind: "bestmove", move: "win" }],
  ["bestmove 8h2b+", { kind: "bestmove", move: "8h2b+" }],
  ["checkmate G*5b", { kind: "checkmate", result: "mate", moves: ["G*5b"] }],
  ["checkmate nomate", { kind: "checkmate", result: "nomate" }],
  ["checkmate timeout", { kind: "checkmate", result: "timeout" }],
  ["checkmate notimplemented", { kind: "checkmate", result: "notimplemented" }],
  [
    "info depth 3 seldepth 3 multipv 1 score cp 258 nodes 236 nps 78666 tbhits 0 time 3 pv 7i7h 8b5b 7g7f",
    {
      kind: "info", depth: 3, seldepth: 3, multipv: 1, score: { kind: "cp", value: 258 }, nodes: 236, nps: 78_666, time: 3,
      pv: ["7i7h", "8b5b", "7g7f"],
    },
  ],
  [
    "info depth 15 seldepth 21 multipv 1 score cp 162 nodes 369301 nps 368563 hashfull 202 tbhits 0 time 1002 pv 7g7f 3c3d",
    {
      kind: "info", depth: 15, seldepth: 21, multipv: 1, score: { kind: "cp", value: 162 }, nodes: 369_301, nps: 368_563,
      hashfull: 202, time: 1002, pv: ["7g7f", "3c3d"],
    },
  ],
  ["info string classical evaluation enabled", { kind: "info", string: "classical evaluation enabled" }],
  [
    "info depth 1 nodes 0 time 0 score mate + string Nyugyoku",
    { kind: "info", depth: 1, nodes: 0, time: 0, score: { kind: "mate", plies: "+" }, string: "Nyugyoku" },
  ],
  ["info score mate -", { kind: "info", score: { kind: "mate", plies: "-" } }],
  ["info score mate 7 pv 2b3c+", { kind: "info", score: { kind: "mate", plies: 7 }, pv: ["2b3c+"] }],
  ["info score mate -4 upperbound", { kind: "info", score: { kind: "mate", plies: -4, bound: "upper" } }],
  ["info currmove P*5e currmovenumber 12", { kind: "info", currmove: "P*5e", currmovenumber: 12 }],
];

describe("grammar transcripts", () => {
  test.each(GUI_TRANSCRIPT)("GUI line %s", (line, command) => {
    expect(parseGuiCommand(line)).toEqual(command);
    expect(parseGuiCommand(formatGuiCommand(command))).toEqual(command);
  });

  test.each(ENGINE_TRANSCRIPT)("engine line %s", (line, engineLine) => {
    expect(parseEngineLine(line)).toEqual(engineLine);
    expect(parseEngineLine(formatEngineLine(engineLine))).toEqual(engineLine);
  });
});

describe("grammar tolerance", () => {
  test("extra spaces, tabs and CRLF", () => {
    expect(parseGuiCommand("  go   btime 1000\twtime  2000  byoyomi 300 \r\n")).toEqual({ kind: "go", btime: 1000, wtime: 2000, byoyomi: 300 });
    expect(parseGuiCommand("isready\r")).toEqual({ kind: "isready" });
    expect(parseEngineLine("bestmove  7g7f   ponder 3c3d\r")).toEqual({ kind: "bestmove", move: "7g7f", ponder: "3c3d" });
  });

  test("setoption keeps inner spaces of the value", () => {
    expect(parseGuiCommand("setoption name EvalFile value  D:\\my  nets\\a.onnx  ")).toEqual({
      kind: "setoption", name: "EvalFile", value: "D:\\my  nets\\a.onnx",
    });
    expect(parseGuiCommand("setoption name Skill Level value 10")).toEqual({ kind: "setoption", name: "Skill Level", value: "10" });
    expect(parseGuiCommand("setoption name Log value <empty>")).toEqual({ kind: "setoption", name: "Log", value: "" });
    expect(parseGuiCommand("setoption name Log value ")).toEqual({ kind: "setoption", name: "Log", value: "" });
    expect(parseGuiCommand("setoption name ClearHash")).toEqual({ kind: "setoption", name: "ClearHash" });
  });

  test("go skips unknown tokens and missing values", () => {
    expect(parseGuiCommand("go rtime 100 btime wtime 500 movestogo 3")).toEqual({ kind: "go", wtime: 500 });
    expect(parseGuiCommand("go btime -200 wtime 0")).toEqual({ kind: "go", btime: 0, wtime: 0 });
    expect(parseGuiCommand("go mate")).toEqual({ kind: "go", mate: "infinite" });
    expect(parseGuiCommand("go searchmoves 7g7f 2g2f depth 3")).toEqual({ kind: "go", searchmoves: ["7g7f", "2g2f"], depth: 3 });
    expect(parseGuiCommand("ponderhit now btime 100")).toEqual({ kind: "ponderhit", btime: 100 });
  });

  test("info skips unknown fields and malformed scores", () => {
    expect(parseEngineLine("info depth 2 tbhits 0 wdl 10 980 10 nodes 5")).toEqual({ kind: "info", depth: 2, nodes: 5 });
    expect(parseEngineLine("info score cp x depth 4")).toEqual({ kind: "info", depth: 4 });
    expect(parseEngineLine("info score won depth 4")).toEqual({ kind: "info", depth: 4 });
    expect(parseEngineLine("info currmove none depth 4")).toEqual({ kind: "info", depth: 4 });
    expect(parseEngineLine("info string  two  spaces ")).toEqual({ kind: "info", string: "two  spaces" });
  });

  test("pv and string run to the end of the line", () => {
    expect(parseEngineLine("info pv 7g7f 3c3d rep_draw depth 9")).toEqual({ kind: "info", pv: ["7g7f", "3c3d", "rep_draw", "depth", "9"] });
    expect(parseEngineLine("info string depth 3 pv 7g7f")).toEqual({ kind: "info", string: "depth 3 pv 7g7f" });
  });

  test("malformed optional fields are dropped", () => {
    expect(parseEngineLine("bestmove 7g7f ponder none")).toEqual({ kind: "bestmove", move: "7g7f" });
    expect(parseEngineLine("bestmove 7g7f ponder")).toEqual({ kind: "bestmove", move: "7g7f" });
    expect(parseEngineLine("option name X type spin default big min 1")).toEqual({ kind: "option", name: "X", type: "spin", min: 1 });
    expect(parseEngineLine("option name X type check default yes")).toEqual({ kind: "option", name: "X", type: "check" });
  });

  test("lines of no command are unknown", () => {
    expect(parseEngineLine("")).toEqual({ kind: "unknown", text: "" });
    expect(parseEngineLine("Fairy-Stockfish 11.1 LB 64 by Fabian Fichter")).toMatchObject({ kind: "unknown" });
    expect(parseEngineLine("No such option: USI_Hash")).toMatchObject({ kind: "unknown" });
    expect(parseGuiCommand("debug on")).toEqual({ kind: "unknown", text: "debug on" });
    expect(parseGuiCommand("register later")).toMatchObject({ kind: "unknown" });
    expect(parseGuiCommand("   ")).toEqual({ kind: "unknown", text: "" });
  });
});

/** Words that steer the parsers into every branch, mixed with junk. */
const FUZZ_WORDS = [
  "usi", "isready", "setoption", "name", "value", "position", "startpos", "sfen", "moves", "go", "ponder", "btime",
  "wtime", "byoyomi", "binc", "winc", "movetime", "nodes", "depth", "infinite", "mate", "searchmoves", "stop",
  "ponderhit", "gameover", "win", "lose", "quit", "id", "author", "option", "type", "spin", "check", "combo", "var",
  "default", "min", "max", "usiok", "readyok", "bestmove", "resign", "checkmate", "nomate", "info", "score", "cp",
  "lowerbound", "pv", "string", "currmove", "multipv", "+", "-", "-0", "12", "-7", "7g7f", "P*5e", "<empty>", "\r",
  "9z9z", "", "\t", "x",
];
const FUZZ_LINES = 5_000;
const FUZZ_MAX_WORDS = 12;

describe("grammar fuzzing", () => {
  test("parsers never throw on any text", () => {
    const random = makeRandom(SEED + 2);
    for (let i = 0; i < FUZZ_LINES; i++) {
      const words = Array.from({ length: random.int(0, FUZZ_MAX_WORDS) }, () => random.pick(FUZZ_WORDS));
      const line = words.join(random.pick([" ", "  ", "\t"]));

      expect(() => parseGuiCommand(line), line).not.toThrow();
      expect(() => parseEngineLine(line), line).not.toThrow();
    }
  });
});

describe("grammar invalid lines", () => {
  test.each([
    ["setoption value 3", "expected 'name' after 'setoption'"],
    ["setoption name value 3", "missing option name"],
    ["position", "expected 'startpos' or 'sfen', got ''"],
    ["position sfen 4k4/9/9/9/9/9/9/9/9 b", "SFEN needs 3 or 4 fields, got 2"],
    ["position startpos moves 7g7f 7g7g", "malformed move '7g7g'"],
    ["gameover later", "expected win, lose or draw, got 'later'"],
  ])("GUI line %s", (line, reason) => {
    expect(parseGuiCommand(line)).toEqual({ kind: "invalid", text: line, keyword: line.split(" ")[0], reason });
  });

  test.each([
    ["bestmove", "missing move"],
    ["bestmove none", "malformed move 'none'"],
    ["checkmate", "missing moves or result"],
    ["checkmate none", "malformed move 'none'"],
    ["id version 3", "expected 'name' or 'author', got 'version'"],
    ["option type spin", "expected 'name' after 'option'"],
    ["option name Hash default 3", "missing type of option 'Hash default 3'"],
    ["option name Hash type number", "unknown type 'number' of option 'Hash'"],
  ])("engine line %s", (line, reason) => {
    expect(parseEngineLine(line)).toEqual({ kind: "invalid", text: line, keyword: line.split(" ")[0], reason });
  });
});
