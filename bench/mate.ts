// Mate-solver benchmark. It solves the tsume problems of the shared public data set (stated mate
// lengths, no-mate cases and mate problem records up to 49 plies). For each problem it prints the
// result, the time, the nodes and the speed, and at the end the number solved as stated.
//
// Usage: node dist/bench/mate.js [--data DIR] [--time-ms N] [--hash-mb N] [--filter TEXT] [--json]

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type MateResult, solveMate } from "../engine/mate.js";
import { Position } from "../shogi/position.js";
import { parseRecord } from "../shogi/records/index.js";

const USAGE = `Usage: node dist/bench/mate.js [--data DIR] [--time-ms N] [--hash-mb N] [--filter TEXT] [--json]

Solves the mate problems of the shared data set with the project's df-pn solver and prints the
result, time, nodes and nodes per second of each, then how many were solved as stated.

  --data DIR     folder of the shared data set (default: ../shared/data beside the checkout)
  --time-ms N    time limit of one problem in milliseconds (default ${30_000})
  --hash-mb N    hash table size in MiB (default 64)
  --filter TEXT  only problems whose name contains TEXT
  --json         also print the results as one JSON object on the last line
  --help         print this text`;

const DEFAULT_TIME_MS = 30_000;
const DEFAULT_HASH_MB = 64;
const EXIT_USAGE = 2;
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Expected result: a mate of this length, any mate, or no mate (within `within` plies, when given). */
type Expected = { kind: "mate"; plies: number } | { kind: "nomate"; within?: number } | { kind: "mate_any" };

interface Problem {
  name: string;
  sfen: string;
  expected: Expected;
}

/** Record files of mate problems; the solution line of each gives its length. */
const RECORD_FILES = [
  "na2hiro__Kifu-for-JS/packages/json-kifu-format/test/files/ki2/kobayashi_kinsho196702.ki2",
  "na2hiro__Kifu-for-JS/packages/json-kifu-format/test/files/kif/taichitsume.kif",
  "na2hiro__Kifu-for-JS/packages/json-kifu-format/test/files/kif/32ryu-cumbersome.kif",
  "na2hiro__Kifu-for-JS/packages/Kifu-for-JS/examples/files/kif/hashimoto-sos.kif",
  "na2hiro__Kifu-for-JS/packages/json-kifu-format/test/files/kif/kifu_for_iphone.kif",
  ...["1te", "3te"].flatMap((folder) =>
    Array.from({ length: 10 }, (_, i) => `Marken-Foo__tsumemi/sample_problems/${folder}/${i + 1}.kif`),
  ),
];
/** Record problems whose solution line is not the shortest forced mate, with the true length. */
const RECORD_LENGTH_OVERRIDES: Readonly<Record<string, number>> = {
  "Marken-Foo__tsumemi/sample_problems/3te/9.kif": 5,
};

function readTsvRows(file: string): string[][] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t"));
}

function tsumeCases(data: string): Problem[] {
  const rows = readTsvRows(path.join(data, "antma__tsumeshogi-check/extracted/tsume_cases.tsv"));
  return rows.map(([sfen, kind, plies, source], i) => ({
    name: `tsume-check ${i + 1} ${source}`,
    sfen,
    expected: kind === "mate" ? { kind: "mate", plies: Number(plies) } : { kind: "nomate", within: Number(plies) },
  }));
}

function mateProblems(data: string): Problem[] {
  const lengths: Readonly<Record<string, Expected>> = {
    mate5: { kind: "mate", plies: 5 },
    mate9: { kind: "mate", plies: 9 },
    dpm9: { kind: "mate", plies: 9 },
    gs: { kind: "mate_any" },
    nomate: { kind: "nomate" },
  };
  const rows = readTsvRows(path.join(data, "rust-shogi-crates__shogi_legality_lite/extracted/mate_problems.tsv"));
  return rows.flatMap(([id, sfen]) => (lengths[id] ? [{ name: `legality-lite ${id}`, sfen, expected: lengths[id] }] : []));
}

function engineTests(data: string): Problem[] {
  const problems: Problem[] = [];
  const text = readFileSync(path.join(data, "komori-n__mate-engine-test/tests/tests.yaml"), "utf8");
  for (const line of text.split("\n")) {
    const sfen = /^\s*- sfen: (.+)$/.exec(line);
    const last = problems[problems.length - 1];
    const minLength = /^\s*min_mate_len: (\d+)/.exec(line);
    if (sfen) problems.push({ name: `engine-test ${problems.length + 1}`, sfen: sfen[1].trim(), expected: { kind: "mate_any" } });
    else if (/^\s*nomate: true/.test(line)) last.expected = { kind: "nomate" };
    else if (minLength) last.expected = { kind: "mate", plies: Number(minLength[1]) };
  }
  return problems;
}

