// Low-rank adapters (LoRA) as a trainer extension. Each adapted layer gets two trained factors
// whose product, scaled by alpha / rank, is added to the layer's frozen weights:
//
//   transformer  acc_P += s * (sum over active features f of A[f]) B     A: features x r, B: r x l1
//   dense k      z_k   += s * B_k (A_k x_k)                             A_k: r x inputs, B_k: outputs x r
//
// with s = alpha / rank. A starts random and B at zero, so the adapted network starts equal to the
// base. merge() folds s * A B into the network weights, so the exported ONNX file is a plain
// network that the engine runs unchanged.
//
// The trainer imports this module by URL in every worker thread (see distill/trainer/extensions.ts),
// so it must stay importable on its own and take only JSON options.

import type { Architecture } from "../nn/architecture.js";
import { denseShapes } from "../nn/architecture.js";
import { MAX_ACTIVE, featureSet } from "../nn/features.js";
import { layerPrefix } from "../nn/onnx-graph.js";
import type { NetworkWeights } from "../nn/weights.js";
import type { ExtensionParameter, GradientSink, ModelExtension, NetworkHooks } from "../distill/trainer.js";

/** The adapted layers: "ft" for the feature transformer, then the dense layers' ONNX prefixes. */
export type LoraTarget = string;

export interface LoraOptions {
  rank: number;
  alpha: number;
  /** Layers to adapt by name ("ft", "fc0", "fc1", "out"); all of them when absent. */
  targets?: LoraTarget[];
}

export const MAX_LORA_RANK = 4096;
export const TRANSFORMER_TARGET = "ft";

/** Names of every layer an adapter can sit on, transformer first. */
export function loraTargetNames(arch: Architecture): LoraTarget[] {
  const count = denseShapes(arch).length;
  return [TRANSFORMER_TARGET, ...Array.from({ length: count }, (_, i) => layerPrefix(i, count))];
}

/**
 * Checks LoRA options, and their targets against an architecture when one is given; throws Error
 * naming the bad field.
 */
export function checkLoraOptions(value: unknown, arch?: Architecture): LoraOptions {
  const options = (value ?? {}) as Partial<LoraOptions>;
  const { rank, alpha, targets } = options;
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > MAX_LORA_RANK) {
    throw new Error(`invalid LoRA rank ${JSON.stringify(rank)}: expected an integer from 1 to ${MAX_LORA_RANK}`);
  }
  if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha <= 0) {
    throw new Error(`invalid LoRA alpha ${JSON.stringify(alpha)}: expected a positive number`);
  }
  if (targets === undefined) return { rank, alpha };
  if (!Array.isArray(targets) || targets.length === 0 || !targets.every((name) => typeof name === "string")) {
    throw new Error(`invalid LoRA targets ${JSON.stringify(targets)}: expected a non-empty list of layer names`);
  }
  if (arch) {
    const known = loraTargetNames(arch);
    const unknown = targets.find((name) => !known.includes(name));
    if (unknown !== undefined) throw new Error(`invalid LoRA target "${unknown}": the layers are ${known.join(", ")}`);
  }
  return { rank, alpha, targets: [...targets] };
}

/** One adapted layer: its factors' shapes and its place in the extension's tensor list. */
interface Adapter {
  target: LoraTarget;
  /** Dense layer index, or -1 for the transformer. */
  layer: number;
  inputs: number;
  outputs: number;
  /** Index of A in the extension's tensors; B follows it. */
  tensor: number;
}

function adapters(arch: Architecture, targets: readonly LoraTarget[]): Adapter[] {
  const shapes = denseShapes(arch);
  const list: Adapter[] = [];
  for (const target of loraTargetNames(arch)) {
    if (!targets.includes(target)) continue;
    const layer = target === TRANSFORMER_TARGET ? -1 : loraTargetNames(arch).indexOf(target) - 1;
    const inputs = layer < 0 ? featureSet(arch.featureSet).dimensions : shapes[layer].inputs;
    const outputs = layer < 0 ? arch.l1 : shapes[layer].outputs;
    list.push({ target, layer, inputs, outputs, tensor: 2 * list.length });
  }
  return list;
}

