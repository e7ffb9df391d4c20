// Perft benchmark: the project's move generator against shogiops and Fairy-Stockfish, on the same
// positions in one run, with every leaf count checked against its known value.
//
// Usage: node dist/bench/perft.js [--depth N] [--json]

import { parseArgs } from "node:util";
import { FSF_NATIVE_PATH, fsfWasmEngine, isExecutable } from "../usi/reference-engines.js";
import { PERFT_POSITIONS, type PerftPosition } from "./perft-positions.js";
import {
  oursPerft,
  runEngine,
  runInProcess,
  shogiopsPerft,
  type PerftJob,
  type ProgramId,
  type ProgramRun,
} from "./perft-programs.js";
import { buildRows, formatReport, summarize } from "./perft-report.js";

const USAGE = `Usage: node dist/bench/perft.js [--depth N] [--json]

Runs perft on the start position and the matsuri position with the project's move generator,
shogiops, Fairy-Stockfish WebAssembly and, when installed, native Fairy-Stockfish, checks every
leaf count and prints the speed of each program as a ratio to ours.

  --depth N   search every position to depth N (default: 5 for start, 3 for matsuri);
              shogiops searches one ply less, because it is far slower
  --json      also print the results as one JSON object on the last line
  --help      print this text`;

const MIN_DEPTH = 1;
/** Deepest accepted --depth: start position depth 6 has 548 M leaves, and depth 7 about 15 G. */
const MAX_DEPTH = 6;
/** Plies fewer than the full depth for shogiops, which makes every move down to the leaves. */
const SHOGIOPS_DEPTH_REDUCTION = 1;
/** Exit status for a leaf-count mismatch or an unexpected error. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface BenchOptions {
  depth: number | undefined;
  json: boolean;
}

function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: { depth: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean" } },
  });
  if (values.help) return "help";
  if (values.depth === undefined) return { depth: undefined, json: values.json };

  const depth = Number(values.depth);
  if (!Number.isInteger(depth) || depth < MIN_DEPTH || depth > MAX_DEPTH) {
    throw new Error(`invalid --depth "${values.depth}": expected an integer from ${MIN_DEPTH} to ${MAX_DEPTH}`);
  }
  return { depth, json: values.json };
}

/** Lists the jobs of one program: each position at its full depth minus each reduction, at least 1. */
function jobsAt(fullDepth: (position: PerftPosition) => number, reductions: readonly number[]): PerftJob[] {
  return PERFT_POSITIONS.flatMap((position) => {
    const depths = reductions.map((reduction) => Math.max(MIN_DEPTH, fullDepth(position) - reduction));
    return [...new Set(depths)].sort((a, b) => a - b).map((depth) => ({ position, depth }));
  });
}

/** Writes a progress line to stderr when it is a terminal, so piped output stays clean. */
function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

async function runPrograms(depth: number | undefined): Promise<ProgramRun[]> {
  const fullDepth = (position: PerftPosition) => depth ?? position.defaultDepth;
  const engineJobs = jobsAt(fullDepth, [0]);
  // Ours also runs at the shogiops depth, so that every reference row has a ratio.
  const oursJobs = jobsAt(fullDepth, [SHOGIOPS_DEPTH_REDUCTION, 0]);
  const runs: ProgramRun[] = [];

  progress("perft: ours");
  runs.push(runInProcess("ours", oursPerft, oursJobs));

  progress("perft: shogiops");
  runs.push(runInProcess("shogiops", shogiopsPerft, jobsAt(fullDepth, [SHOGIOPS_DEPTH_REDUCTION])));

  progress("perft: fsf-wasm");
  runs.push(await runEngine("fsf-wasm", fsfWasmEngine(), engineJobs));

  progress("perft: fsf-native");
  const native = { command: FSF_NATIVE_PATH, args: [] };
  const nativeRun = isExecutable(FSF_NATIVE_PATH)
    ? await runEngine("fsf-native", native, engineJobs)
    : unavailable("fsf-native", `${FSF_NATIVE_PATH} is not installed`);
  runs.push(nativeRun);
  return runs;
}

function unavailable(program: ProgramId, reason: string): ProgramRun {
  return { program, unavailable: reason, measurements: [] };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`perft: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const runs = await runPrograms(options.depth);
  const rows = buildRows(runs, PERFT_POSITIONS);
  process.stdout.write(`${formatReport(rows, runs)}\n`);
  const summary = summarize(rows, runs, PERFT_POSITIONS);
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.mismatches > 0 ? EXIT_FAILURE : 0;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`perft: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