function recordProblems(data: string): Problem[] {
  return RECORD_FILES.map((file) => {
    const record = parseRecord(readFileSync(path.join(data, file)));
    const plies = RECORD_LENGTH_OVERRIDES[file] ?? record.moves.length;
    return { name: path.basename(path.dirname(file)) + "/" + path.basename(file), sfen: record.initialSfen, expected: { kind: "mate", plies } };
  });
}

/** Tells whether a result matches the expected one. */
function isSolved(expected: Expected, result: MateResult): boolean {
  if (expected.kind === "mate") return result.kind === "mate" && result.mateLength === expected.plies;
  if (expected.kind === "mate_any") return result.kind === "mate";
  if (expected.within !== undefined && result.kind === "mate") return result.mateLength > expected.within;
  return result.kind === "nomate";
}

function describeExpected(expected: Expected): string {
  if (expected.kind === "mate") return `mate ${expected.plies}`;
  if (expected.kind === "mate_any") return "mate";
  return expected.within === undefined ? "nomate" : `no mate <= ${expected.within}`;
}

function describeResult(result: MateResult): string {
  return result.kind === "mate" ? `mate ${result.mateLength} (${result.moves.length} plies)` : result.kind;
}

interface Row {
  name: string;
  expected: string;
  result: string;
  solved: boolean;
  ms: number;
  nodes: number;
}

function runProblem(problem: Problem, timeMs: number, hashMb: number): Row {
  const pos = Position.fromSfen(problem.sfen);
  const started = performance.now();
  const result = solveMate(pos, { timeMs, hashMb });
  const ms = performance.now() - started;
  return {
    name: problem.name,
    expected: describeExpected(problem.expected),
    result: describeResult(result),
    solved: isSolved(problem.expected, result),
    ms,
    nodes: result.nodes,
  };
}

function formatRow(row: Row): string {
  const rate = row.ms > 0 ? Math.round(row.nodes / (row.ms / 1000)) : 0;
  const mark = row.solved ? "ok  " : "FAIL";
  return `${mark} ${row.name.padEnd(48)} ${row.expected.padEnd(16)} ${row.result.padEnd(22)} ${row.ms.toFixed(0).padStart(7)} ms ${String(row.nodes).padStart(9)} nodes ${String(rate).padStart(8)} nodes/s`;
}

function parseOptions(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: "string" },
      "time-ms": { type: "string" },
      "hash-mb": { type: "string" },
      filter: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const timeMs = Number(values["time-ms"] ?? DEFAULT_TIME_MS);
  const hashMb = Number(values["hash-mb"] ?? DEFAULT_HASH_MB);
  if (!(timeMs > 0)) throw new Error(`invalid --time-ms "${values["time-ms"]}": expected a positive number`);
  if (!(hashMb >= 1)) throw new Error(`invalid --hash-mb "${values["hash-mb"]}": expected a number of MiB, at least 1`);
  const data = values.data ?? path.resolve(PROJECT_ROOT, "../shared/data");
  return { help: values.help, data, timeMs, hashMb, filter: values.filter ?? "", json: values.json };
}

function main(): void {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  if (!existsSync(options.data)) {
    process.stderr.write(`data folder not found: ${options.data}; pass --data DIR\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }

  const { data } = options;
  const problems = [...tsumeCases(data), ...mateProblems(data), ...engineTests(data), ...recordProblems(data)];
  const rows: Row[] = [];
  for (const problem of problems) {
    if (!problem.name.includes(options.filter)) continue;
    const row = runProblem(problem, options.timeMs, options.hashMb);
    rows.push(row);
    process.stdout.write(`${formatRow(row)}\n`);
  }

  const solved = rows.filter((row) => row.solved).length;
  const ms = rows.reduce((sum, row) => sum + row.ms, 0);
  const nodes = rows.reduce((sum, row) => sum + row.nodes, 0);
  const rate = ms > 0 ? Math.round(nodes / (ms / 1000)) : 0;
  process.stdout.write(`solved ${solved}/${rows.length} as stated; ${ms.toFixed(0)} ms, ${nodes} nodes, ${rate} nodes/s\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ solved, problems: rows.length, ms, nodes, rows })}\n`);
}

main();