/** Creates the extension; the trainer calls this with the JSON options of the ExtensionSpec. */
export function createExtension(value: unknown): ModelExtension {
  const options = checkLoraOptions(value);
  const requested = options.targets;
  const { rank } = options;
  const scale = options.alpha / rank;
  const layout = (arch: Architecture): Adapter[] => adapters(arch, checkLoraOptions(options, arch).targets ?? loraTargetNames(arch));
  const transformerFirst = requested === undefined || requested.includes(TRANSFORMER_TARGET);
  return {
    parameters: (arch) => layout(arch).flatMap((adapter) => factorShapes(adapter, rank)),
    initialize(values, random) {
      // Only the A factors are drawn; the B factors stay zero, so training starts at the base network.
      for (let t = 0; t < values.length; t += 2) {
        const a = values[t];
        const inputs = t === 0 && transformerFirst ? MAX_ACTIVE : a.length / rank;
        const std = 1 / Math.sqrt(inputs);
        for (let i = 0; i < a.length; i++) a[i] = std * normal(random);
      }
    },
    hooks: (values, first, arch) => loraHooks(layout(arch), values, first, rank, scale, arch),
    merge(weights, values) {
      mergeAdapters(weights, layout(weights.architecture), values, rank, scale);
    },
  };
}

/**
 * Shapes of an adapter's factors. The transformer's A is stored feature-major (one row of r values
 * per feature) so that, like the transformer's own weights, only active features' rows get gradients.
 */
function factorShapes(adapter: Adapter, rank: number): ExtensionParameter[] {
  const name = `lora.${adapter.target}`;
  if (adapter.layer < 0) {
    return [
      { name: `${name}.A`, rows: adapter.inputs, cols: rank, sparseRows: true },
      { name: `${name}.B`, rows: rank, cols: adapter.outputs },
    ];
  }
  return [
    { name: `${name}.A`, rows: rank, cols: adapter.inputs },
    { name: `${name}.B`, rows: adapter.outputs, cols: rank },
  ];
}

/** Draws a standard normal number from uniform draws (Box-Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function loraHooks(
  list: readonly Adapter[], values: readonly Float32Array[], first: number, rank: number, scale: number, arch: Architecture,
): NetworkHooks {
  const transformer = list.find((adapter) => adapter.layer < 0);
  const byLayer = new Map(list.filter((adapter) => adapter.layer >= 0).map((adapter) => [adapter.layer, adapter]));
  const hooks: NetworkHooks = {};
  if (transformer) {
    const ft = new TransformerAdapter(values[transformer.tensor], values[transformer.tensor + 1], rank, arch.l1, scale);
    const a = first + transformer.tensor;
    hooks.accumulator = (features, count, accumulator) => ft.forward(features, count, accumulator);
    hooks.accumulatorBackward = (features, count, grad, sink) => ft.backward(features, count, grad, sink, a);
  }
  if (byLayer.size > 0) {
    const dense = new Map([...byLayer].map(([layer, adapter]) => [
      layer, new DenseAdapter(values[adapter.tensor], values[adapter.tensor + 1], rank, adapter.inputs, adapter.outputs, scale),
    ]));
    hooks.dense = (layer, input, output) => dense.get(layer)?.forward(input, output);
    hooks.denseBackward = (layer, input, outputGrad, inputGrad, sink) => {
      const adapter = byLayer.get(layer);
      if (adapter) dense.get(layer)!.backward(input, outputGrad, inputGrad, sink, first + adapter.tensor);
    };
  }
  return hooks;
}

/** The transformer's adapter on one thread, with its scratch vectors. */
class TransformerAdapter {
  /** Sums of A's rows over each perspective's active features: [us | them], r values each. */
  private readonly sums: Float64Array;
  private readonly sumGrad: Float64Array;

  constructor(
    private readonly a: Float32Array,
    private readonly b: Float32Array,
    private readonly rank: number,
    private readonly l1: number,
    private readonly scale: number,
  ) {
    this.sums = new Float64Array(2 * rank);
    this.sumGrad = new Float64Array(rank);
  }

  private sumRows(features: Int32Array, count: number): void {
    const { a, rank, sums } = this;
    sums.fill(0);
    for (let p = 0; p < 2; p++) {
      for (let k = 0; k < count; k++) {
        const row = features[p * count + k] * rank;
        for (let r = 0; r < rank; r++) sums[p * rank + r] += a[row + r];
      }
    }
  }

  forward(features: Int32Array, count: number, accumulator: Float32Array): void {
    const { b, rank, l1, scale, sums } = this;
    this.sumRows(features, count);
    for (let p = 0; p < 2; p++) {
      for (let j = 0; j < l1; j++) {
        let delta = 0;
        for (let r = 0; r < rank; r++) delta += sums[p * rank + r] * b[r * l1 + j];
        accumulator[p * l1 + j] += scale * delta;
      }
    }
  }

