// `shogi-lab bench`: searches the fixed bench positions to a fixed depth and prints the node count.
import type { Command } from "commander";
import { BENCH_DEFAULT_DEPTH, type BenchReport, runBench } from "../engine/bench.js";
import { loadEvaluator } from "../engine/load-evaluator.js";

export interface BenchOptions {
  depth: number;
  model: string;
  json: boolean;
}

export async function benchCommand(options: BenchOptions): Promise<BenchReport> {
  const evaluator = await loadEvaluator(options.model);
  return runBench(evaluator, options.depth, (row) => {
    if (!options.json && process.stderr.isTTY) process.stderr.write(`${row.nodes} nodes in ${row.ms} ms: ${row.sfen}\n`);
  });
}

function parseDepth(text: string): number {
  const depth = Number(text);
  if (!Number.isInteger(depth) || depth < 1 || depth > 64) throw new Error(`invalid --depth "${text}": give a whole number of plies from 1 to 64`);
  return depth;
}

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("Search fixed positions to a fixed depth; the total node count changes only when search or evaluation changes")
    .option("--depth <plies>", "search depth in plies", parseDepth, BENCH_DEFAULT_DEPTH)
    .option("--model <file>", "evaluation: an ONNX model file, or 'material' for the material-only evaluator", "material")
    .option("--json", "print one JSON object as the last line", false)
    .action(async (options: BenchOptions) => {
      const report = await benchCommand(options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write(`evaluator ${report.evaluator}, depth ${report.depth}\n`);
      process.stdout.write(`nodes ${report.nodes}\nms ${report.ms}\nnodes/s ${report.nps}\n`);
    });
}
