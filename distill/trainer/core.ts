// The work of one thread on the shared memory: gradients of a slice of a batch, the optimiser
// update of a part of the parameters, and the evaluation of a slice of validation samples. The
// main thread runs it inline with one worker; worker.ts runs it in each pool thread.
//
// Determinism: a slice's samples are summed into its own gradient slot in sample order, and the
// update sums the slots in slot order, so a seed, a worker count and the kernels (WebAssembly SIMD
// or JavaScript, which round differently) fix every bit of the result.

import { featureSet } from "../../nn/features.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import type { NetworkWeights } from "../../nn/weights.js";
import { layerPrefix } from "../../nn/onnx-graph.js";
import { MAX_MOVES, generateLegal } from "../../shogi/movegen.js";
import type { Position } from "../../shogi/position.js";
import { type Color, MOVE_NONE, move16 } from "../../shogi/types.js";
import { type StaticEvaluator, scoreAfterMove } from "./agreement.js";
import { combineHooks, loadExtensions } from "./extensions.js";
import { crossEntropy, entropy, sigmoid, target } from "./loss.js";
import { GROUP_SIZE, useSimdKernels } from "./kernels.js";
import { heapFloats, heapInts } from "./heap.js";
import { SimdKernels } from "./simd.js";
import {
  type BackwardPlan, type GradientSink, type NetworkHooks, Workspace, backwardGroup, backwardPlan, createGroup, firstNonFinite, forward, forwardGroup,
} from "./network.js";
import { ParameterUpdater } from "./update.js";
import { networkTensorCount, weightsView } from "./parameters.js";
import { type DataProblem, SampleDecoder, isDataProblem } from "./samples.js";
import type { GradientSlot, SharedLayout } from "./shared.js";

export interface GradientTask {
  kind: "gradients";
  batch: number;
  start: number;
  end: number;
  slot: number;
  step: number;
  lambda: number;
  /** Factor on each sample's gradient: 1 / batch size, so gradients are of the batch-mean loss. */
  scale: number;
}

export interface UpdateTask {
  kind: "update";
  part: number;
  parts: number;
  step: number;
  lr: number;
  /** Samples in the step's batch. */
  samples: number;
}

export interface EvaluateTask {
  kind: "evaluate";
  batch: number;
  start: number;
  end: number;
  lambda: number;
  agreement: boolean;
  /** Changes whenever the weights have changed, so cached evaluators are rebuilt. */
  version: number;
}

export type Task = GradientTask | UpdateTask | EvaluateTask;

/** A non-finite value: where it appeared, and the step. */
export interface DivergenceProblem {
  kind: "diverged";
  step: number;
  where: string;
  detail: string;
}

export interface TaskOutcome {
  problem?: DataProblem | DivergenceProblem;
}

class SlotSink implements GradientSink {
  step = 0;
  constructor(readonly slot: GradientSlot) {}
  get grads(): ReadonlyArray<Float32Array | null> {
    return this.slot.grads;
  }
  markRow(parameter: number, row: number): void {
    const stamps = this.slot.stamps[parameter] as Int32Array;
    if (stamps[row] === this.step) return;
    stamps[row] = this.step;
    (this.slot.touched[parameter] as Int32Array)[this.slot.counts[parameter]++] = row;
  }
}

export class TrainerCore implements StaticEvaluator {
  private readonly weights: NetworkWeights;
  private readonly workspace: Workspace;
  /** Workspaces, features, targets, logits and output gradients of a group of training samples. */
  private readonly group: Workspace[];
  private readonly groupFeatures: Int32Array;
  private readonly targets = new Float64Array(GROUP_SIZE);
  private readonly logits = new Float64Array(GROUP_SIZE);
  private readonly outputGrads = new Float64Array(GROUP_SIZE);
  private readonly decoder: SampleDecoder;
  private readonly plan: BackwardPlan;
  private readonly sinks: SlotSink[];
  private readonly layerNames: string[];
  private readonly updater: ParameterUpdater;
  private readonly moves = new Int32Array(MAX_MOVES);
  private readonly childFeatures: Int32Array;
  private evaluator: { version: number; native: NativeEvaluator } | undefined;

  private constructor(
    private readonly layout: SharedLayout,
    private readonly hooks: NetworkHooks | undefined,
  ) {
    const arch = layout.architecture;
    const heap = layout.heap;
    const simd = heap ? SimdKernels.create(heap) : null;
    useSimdKernels(simd);
    // This thread's scratch lies in the heap only when the SIMD kernels read it.
    const scratchHeap = simd ? heap : null;
    const floats = (length: number) => heapFloats(scratchHeap, length);
    const ints = (length: number) => heapInts(scratchHeap, length);
    this.weights = weightsView(arch, layout.values);
    this.workspace = new Workspace(this.weights);
    this.decoder = new SampleDecoder(featureSet(arch.featureSet));
    this.group = createGroup(this.weights, floats);
    this.groupFeatures = ints(GROUP_SIZE * 2 * this.decoder.featureSet.maxActive);
    this.plan = backwardPlan(arch, layout.specs.map((spec) => spec.trainable), hooks);
    this.sinks = layout.slots.map((slot) => new SlotSink(slot));
    this.layerNames = this.weights.layers.map((_, k, all) => layerPrefix(k, all.length));
    this.childFeatures = new Int32Array(2 * this.decoder.featureSet.maxActive);
    this.updater = new ParameterUpdater(layout, simd, ints);
  }

