// Native incremental evaluator for alpha-beta search: the same function as the ONNX graph, with
// the transformer's accumulators kept on a stack and updated from the features a move changes.
//
// Usage: reset(pos) at the root; push(pos, move) before pos.doMove(move); pop() after
// pos.undoMove(); evaluate(pos) for the score of the side to move, in centipawns.
//
// State per ply: two accumulators (Black's and White's perspective, l1 floats each), a "computed"
// flag per perspective and the move's feature changes. push() only records the changes, and
// evaluate() brings the accumulators up to date from the nearest computed ancestor. It rebuilds a
// perspective's accumulator from the position instead when that perspective's king moved on the
// way. Nothing is allocated after construction. The dense layers run in WebAssembly SIMD when the
// runtime has it (simd-dense.ts), otherwise in the JavaScript loops below.

import { type Architecture } from "./architecture.js";
import { type FeatureChanges, type FeatureSet, MAX_CHANGED, createFeatureChanges, featureSet } from "./features.js";
import { SimdDense } from "./simd-dense.js";
import type { NetworkWeights } from "./weights.js";
import type { Position } from "../shogi/position.js";
import type { Color, Move } from "../shogi/types.js";

/** Default depth of the accumulator stack, in plies from the root. */
export const DEFAULT_MAX_PLY = 256;

export interface NativeEvaluatorOptions {
  /** Depth of the accumulator stack in plies from the root; DEFAULT_MAX_PLY when not given. */
  maxPly?: number;
  /** Run the dense layers in WebAssembly SIMD where available (default true); false forces JavaScript. */
  simd?: boolean;
}

export class NativeEvaluator {
  readonly architecture: Architecture;
  readonly features: FeatureSet;
  readonly maxPly: number;
  private readonly l1: number;
  private readonly ftWeights: Float32Array;
  private readonly ftBias: Float32Array;
  /** First dense layer transposed to [inputs][outputs], so zero inputs can be skipped. */
  private readonly firstLayer: Float32Array;
  private readonly layers: NetworkWeights["layers"];
  /** Accumulators, indexed by (ply * 2 + perspective) * l1. */
  private readonly accumulators: Float32Array;
  private readonly computed: Uint8Array;
  private readonly changes: FeatureChanges[];
  /** Input of each dense layer: layerInputs[0] is h0 (2 * l1 values). */
  private readonly layerInputs: Float32Array[];
  private readonly activeScratch: Int32Array;
  /** Float64 partial sums of the first dense layer and of an accumulator refresh. */
  private readonly sums: Float64Array;
  private readonly accumulatorSums: Float64Array;
  /** The dense layers in WebAssembly SIMD, or undefined when the JavaScript loops run them. */
  private readonly simd: SimdDense | undefined;
  private ply = 0;

  constructor(weights: NetworkWeights, options: NativeEvaluatorOptions = {}) {
    const maxPly = options.maxPly ?? DEFAULT_MAX_PLY;
    this.architecture = weights.architecture;
    this.features = featureSet(weights.architecture.featureSet);
    this.maxPly = maxPly;
    this.l1 = weights.architecture.l1;
    this.ftWeights = weights.ftWeights;
    this.ftBias = weights.ftBias;
    this.layers = weights.layers;
    this.firstLayer = transpose(weights.layers[0].weights, weights.layers[0].outputs, weights.layers[0].inputs);
    this.accumulators = new Float32Array((maxPly + 1) * 2 * this.l1);
    this.computed = new Uint8Array((maxPly + 1) * 2);
    this.changes = Array.from({ length: maxPly + 1 }, createFeatureChanges);
    this.layerInputs = weights.layers.map((layer) => new Float32Array(layer.inputs));
    this.activeScratch = new Int32Array(this.features.maxActive);
    this.sums = new Float64Array(weights.layers[0].outputs);
    this.accumulatorSums = new Float64Array(this.l1);
    this.simd = options.simd === false ? undefined : SimdDense.create(weights.layers);
  }