  /** Adds the gradients of A (row by active row) and B for dLoss/dAccumulator = grad. */
  backward(features: Int32Array, count: number, grad: Float32Array, sink: GradientSink, aIndex: number): void {
    const { b, rank, l1, scale, sums, sumGrad } = this;
    const gradA = sink.grads[aIndex];
    const gradB = sink.grads[aIndex + 1];
    this.sumRows(features, count);
    for (let p = 0; p < 2; p++) {
      for (let r = 0; r < rank; r++) {
        let dot = 0;
        for (let j = 0; j < l1; j++) {
          const g = grad[p * l1 + j];
          dot += b[r * l1 + j] * g;
          if (gradB) gradB[r * l1 + j] += scale * sums[p * rank + r] * g;
        }
        sumGrad[r] = scale * dot;
      }
      if (!gradA) continue;
      for (let k = 0; k < count; k++) {
        const feature = features[p * count + k];
        sink.markRow(aIndex, feature);
        for (let r = 0; r < rank; r++) gradA[feature * rank + r] += sumGrad[r];
      }
    }
  }
}

/** A dense layer's adapter on one thread, with its scratch vectors. */
class DenseAdapter {
  /** h = A x, the input projected to rank r. */
  private readonly projected: Float64Array;
  private readonly projectedGrad: Float64Array;

  constructor(
    private readonly a: Float32Array,
    private readonly b: Float32Array,
    private readonly rank: number,
    private readonly inputs: number,
    private readonly outputs: number,
    private readonly scale: number,
  ) {
    this.projected = new Float64Array(rank);
    this.projectedGrad = new Float64Array(rank);
  }

  private project(input: Float32Array): void {
    const { a, rank, inputs, projected } = this;
    for (let r = 0; r < rank; r++) {
      let sum = 0;
      for (let i = 0; i < inputs; i++) sum += a[r * inputs + i] * input[i];
      projected[r] = sum;
    }
  }

  forward(input: Float32Array, output: Float32Array): void {
    const { b, rank, outputs, scale, projected } = this;
    this.project(input);
    for (let o = 0; o < outputs; o++) {
      let delta = 0;
      for (let r = 0; r < rank; r++) delta += b[o * rank + r] * projected[r];
      output[o] += scale * delta;
    }
  }

  /** Adds the gradients of A and B, and the adapter's part of dLoss/dInput when inputGrad is given. */
  backward(input: Float32Array, outputGrad: Float32Array, inputGrad: Float32Array | null, sink: GradientSink, aIndex: number): void {
    const { a, b, rank, inputs, outputs, scale, projected, projectedGrad } = this;
    const gradA = sink.grads[aIndex];
    const gradB = sink.grads[aIndex + 1];
    this.project(input);
    projectedGrad.fill(0);
    for (let o = 0; o < outputs; o++) {
      const g = scale * outputGrad[o];
      for (let r = 0; r < rank; r++) {
        projectedGrad[r] += b[o * rank + r] * g;
        if (gradB) gradB[o * rank + r] += g * projected[r];
      }
    }
    for (let r = 0; r < rank; r++) {
      const g = projectedGrad[r];
      const row = r * inputs;
      if (gradA) for (let i = 0; i < inputs; i++) gradA[row + i] += g * input[i];
      if (inputGrad) for (let i = 0; i < inputs; i++) inputGrad[i] += a[row + i] * g;
    }
  }
}

/** Adds scale * (the product of each adapter's factors) to the network weights it adapts. */
function mergeAdapters(weights: NetworkWeights, list: readonly Adapter[], values: readonly Float32Array[], rank: number, scale: number): void {
  for (const adapter of list) {
    const a = values[adapter.tensor];
    const b = values[adapter.tensor + 1];
    if (adapter.layer < 0) {
      addProduct(weights.ftWeights, adapter.inputs, adapter.outputs, rank, scale, (f, r) => a[f * rank + r], (r, j) => b[r * adapter.outputs + j]);
    } else {
      const layer = weights.layers[adapter.layer];
      addProduct(layer.weights, adapter.outputs, adapter.inputs, rank, scale, (o, r) => b[o * rank + r], (r, i) => a[r * adapter.inputs + i]);
    }
  }
}

/** target[row][col] += scale * sum over r of left(row, r) * right(r, col), summed in float64. */
function addProduct(
  target: Float32Array, rows: number, cols: number, rank: number, scale: number,
  left: (row: number, r: number) => number, right: (r: number, col: number) => number,
): void {
  const leftRow = new Float64Array(rank);
  for (let row = 0; row < rows; row++) {
    for (let r = 0; r < rank; r++) leftRow[r] = left(row, r);
    for (let col = 0; col < cols; col++) {
      let sum = 0;
      for (let r = 0; r < rank; r++) sum += leftRow[r] * right(r, col);
      target[row * cols + col] += scale * sum;
    }
  }
}
