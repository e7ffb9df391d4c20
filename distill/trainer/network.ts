// Forward and backward pass of a group of up to four samples, by hand on Float32Arrays, in the
// form documented in nn/architecture.ts:
//   acc_P = ftBias + sum of ftWeights rows of the active features of perspective P
//   x_0   = clip([acc_us, acc_them], 0, 1)
//   z_k   = W_k x_k + b_k,  x_k+1 = clip(z_k, 0, 1)      for each hidden layer
//   y     = z_last (the output layer has no clip), a logit
// The clipped ReLU's derivative is 1 strictly inside (0, 1) and 0 elsewhere.
//
// Gradients are added into a GradientSink, so a group's contribution sums with the others of a
// batch. A full group of four runs the dense layers with the 4-sample kernels of kernels.ts; a
// smaller one runs them sample by sample. Hooks are called once per sample. Hooks let an extension (an adapter) change the accumulators and dense outputs in the
// forward pass and receive their gradients in the backward pass.

import type { Architecture } from "../../nn/architecture.js";
import type { NetworkWeights } from "../../nn/weights.js";
import {
  GROUP_SIZE, accumulate, addOuter, addOuter4, addToRows, affine, affine4, clip01, transposedProduct, transposedProduct4,
} from "./kernels.js";

/** Index of each network tensor in the parameter list (see parameters.ts). */
export const FT_WEIGHT_INDEX = 0;
export const FT_BIAS_INDEX = 1;
export function denseWeightIndex(layer: number): number {
  return 2 + 2 * layer;
}
export function denseBiasIndex(layer: number): number {
  return 3 + 2 * layer;
}

/**
 * Gradient destination of a pass: a buffer per parameter (null when it gets none) and row tracking.
 * The trainer passes null for the transformer weights and forms their row gradients in the update
 * phase from the accumulator gradients that each Workspace keeps (see transformer-rows.ts).
 */
export interface GradientSink {
  /** Gradient buffer of a parameter, or null when it gets none. */
  readonly grads: ReadonlyArray<Float32Array | null>;
  /** Records that a row of a sparse-rows parameter received a gradient in this step. */
  markRow(parameter: number, row: number): void;
}

/**
 * Extension points of the pass. `features` contains the sample's active features, perspective p at
 * offset p * count. Accumulator hooks see the accumulator of both perspectives before clipping
 * ([us | them], 2 * l1 values); dense hooks see layer k's input and its output before the clip.
 */
export interface NetworkHooks {
  accumulator?(features: Int32Array, count: number, accumulator: Float32Array): void;
  accumulatorBackward?(features: Int32Array, count: number, accumulatorGrad: Float32Array, sink: GradientSink): void;
  dense?(layer: number, input: Float32Array, output: Float32Array): void;
  /** dInput is null when no gradient below this layer is needed. */
  denseBackward?(layer: number, input: Float32Array, outputGrad: Float32Array, inputGrad: Float32Array | null, sink: GradientSink): void;
}

/** Activations and gradients of one sample, allocated once per thread. */
export class Workspace {
  readonly accumulator: Float32Array;
  /** inputs[k] is x_k, the input of dense layer k; inputs[0] is the clipped accumulator. */
  readonly inputs: Float32Array[];
  /** outputs[k] is z_k, dense layer k's output before the clip. */
  readonly outputs: Float32Array[];
  readonly outputGrads: Float32Array[];
  readonly inputGrads: Float32Array[];
  readonly accumulatorGrad: Float32Array;

  /** `floats` allocates the arrays; the SIMD kernels need them in their heap. */
  constructor(weights: NetworkWeights, floats: (length: number) => Float32Array = (length) => new Float32Array(length)) {
    const l1 = weights.architecture.l1;
    this.accumulator = floats(2 * l1);
    this.accumulatorGrad = floats(2 * l1);
    this.inputs = weights.layers.map((layer) => floats(layer.inputs));
    this.outputs = weights.layers.map((layer) => floats(layer.outputs));
    this.outputGrads = weights.layers.map((layer) => floats(layer.outputs));
    this.inputGrads = weights.layers.map((layer) => floats(layer.inputs));
  }
}

/** Gradients that a backward pass computes, derived once from the trainable flags. */
export interface BackwardPlan {
  /** needInputGrad[k]: whether layer k must pass a gradient to its input. */
  readonly needInputGrad: boolean[];
  readonly transformer: boolean;
}