  /** Starts a new stack at `pos` (ply 0) and computes both accumulators from scratch. */
  reset(pos: Position): void {
    this.ply = 0;
    this.refresh(pos, 0);
    this.refresh(pos, 1);
  }

  /** Records a legal move; call it before pos.doMove(move). Throws past maxPly. */
  push(pos: Position, move: Move): void {
    if (this.ply >= this.maxPly) throw new RangeError(`accumulator stack full: more than ${this.maxPly} plies from the root`);
    this.ply++;
    this.features.moveChanges(pos, move, this.changes[this.ply]);
    this.computed[this.ply * 2] = 0;
    this.computed[this.ply * 2 + 1] = 0;
  }

  /** Records a null move (the side to move passes): the accumulators stay as they are. */
  pushNull(): void {
    if (this.ply >= this.maxPly) throw new RangeError(`accumulator stack full: more than ${this.maxPly} plies from the root`);
    this.ply++;
    const changes = this.changes[this.ply];
    changes.removedCount.fill(0);
    changes.addedCount.fill(0);
    changes.refresh.fill(0);
    this.computed[this.ply * 2] = 0;
    this.computed[this.ply * 2 + 1] = 0;
  }

  /** Drops the last pushed move; call it after pos.undoMove(). */
  pop(): void {
    this.ply--;
  }

  /** Score of the side to move in centipawns; pos must be the position after the pushed moves. */
  evaluate(pos: Position): number {
    this.update(pos, 0);
    this.update(pos, 1);
    const us = pos.turn;
    const l1 = this.l1;
    const h0 = this.simd ? this.simd.input : this.layerInputs[0];
    const usBase = (this.ply * 2 + us) * l1;
    const themBase = (this.ply * 2 + (us ^ 1)) * l1;
    const acc = this.accumulators;
    for (let j = 0; j < l1; j++) {
      h0[j] = clip01(acc[usBase + j]);
      h0[l1 + j] = clip01(acc[themBase + j]);
    }
    const logit = this.simd ? this.simd.forward() : this.forwardDense();
    return this.architecture.outputScale * logit;
  }

  /** Returns the current accumulator of a perspective, brought up to date first (a view, not a copy). */
  accumulator(pos: Position, perspective: Color): Float32Array {
    this.update(pos, perspective);
    const base = (this.ply * 2 + perspective) * this.l1;
    return this.accumulators.subarray(base, base + this.l1);
  }

  /** Brings the accumulator of a perspective at the current ply up to date. */
  private update(pos: Position, perspective: number): void {
    let ply = this.ply;
    while (!this.computed[ply * 2 + perspective]) {
      if (ply === 0) throw new Error("the accumulator stack has no root: call reset(pos) before evaluate(pos)");
      if (this.changes[ply].refresh[perspective]) {
        this.refresh(pos, perspective);
        return;
      }
      ply--;
    }
    for (ply++; ply <= this.ply; ply++) this.applyChanges(ply, perspective);
  }

  private refresh(pos: Position, perspective: number): void {
    const l1 = this.l1;
    const sums = this.accumulatorSums;
    const weights = this.ftWeights;
    for (let j = 0; j < l1; j++) sums[j] = this.ftBias[j];
    const count = this.features.activeFeatures(pos, perspective as Color, this.activeScratch, 0);
    for (let k = 0; k < count; k++) {
      const row = this.activeScratch[k] * l1;
      for (let j = 0; j < l1; j++) sums[j] += weights[row + j];
    }
    const base = (this.ply * 2 + perspective) * l1;
    for (let j = 0; j < l1; j++) this.accumulators[base + j] = sums[j];
    this.computed[this.ply * 2 + perspective] = 1;
  }

