// Leaf evaluators of the tree search: batches of positions in, centipawn scores out.
//
// onnxruntime-node 1.31 runs a session synchronously on the calling thread (its `run` promise only
// defers the call with setImmediate), so evaluating on the search thread would stop the tree search
// while the network runs. The default evaluator therefore owns an ONNX Runtime session in a
// separate worker thread (mcts-eval-worker.ts): the search thread encodes features, posts the
// batch, and keeps searching until the scores come back. The inline variant, for comparison,
// evaluates on the calling thread; the material variant scores at once without a network.

import { Worker } from "node:worker_threads";
import { createFeatureBatch, encodeFeatureBatch, type FeatureBatch } from "../nn/feature-batch.js";
import { type FeatureSet, featureSet } from "../nn/features.js";
import { type ExecutionDevice, OnnxEvaluator } from "../nn/onnx-evaluator.js";
import type { Position } from "../shogi/position.js";
import { MaterialEvaluator } from "./evaluator.js";
import type { EvalReply, EvalRequest } from "./mcts-eval-worker.js";

export interface BatchResult {
  /** Centipawn scores for each row's side to move. */
  scores: Float32Array;
  /** Policy logits, POLICY_SIZE per row (see mcts-priors.ts), when the model has a policy output. */
  policy?: Float32Array;
  /**
   * Milliseconds the network spent on the batch, transfers excluded. Undefined where the network
   * shares the search thread, because its time cannot be separated from the search's there.
   */
  networkMs?: number;
}

/** Positions gathered for one evaluation. Rows are added while the batch is idle, never while it runs. */
export interface LeafBatch {
  readonly capacity: number;
  readonly size: number;
  add(pos: Position): void;
  clear(): void;
  /** Evaluates rows [0, size); the batch may be cleared and refilled once the promise settles. */
  run(): Promise<BatchResult>;
}

export interface LeafEvaluator {
  readonly name: string;
  /** Device in use; "none" for the material evaluator. */
  readonly device: ExecutionDevice | "none";
  /** Reason the requested device is not in use, when ONNX Runtime fell back to the CPU. */
  readonly fallbackReason: string | undefined;
  readonly hasPolicy: boolean;
  createBatch(capacity: number): LeafBatch;
  close(): Promise<void>;
}

/** Thread of the network: its own worker thread, or the caller's thread. */
export type EvalThreading = "worker" | "inline";

export interface LeafEvaluatorOptions {
  /** ONNX model file, or "material" for material scores without a network. */
  model: string;
  device: ExecutionDevice;
  /** ONNX Runtime intra-op threads. */
  threads: number;
  threading?: EvalThreading;
}

/** Batch size used when the BatchSize option is 0. */
const DEFAULT_BATCH_CPU = 64;
const DEFAULT_BATCH_GPU = 256;
const MATERIAL_NAME = "material";

/**
 * Default batch size for a device: small on the CPU, where latency grows with the batch, larger on
 * a GPU. NOTE: the tree search has never run on webgpu or cuda, because the development machines
 * have no GPU (Mesa's software Vulkan does not satisfy Dawn), so the GPU size is a guess.
 */
export function defaultBatchSize(device: ExecutionDevice | "none"): number {
  return device === "webgpu" || device === "cuda" ? DEFAULT_BATCH_GPU : DEFAULT_BATCH_CPU;
}

/** Opens the evaluator of a model; throws ModelError for an unusable model file. */
export async function openLeafEvaluator(options: LeafEvaluatorOptions): Promise<LeafEvaluator> {
  if (options.model === MATERIAL_NAME) return new MaterialLeafEvaluator();
  if (options.threading === "inline") return InlineOnnxEvaluator.open(options);
  return WorkerOnnxEvaluator.open(options);
}

class MaterialLeafEvaluator implements LeafEvaluator {
  readonly name = MATERIAL_NAME;
  readonly device = "none";
  readonly fallbackReason = undefined;
  readonly hasPolicy = false;
  private readonly material = new MaterialEvaluator();

  createBatch(capacity: number): LeafBatch {
    const scores = new Float32Array(capacity);
    let size = 0;
    return {
      capacity,
      get size() {
        return size;
      },
      add: (pos) => {
        scores[size++] = this.material.evaluate(pos);
      },
      clear: () => {
        size = 0;
      },
      run: () => Promise.resolve({ scores: scores.subarray(0, size), networkMs: 0 }),
    };
  }

  async close(): Promise<void> {}
}

/** Rows of int64 feature indices, encoded one position at a time through a one-row view. */
abstract class FeatureRows implements LeafBatch {
  size = 0;
  protected features: FeatureBatch;

  constructor(
    readonly capacity: number,
    private readonly set: FeatureSet,
  ) {
    this.features = createFeatureBatch(capacity, set.maxActive);
  }