/** Builds the plan: a layer passes gradients down only when something below it is trained or hooked. */
export function backwardPlan(arch: Architecture, trainable: readonly boolean[], hooks?: NetworkHooks): BackwardPlan {
  const layerCount = arch.hidden.length + 1;
  const transformer = trainable[FT_WEIGHT_INDEX] || trainable[FT_BIAS_INDEX] || hooks?.accumulatorBackward !== undefined;
  const needInputGrad: boolean[] = [];
  let below = transformer;
  for (let k = 0; k < layerCount; k++) {
    needInputGrad.push(below);
    below ||= trainable[denseWeightIndex(k)] || trainable[denseBiasIndex(k)] || hooks?.denseBackward !== undefined;
  }
  return { needInputGrad, transformer };
}

/** Workspaces of a group, one per sample. */
export function createGroup(weights: NetworkWeights, floats?: (length: number) => Float32Array): Workspace[] {
  return Array.from({ length: GROUP_SIZE }, () => new Workspace(weights, floats));
}

/**
 * Runs the forward pass of samples 0..n-1 of a group (n <= GROUP_SIZE) and writes their output
 * logits into logits[0..n). Sample s's features are at features[(s * 2 + p) * count], p = 0 for
 * the side to move and 1 for the other side.
 */
export function forwardGroup(
  weights: NetworkWeights, group: readonly Workspace[], n: number, features: Int32Array, count: number, logits: Float64Array, hooks?: NetworkHooks,
): void {
  const l1 = weights.architecture.l1;
  for (let s = 0; s < n; s++) {
    const ws = group[s];
    const offset = s * 2 * count;
    accumulate(weights.ftWeights, weights.ftBias, l1, features, offset, count, ws.accumulator, 0);
    accumulate(weights.ftWeights, weights.ftBias, l1, features, offset + count, count, ws.accumulator, l1);
    if (hooks?.accumulator) hooks.accumulator(features.subarray(offset, offset + 2 * count), count, ws.accumulator);
    const x0 = ws.inputs[0];
    for (let j = 0; j < 2 * l1; j++) x0[j] = clip01(ws.accumulator[j]);
  }
  const layers = weights.layers;
  for (let k = 0; k < layers.length; k++) {
    denseForward(layers[k].weights, layers[k].bias, group, n, k);
    for (let s = 0; s < n; s++) {
      const output = group[s].outputs[k];
      if (hooks?.dense) hooks.dense(k, group[s].inputs[k], output);
      if (k + 1 < layers.length) {
        const next = group[s].inputs[k + 1];
        for (let o = 0; o < output.length; o++) next[o] = clip01(output[o]);
      }
    }
  }
  for (let s = 0; s < n; s++) logits[s] = group[s].outputs[layers.length - 1][0];
}

function denseForward(weights: Float32Array, bias: Float32Array, g: readonly Workspace[], n: number, k: number): void {
  if (n === GROUP_SIZE) {
    affine4(weights, bias, g[0].inputs[k], g[1].inputs[k], g[2].inputs[k], g[3].inputs[k], g[0].outputs[k], g[1].outputs[k], g[2].outputs[k], g[3].outputs[k]);
    return;
  }
  for (let s = 0; s < n; s++) affine(weights, bias, g[s].inputs[k], g[s].outputs[k]);
}

const singleLogit = new Float64Array(1);
const singleGrad = new Float64Array(1);
/** The one-sample group of forward and backward, refilled on each call to allocate nothing. */
const singleGroup: Workspace[] = [];

/** Forward pass of one sample; returns its logit. Its features start at `offset`, laid out as in forwardGroup. */
export function forward(weights: NetworkWeights, ws: Workspace, features: Int32Array, offset: number, count: number, hooks?: NetworkHooks): number {
  singleGroup[0] = ws;
  forwardGroup(weights, singleGroup, 1, offset === 0 ? features : features.subarray(offset), count, singleLogit, hooks);
  return singleLogit[0];
}

/** Backward pass of one sample after `forward`, for dLoss/dy = outputGrad. */
export function backward(
  weights: NetworkWeights, ws: Workspace, features: Int32Array, offset: number, count: number,
  outputGrad: number, sink: GradientSink, plan: BackwardPlan, hooks?: NetworkHooks,
): void {
  singleGrad[0] = outputGrad;
  singleGroup[0] = ws;
  backwardGroup(weights, singleGroup, 1, offset === 0 ? features : features.subarray(offset), count, singleGrad, sink, plan, hooks);
}

