// `shogi-lab bench`: searches the fixed bench positions. In alpha-beta mode it searches to a fixed
// depth and prints the node count. In mcts mode it runs a fixed number of playouts per position and
// prints playouts per second, network positions per second and the mean batch size.
import path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { BENCH_DEFAULT_DEPTH, type BenchReport, runBench } from "../engine/bench.js";
import { loadEvaluator } from "../engine/load-evaluator.js";
import { MCTS_BENCH_DEFAULT_PLAYOUTS, type MctsBenchReport, runMctsBench } from "../engine/mcts-bench.js";
import type { EvalThreading } from "../engine/mcts-eval.js";
import { DEFAULT_MODEL, SEARCH_MODES, type SearchMode } from "../engine/options.js";
import { ENGINE_ROOT } from "../engine/usi-main.js";
import type { ExecutionDevice } from "../nn/onnx-evaluator.js";
import { parseDevice } from "./usi.js";

export interface BenchOptions {
  mode: SearchMode;
  depth: number;
  /** Evaluation model; "material" for alpha-beta and the shipped model for mcts when absent. */
  model?: string;
  json: boolean;
  device: ExecutionDevice;
  batchSize: number;
  threads: number;
  playouts: number;
  inlineEval: boolean;
}

export async function benchCommand(options: BenchOptions): Promise<BenchReport> {
  const evaluator = await loadEvaluator(options.model ?? "material");
  return runBench(evaluator, options.depth, (row) => {
    if (!options.json && process.stderr.isTTY) process.stderr.write(`${row.nodes} nodes in ${row.ms} ms: ${row.sfen}\n`);
  });
}

/** Runs the tree-search bench with the options of `shogi-lab bench --mode mcts`. */
export async function mctsBenchCommand(options: BenchOptions): Promise<MctsBenchReport> {
  const threading: EvalThreading = options.inlineEval ? "inline" : "worker";
  return runMctsBench(
    { model: options.model ?? path.resolve(ENGINE_ROOT, DEFAULT_MODEL), device: options.device, threads: options.threads, batchSize: options.batchSize, playouts: options.playouts, threading },
    (row) => {
      if (!options.json && process.stderr.isTTY) process.stderr.write(`${row.playouts} playouts in ${row.ms} ms: ${row.sfen}\n`);
    },
  );
}

function wholeNumber(flag: string, min: number, max: number, unit: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`invalid ${flag} "${text}": give a whole number of ${unit} from ${min} to ${max}`);
    }
    return value;
  };
}

function parseMode(text: string): SearchMode {
  const mode = SEARCH_MODES.find((known) => known === text);
  if (mode === undefined) throw new InvalidArgumentError(`invalid --mode "${text}": give one of ${SEARCH_MODES.join(", ")}`);
  return mode;
}

function printMctsReport(report: MctsBenchReport): void {
  if (report.fallbackReason !== undefined) process.stderr.write(`${report.fallbackReason}\n`);
  const thread = report.threading === "worker" ? "in its own thread" : "on the search thread";
  process.stdout.write(`evaluator ${report.evaluator} on ${report.device} (network ${thread}), batch ${report.batchSize}\n`);
  process.stdout.write(`playouts ${report.playouts}\nms ${report.ms}\nplayouts/s ${report.playoutsPerSecond}\n`);
  process.stdout.write(`network positions/s ${report.positionsPerSecond}\nmean batch ${report.meanBatch.toFixed(1)}\n`);
  if (report.networkShare !== undefined) process.stdout.write(`network busy ${(100 * report.networkShare).toFixed(0)}% of the search time\n`);
}

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("Search fixed positions: to a fixed depth (alphabeta; the node count changes only when search or evaluation changes) or for fixed playouts (mcts)")
    .option("--mode <mode>", `search: ${SEARCH_MODES.join(" or ")}`, parseMode, "alphabeta")
    .option("--depth <plies>", "alphabeta: search depth in plies", wholeNumber("--depth", 1, 64, "plies"), BENCH_DEFAULT_DEPTH)
    .option("--model <file>", "evaluation: an ONNX model file, or 'material' (default: material for alphabeta, the shipped model for mcts)")
    .option("--device <device>", "mcts: ONNX Runtime device, cpu, webgpu or cuda", parseDevice, "cpu")
    .option("--batch-size <leaves>", "mcts: leaves per network batch, 0 for the device's default", wholeNumber("--batch-size", 0, 4096, "leaves"), 0)
    .option("--threads <count>", "mcts: ONNX Runtime intra-op threads", wholeNumber("--threads", 1, 256, "threads"), 1)
    .option("--playouts <count>", "mcts: playouts per position", wholeNumber("--playouts", 1, 10_000_000, "playouts"), MCTS_BENCH_DEFAULT_PLAYOUTS)
    .option("--inline-eval", "mcts: run the network on the search thread instead of its own thread, for comparison", false)
    .option("--json", "print one JSON object as the last line", false)
    .action(async (options: BenchOptions) => {
      if (options.mode === "mcts") {
        const report = await mctsBenchCommand(options);
        if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else printMctsReport(report);
        return;
      }
      const report = await benchCommand(options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write(`evaluator ${report.evaluator}, depth ${report.depth}\n`);
      process.stdout.write(`nodes ${report.nodes}\nms ${report.ms}\nnodes/s ${report.nps}\n`);
    });
}
