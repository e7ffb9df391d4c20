// Throughput of the two evaluators on one model: the native evaluator in a do/undo walk, and
// ONNX Runtime on pre-encoded batches. Positions come from seeded random play.

import { legalMoves } from "../shogi/movegen.js";
import { Position } from "../shogi/position.js";
import type { Move } from "../shogi/types.js";
import { type FeatureBatch, encodeFeatureBatch } from "./feature-batch.js";
import { featureSet } from "./features.js";
import { NativeEvaluator } from "./native-evaluator.js";
import { type ExecutionDevice, OnnxEvaluator } from "./onnx-evaluator.js";
import type { LoadedModel } from "./onnx-reader.js";
import { seededUniform } from "./weights.js";

const WALK_MAX_DEPTH = 64;
/** Chance of taking a move back at each step of the walk, so depth wanders like a search. */
const WALK_UNDO_CHANCE = 0.45;
const UNDO = -1;

export interface NativeBenchmark {
  evaluations: number;
  ms: number;
  evaluationsPerSecond: number;
}

export interface OnnxBenchmark {
  batchSize: number;
  positions: number;
  ms: number;
  positionsPerSecond: number;
  device: ExecutionDevice;
  fallbackReason?: string;
}

/** Records a seeded walk of `steps` do/undo steps, each a move to play or UNDO. */
function recordWalk(steps: number, seed: number): Move[] {
  const random = seededUniform(seed);
  const pos = Position.startpos();
  const walk: Move[] = [];
  let depth = 0;
  while (walk.length < steps) {
    const moves = legalMoves(pos);
    if (depth > 0 && (moves.length === 0 || depth >= WALK_MAX_DEPTH || random() < WALK_UNDO_CHANCE)) {
      pos.undoMove();
      depth--;
      walk.push(UNDO);
      continue;
    }
    const move = moves[Math.floor(random() * moves.length)];
    pos.doMove(move);
    depth++;
    walk.push(move);
  }
  return walk;
}

/**
 * Times push/doMove/evaluate and undoMove/pop/evaluate over a recorded random walk. With simd
 * false the dense layers run in JavaScript even where WebAssembly SIMD is available.
 */
export function benchmarkNative(model: LoadedModel, steps = 200_000, seed = 1, simd = true): NativeBenchmark {
  const walk = recordWalk(steps, seed);
  const evaluator = new NativeEvaluator(model.weights, { maxPly: WALK_MAX_DEPTH + 1, simd });
  const pos = Position.startpos();
  evaluator.reset(pos);
  let checksum = 0;
  const started = performance.now();
  for (const step of walk) {
    if (step === UNDO) {
      pos.undoMove();
      evaluator.pop();
    } else {
      evaluator.push(pos, step);
      pos.doMove(step);
    }
    checksum += evaluator.evaluate(pos);
  }
  const ms = performance.now() - started;
  if (!Number.isFinite(checksum)) throw new Error("the native evaluator returned a non-finite score");
  return { evaluations: walk.length, ms, evaluationsPerSecond: (walk.length * 1000) / ms };
}

/** Positions of seeded random games, for batch benchmarks. */
export function randomPositions(count: number, seed: number): Position[] {
  const random = seededUniform(seed);
  const positions: Position[] = [];
  let pos = Position.startpos();
  while (positions.length < count) {
    const moves = legalMoves(pos);
    if (moves.length === 0 || pos.ply >= 200) {
      pos = Position.startpos();
      continue;
    }
    pos.doMove(moves[Math.floor(random() * moves.length)]);
    positions.push(pos.clone());
  }
  return positions;
}

/** Times ONNX Runtime's session.run on batches encoded beforehand (encoding is not timed). */
export async function benchmarkOnnx(
  model: LoadedModel,
  options: { batchSizes: number[]; positions: number; threads: number; device: ExecutionDevice },
): Promise<OnnxBenchmark[]> {
  const evaluator = await OnnxEvaluator.create(model, { device: options.device, intraOpNumThreads: options.threads });
  const set = featureSet(model.card.architecture.featureSet);
  const pool = randomPositions(options.positions, 2);
  const results: OnnxBenchmark[] = [];
  try {
    for (const batchSize of options.batchSizes) {
      const batches: FeatureBatch[] = [];
      for (let i = 0; i + batchSize <= pool.length; i += batchSize) batches.push(encodeFeatureBatch(set, pool.slice(i, i + batchSize)));
      await evaluator.evaluateBatch(batches[0]);
      const started = performance.now();
      for (const batch of batches) await evaluator.evaluateBatch(batch);
      const ms = performance.now() - started;
      const positions = batches.length * batchSize;
      results.push({ batchSize, positions, ms, positionsPerSecond: (positions * 1000) / ms, device: evaluator.device, fallbackReason: evaluator.fallbackReason });
    }
  } finally {
    await evaluator.release();
  }
  return results;
}