/**
 * Adds the gradients of samples 0..n-1 of a group after forwardGroup, for dLoss/dy_s =
 * outputGrads[s]. Frozen tensors (null buffers) get nothing, and no gradient flows below the
 * lowest layer that is trained or hooked.
 */
export function backwardGroup(
  weights: NetworkWeights, group: readonly Workspace[], n: number, features: Int32Array, count: number,
  outputGrads: Float64Array, sink: GradientSink, plan: BackwardPlan, hooks?: NetworkHooks,
): void {
  const layers = weights.layers;
  const last = layers.length - 1;
  for (let s = 0; s < n; s++) group[s].outputGrads[last][0] = outputGrads[s];
  for (let k = last; k >= 0; k--) {
    const biasGrad = sink.grads[denseBiasIndex(k)];
    const needInput = plan.needInputGrad[k];
    denseBackward(layers[k].weights, sink.grads[denseWeightIndex(k)], needInput, group, n, k);
    for (let s = 0; s < n; s++) {
      const ws = group[s];
      const dz = ws.outputGrads[k];
      if (biasGrad) for (let o = 0; o < dz.length; o++) biasGrad[o] += dz[o];
      const dx = needInput ? ws.inputGrads[k] : null;
      if (hooks?.denseBackward) hooks.denseBackward(k, ws.inputs[k], dz, dx, sink);
      if (!dx) continue;
      const below = k > 0 ? ws.outputs[k - 1] : ws.accumulator;
      const target = k > 0 ? ws.outputGrads[k - 1] : ws.accumulatorGrad;
      for (let i = 0; i < dx.length; i++) target[i] = below[i] > 0 && below[i] < 1 ? dx[i] : 0;
    }
    if (!needInput) return;
  }
  for (let s = 0; s < n; s++) transformerBackward(weights, group[s], features, s * 2 * count, count, sink, hooks);
}

/** Adds layer k's weight gradient and computes the gradient of its input (when needed), for the group. */
function denseBackward(weights: Float32Array, weightGrad: Float32Array | null, needInput: boolean, g: readonly Workspace[], n: number, k: number): void {
  if (n === GROUP_SIZE) {
    const [a, b, c, d] = g;
    if (weightGrad) addOuter4(weightGrad, a.outputGrads[k], b.outputGrads[k], c.outputGrads[k], d.outputGrads[k], a.inputs[k], b.inputs[k], c.inputs[k], d.inputs[k]);
    if (needInput) transposedProduct4(weights, a.outputGrads[k], b.outputGrads[k], c.outputGrads[k], d.outputGrads[k], a.inputGrads[k], b.inputGrads[k], c.inputGrads[k], d.inputGrads[k]);
    return;
  }
  for (let s = 0; s < n; s++) {
    if (weightGrad) addOuter(weightGrad, g[s].outputGrads[k], g[s].inputs[k]);
    if (needInput) transposedProduct(weights, g[s].outputGrads[k], g[s].inputGrads[k]);
  }
}

function transformerBackward(
  weights: NetworkWeights, ws: Workspace, features: Int32Array, offset: number, count: number, sink: GradientSink, hooks?: NetworkHooks,
): void {
  const l1 = weights.architecture.l1;
  const dAcc = ws.accumulatorGrad;
  if (hooks?.accumulatorBackward) hooks.accumulatorBackward(features.subarray(offset, offset + 2 * count), count, dAcc, sink);
  const biasGrad = sink.grads[FT_BIAS_INDEX];
  if (biasGrad) for (let j = 0; j < l1; j++) biasGrad[j] += dAcc[j] + dAcc[l1 + j];
  const rowGrad = sink.grads[FT_WEIGHT_INDEX];
  if (!rowGrad) return;
  for (let k = 0; k < 2 * count; k++) sink.markRow(FT_WEIGHT_INDEX, features[offset + k]);
  addToRows(rowGrad, l1, features, offset, count, dAcc, 0);
  addToRows(rowGrad, l1, features, offset + count, count, dAcc, l1);
}

/** Returns the name of the first tensor of a forward pass that contains a non-finite value, or "" when all are finite. */
export function firstNonFinite(ws: Workspace, layerNames: readonly string[]): string {
  if (!allFinite(ws.accumulator)) return "ft (accumulator)";
  for (let k = 0; k < ws.outputs.length; k++) {
    if (!allFinite(ws.outputs[k])) return `${layerNames[k]} (output before the clip)`;
  }
  return "";
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
