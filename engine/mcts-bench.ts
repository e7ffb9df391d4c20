// The tree-search benchmark. Each bench position is searched from a new tree for a fixed number of
// playouts, and the report gives playouts per second, network positions per second and the mean batch.

import type { ExecutionDevice } from "../nn/onnx-evaluator.js";
import { Position } from "../shogi/position.js";
import { MOVE_NONE } from "../shogi/types.js";
import { BENCH_POSITIONS } from "./bench.js";
import { type EvalThreading, type LeafEvaluator, defaultBatchSize, openLeafEvaluator } from "./mcts-eval.js";
import { MctsNode } from "./mcts-node.js";
import { MctsSearch, type MctsStats } from "./mcts-search.js";

export const MCTS_BENCH_DEFAULT_PLAYOUTS = 4000;
/** Memory budget of each bench tree; large enough that no bench search stops on memory. */
const BENCH_TREE_BYTES = 2 ** 30;

export interface MctsBenchOptions {
  /** ONNX model file, or "material". */
  model: string;
  device: ExecutionDevice;
  threads: number;
  /** Leaves per batch; the device's default when 0. */
  batchSize: number;
  playouts: number;
  threading?: EvalThreading;
}

export interface MctsBenchRow {
  sfen: string;
  playouts: number;
  evaluated: number;
  batches: number;
  ms: number;
}

export interface MctsBenchReport {
  evaluator: string;
  device: ExecutionDevice | "none";
  fallbackReason?: string;
  threading: EvalThreading;
  batchSize: number;
  rows: MctsBenchRow[];
  playouts: number;
  /** Positions the network evaluated. */
  evaluated: number;
  batches: number;
  ms: number;
  playoutsPerSecond: number;
  /** Network positions per second of search time. */
  positionsPerSecond: number;
  meanBatch: number;
  /** Share of the search time that the network spent evaluating; undefined for the inline evaluator, which cannot measure it. */
  networkShare?: number;
}

/** Searches every bench position for `playouts` playouts with a new tree and sums the statistics. */
export async function runMctsBench(options: MctsBenchOptions, onRow?: (row: MctsBenchRow) => void): Promise<MctsBenchReport> {
  const threading = options.threading ?? "worker";
  const evaluator = await openLeafEvaluator({ model: options.model, device: options.device, threads: options.threads, threading });
  try {
    const batchSize = options.batchSize > 0 ? options.batchSize : defaultBatchSize(evaluator.device);
    const rows: MctsBenchRow[] = [];
    let networkMs = 0;
    for (const sfen of BENCH_POSITIONS) {
      const stats = await searchOne(evaluator, sfen, batchSize, options.playouts);
      const row = { sfen, playouts: stats.playouts, evaluated: stats.evaluated, batches: stats.batches, ms: Math.round(stats.ms) };
      networkMs += stats.networkMs;
      rows.push(row);
      onRow?.(row);
    }
    return summarize(evaluator, threading, batchSize, rows, networkMs);
  } finally {
    await evaluator.close();
  }
}

async function searchOne(evaluator: LeafEvaluator, sfen: string, batchSize: number, playouts: number): Promise<MctsStats> {
  const search = new MctsSearch(evaluator);
  const outcome = await search.search(
    Position.fromSfen(sfen), new MctsNode(MOVE_NONE, -1), { playouts, batchSize, memoryBytes: BENCH_TREE_BYTES }, { enteringKingRule: "csa27" },
  );
  return outcome.stats;
}

function summarize(
  evaluator: LeafEvaluator, threading: EvalThreading, batchSize: number, rows: MctsBenchRow[], networkMs: number,
): MctsBenchReport {
  const sum = (pick: (row: MctsBenchRow) => number): number => rows.reduce((total, row) => total + pick(row), 0);
  const playouts = sum((row) => row.playouts);
  const evaluated = sum((row) => row.evaluated);
  const batches = sum((row) => row.batches);
  const ms = Math.max(sum((row) => row.ms), 1);
  return {
    evaluator: evaluator.name, device: evaluator.device, fallbackReason: evaluator.fallbackReason, threading, batchSize, rows,
    playouts, evaluated, batches, ms,
    playoutsPerSecond: Math.round((playouts * 1000) / ms),
    positionsPerSecond: Math.round((evaluated * 1000) / ms),
    meanBatch: batches > 0 ? evaluated / batches : 0,
    networkShare: threading === "worker" ? networkMs / ms : undefined,
  };
}