  /**
   * Computes the accumulator at `ply` from the one at ply - 1 and the move's changes. The common
   * cases (one or two features removed and as many added) take one pass with one store per value.
   */
  private applyChanges(ply: number, perspective: number): void {
    const l1 = this.l1;
    const acc = this.accumulators;
    const weights = this.ftWeights;
    const base = (ply * 2 + perspective) * l1;
    const previous = base - 2 * l1;
    const changes = this.changes[ply];
    const slot = perspective * MAX_CHANGED;
    const removedCount = changes.removedCount[perspective];
    const addedCount = changes.addedCount[perspective];
    const r0 = changes.removed[slot] * l1;
    const a0 = changes.added[slot] * l1;
    if (removedCount === 1 && addedCount === 1) {
      for (let j = 0; j < l1; j++) acc[base + j] = acc[previous + j] - weights[r0 + j] + weights[a0 + j];
    } else if (removedCount === 2 && addedCount === 2) {
      const r1 = changes.removed[slot + 1] * l1;
      const a1 = changes.added[slot + 1] * l1;
      for (let j = 0; j < l1; j++) {
        acc[base + j] = acc[previous + j] - weights[r0 + j] - weights[r1 + j] + weights[a0 + j] + weights[a1 + j];
      }
    } else {
      this.applyAnyChanges(changes, perspective, base);
    }
    this.computed[ply * 2 + perspective] = 1;
  }

  /** Applies any number of removed and added features (at most MAX_CHANGED each) to the accumulator at `base`. */
  private applyAnyChanges(changes: FeatureChanges, perspective: number, base: number): void {
    const l1 = this.l1;
    const acc = this.accumulators;
    const weights = this.ftWeights;
    const slot = perspective * MAX_CHANGED;
    acc.copyWithin(base, base - 2 * l1, base - l1);
    for (let k = 0; k < changes.removedCount[perspective]; k++) {
      const row = changes.removed[slot + k] * l1;
      for (let j = 0; j < l1; j++) acc[base + j] -= weights[row + j];
    }
    for (let k = 0; k < changes.addedCount[perspective]; k++) {
      const row = changes.added[slot + k] * l1;
      for (let j = 0; j < l1; j++) acc[base + j] += weights[row + j];
    }
  }

  /** Runs the dense layers on layerInputs[0] in JavaScript and returns the output logit. */
  private forwardDense(): number {
    const layers = this.layers;
    const last = layers.length - 1;
    let input = this.layerInputs[0];
    for (let k = 0; k < last; k++) {
      const output = this.layerInputs[k + 1];
      if (k === 0) sparseAffine(input, this.firstLayer, layers[0].bias, output, this.sums);
      else denseAffine(input, layers[k].weights, layers[k].bias, output);
      for (let o = 0; o < output.length; o++) output[o] = clip01(output[o]);
      input = output;
    }
    return dot(layers[last].weights, input) + layers[last].bias[0];
  }
}

function clip01(x: number): number {
  if (x < 0) return 0;
  if (x > 1) return 1;
  return x;
}

function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) result[c * rows + r] = matrix[r * cols + c];
  return result;
}

/** output = bias + W x with W given transposed ([inputs][outputs]); zero inputs are skipped. */
function sparseAffine(input: Float32Array, transposed: Float32Array, bias: Float32Array, output: Float32Array, sums: Float64Array): void {
  const outputs = output.length;
  for (let o = 0; o < outputs; o++) sums[o] = bias[o];
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (x === 0) continue;
    const row = i * outputs;
    for (let o = 0; o < outputs; o++) sums[o] += x * transposed[row + o];
  }
  for (let o = 0; o < outputs; o++) output[o] = sums[o];
}

/** output = bias + W x with W row-major [outputs][inputs]. */
function denseAffine(input: Float32Array, weights: Float32Array, bias: Float32Array, output: Float32Array): void {
  const inputs = input.length;
  for (let o = 0; o < output.length; o++) {
    let sum = bias[o];
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) sum += weights[row + i] * input[i];
    output[o] = sum;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += a[i] * b[i];
  return sum;
}