  /** Builds a core on a layout, importing its extensions. */
  static async create(layout: SharedLayout): Promise<TrainerCore> {
    const extensions = await loadExtensions(layout.extensions);
    let first = networkTensorCount(layout.architecture);
    const hookList = extensions.map((extension) => {
      const count = extension.parameters(layout.architecture).length;
      const hooks = extension.hooks(layout.values.slice(first, first + count), first, layout.architecture);
      first += count;
      return hooks;
    });
    return new TrainerCore(layout, combineHooks(hookList));
  }

  run(task: Task): TaskOutcome {
    if (task.kind === "gradients") return this.gradients(task);
    if (task.kind === "update") return this.update(task);
    return this.evaluate(task);
  }

  private gradients(task: GradientTask): TaskOutcome {
    const sink = this.sinks[task.slot];
    sink.step = task.step;
    sink.slot.counts.fill(0);
    const loss = this.layout.batches[task.batch].outputs.loss;
    for (let first = task.start; first < task.end; first += GROUP_SIZE) {
      const n = Math.min(GROUP_SIZE, task.end - first);
      const problem = this.decodeGroup(task.batch, first, n, task.lambda);
      if (problem) return { problem };
      forwardGroup(this.weights, this.group, n, this.groupFeatures, this.decoder.featureSet.maxActive, this.logits, this.hooks);
      for (let s = 0; s < n; s++) {
        const y = this.logits[s];
        if (!Number.isFinite(y)) return { problem: this.divergence(task.step, first + s, this.group[s]) };
        loss[first + s] = crossEntropy(y, this.targets[s]);
        this.outputGrads[s] = (sigmoid(y) - this.targets[s]) * task.scale;
      }
      backwardGroup(this.weights, this.group, n, this.groupFeatures, this.decoder.featureSet.maxActive, this.outputGrads, sink, this.plan, this.hooks);
      this.storeRowInputs(first, n);
    }
    return {};
  }

  /** Copies the group's features and accumulator gradients to where the transformer-row update reads them. */
  private storeRowInputs(first: number, n: number): void {
    const inputs = this.layout.transformerRows;
    if (!inputs) return;
    const width = 2 * this.decoder.featureSet.maxActive;
    const accWidth = 2 * this.layout.architecture.l1;
    inputs.features.set(this.groupFeatures.subarray(0, n * width), first * width);
    for (let s = 0; s < n; s++) inputs.accumulatorGrads.set(this.group[s].accumulatorGrad, (first + s) * accWidth);
  }

  /** Decodes samples first..first+n-1 of a batch into the group's features and targets. */
  private decodeGroup(batch: number, first: number, n: number, lambda: number): DataProblem | undefined {
    const slots = this.layout.batches[batch].slots;
    const width = 2 * this.decoder.featureSet.maxActive;
    for (let s = 0; s < n; s++) {
      const record = this.decoder.decode(slots, first + s);
      if (isDataProblem(record)) return record;
      this.groupFeatures.set(this.decoder.features, s * width);
      this.targets[s] = target(record.score, record.result, lambda);
    }
    return undefined;
  }

  private divergence(step: number, sample: number, workspace: Workspace): DivergenceProblem {
    const where = firstNonFinite(workspace, this.layerNames) || "output";
    return { kind: "diverged", step, where, detail: `the forward pass of batch sample ${sample} gave a non-finite value in ${where}` };
  }

  private update(task: UpdateTask): TaskOutcome {
    const problem = this.updater.run(task);
    return problem ? { problem } : {};
  }

  private evaluate(task: EvaluateTask): TaskOutcome {
    const batch = this.layout.batches[task.batch];
    const outputs = batch.outputs;
    const count = this.decoder.featureSet.maxActive;
    const scale = this.layout.architecture.outputScale;
    for (let i = task.start; i < task.end; i++) {
      const record = this.decoder.decode(batch.slots, i);
      if (isDataProblem(record)) return { problem: record };
      const t = target(record.score, record.result, task.lambda);
      const y = forward(this.weights, this.workspace, this.decoder.features, 0, count, this.hooks);
      outputs.loss[i] = crossEntropy(y, t);
      outputs.entropy[i] = entropy(t);
      outputs.student[i] = scale * y;
      outputs.teacher[i] = record.score;
      outputs.agree[i] = -1;
      if (task.agreement && record.move !== MOVE_NONE) outputs.agree[i] = this.bestMove(task.version) === record.move ? 1 : 0;
    }
    return {};
  }

  /** Finds the student's best move by a 1-ply search of the decoder's position; returns it as a 16-bit move. */
  private bestMove(version: number): number {
    const pos = this.decoder.position;
    const end = generateLegal(pos, this.moves, 0);
    const native = this.hooks ? undefined : this.nativeEvaluator(version);
    native?.reset(pos);
    let best = MOVE_NONE;
    let bestScore = -Infinity;
    for (let i = 0; i < end; i++) {
      const score = scoreAfterMove(pos, this.moves[i], native, this);
      if (score > bestScore) {
        bestScore = score;
        best = this.moves[i];
      }
    }
    return move16(best);
  }

  /** Student score of a position for its side to move, from scratch, hooks included. */
  score(pos: Position): number {
    const set = this.decoder.featureSet;
    const features = this.childFeatures;
    set.activeFeatures(pos, pos.turn, features, 0);
    set.activeFeatures(pos, (pos.turn ^ 1) as Color, features, set.maxActive);
    return this.layout.architecture.outputScale * forward(this.weights, this.workspace, features, 0, set.maxActive, this.hooks);
  }

  private nativeEvaluator(version: number): NativeEvaluator {
    if (this.evaluator?.version !== version) this.evaluator = { version, native: new NativeEvaluator(this.weights) };
    return this.evaluator.native;
  }
}