  add(pos: Position): void {
    const width = this.set.maxActive;
    const start = this.size * width;
    const row: FeatureBatch = {
      size: 1, maxActive: width, us: this.features.us.subarray(start, start + width), them: this.features.them.subarray(start, start + width),
    };
    encodeFeatureBatch(this.set, [pos], row);
    this.size++;
  }

  clear(): void {
    this.size = 0;
  }

  abstract run(): Promise<BatchResult>;
}

class InlineBatch extends FeatureRows {
  constructor(
    capacity: number,
    private readonly onnx: OnnxEvaluator,
  ) {
    super(capacity, onnx.features);
  }

  async run(): Promise<BatchResult> {
    // ONNX Runtime runs the batch later on this thread, between other queued work, so its time is not measured.
    const scores = await this.onnx.evaluateBatch({ ...this.features, size: this.size });
    return { scores };
  }
}

class InlineOnnxEvaluator implements LeafEvaluator {
  readonly hasPolicy = false;

  private constructor(
    readonly name: string,
    private readonly onnx: OnnxEvaluator,
  ) {}

  static async open(options: LeafEvaluatorOptions): Promise<InlineOnnxEvaluator> {
    const onnx = await OnnxEvaluator.create(options.model, { device: options.device, intraOpNumThreads: options.threads });
    return new InlineOnnxEvaluator(options.model, onnx);
  }

  get device(): ExecutionDevice {
    return this.onnx.device;
  }

  get fallbackReason(): string | undefined {
    return this.onnx.fallbackReason;
  }

  createBatch(capacity: number): LeafBatch {
    return new InlineBatch(capacity, this.onnx);
  }

  async close(): Promise<void> {
    await this.onnx.release();
  }
}

interface PendingRun {
  resolve(result: BatchResult & { us: BigInt64Array; them: BigInt64Array }): void;
  reject(error: Error): void;
}

class WorkerBatch extends FeatureRows {
  constructor(
    capacity: number,
    set: FeatureSet,
    private readonly owner: WorkerOnnxEvaluator,
  ) {
    super(capacity, set);
  }

  async run(): Promise<BatchResult> {
    const reply = await this.owner.post(this.size, this.features);
    // The feature buffers went to the evaluation thread and came back with the scores.
    this.features = { ...this.features, us: reply.us, them: reply.them };
    return reply;
  }
}

/** An ONNX Runtime session in its own worker thread. */
class WorkerOnnxEvaluator implements LeafEvaluator {
  // NOTE: a policy output is never read, because OnnxEvaluator returns only the score output and
  // readModelFile accepts only the score network's graph. A model with a "policy" output needs both
  // extended, and the root, which is never evaluated, would still start from heuristic priors.
  readonly hasPolicy = false;
  private readonly pending = new Map<number, PendingRun>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(
    readonly name: string,
    readonly device: ExecutionDevice,
    readonly fallbackReason: string | undefined,
    private readonly set: FeatureSet,
    private readonly worker: Worker,
  ) {
    worker.on("message", (reply: EvalReply) => this.onReply(reply));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => this.fail(new Error(`the evaluation thread exited with code ${code}`)));
  }

  static async open(options: LeafEvaluatorOptions): Promise<WorkerOnnxEvaluator> {
    const worker = new Worker(new URL("./mcts-eval-worker.js", import.meta.url));
    // The thread must not keep a process alive that has nothing else to do.
    worker.unref();
    const opened = await new Promise<EvalReply>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.postMessage({ type: "open", model: options.model, device: options.device, threads: options.threads } satisfies EvalRequest);
    });
    if (opened.type !== "opened") {
      await worker.terminate();
      throw new Error(opened.type === "open-failed" ? opened.message : `unexpected reply ${opened.type} from the evaluation thread`);
    }
    return new WorkerOnnxEvaluator(options.model, opened.device, opened.fallbackReason, featureSet(opened.featureSet), worker);
  }

  createBatch(capacity: number): LeafBatch {
    return new WorkerBatch(capacity, this.set, this);
  }

  /** Sends the first `size` rows to the evaluation thread, handing over the feature buffers. */
  post(size: number, features: FeatureBatch): Promise<BatchResult & { us: BigInt64Array; them: BigInt64Array }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const request: EvalRequest = { type: "run", id, size, maxActive: features.maxActive, us: features.us, them: features.them };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The buffers are plain ArrayBuffers (createFeatureBatch allocates them), so they can be transferred.
      this.worker.postMessage(request, [features.us.buffer as ArrayBuffer, features.them.buffer as ArrayBuffer]);
    });
  }

  private onReply(reply: EvalReply): void {
    if (reply.type !== "result" && reply.type !== "run-failed") return;
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.type === "run-failed") pending.reject(new Error(`network evaluation failed: ${reply.message}`));
    else pending.resolve({ scores: reply.scores, networkMs: reply.networkMs, us: reply.us, them: reply.them });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error("the evaluator is closed");
    await this.worker.terminate();
  }
}
