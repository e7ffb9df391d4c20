// Parameter tensors of a training run: the network's tensors in weightTensors() order, then the
// tensors of any extensions (adapters). Each has a `trainable` flag, so freezing a layer means
// clearing its flag, and a learning-rate factor.
//
// Values live in SharedArrayBuffers so worker threads compute on the same memory. A "sparse rows"
// tensor (the transformer weights, rows = features) gets gradients only in the rows of features
// active in a batch; those rows are tracked and the optimiser updates only them.

import type { Architecture } from "../../nn/architecture.js";
import { featureSet } from "../../nn/features.js";
import { FT_BIAS, FT_WEIGHT, layerPrefix } from "../../nn/onnx-graph.js";
import { type NetworkWeights, createWeights } from "../../nn/weights.js";
import { denseShapes } from "../../nn/architecture.js";
import { TrainConfigError } from "./config.js";

export interface ParameterSpec {
  /** Unique name; the network's tensors use their ONNX initializer names ("ft.weight", "fc0.bias", "out.weight"). */
  name: string;
  rows: number;
  cols: number;
  /** Gradients reach only rows of active features; rows are tracked and updated one by one. */
  sparseRows: boolean;
  trainable: boolean;
  /** Factor on the learning rate for this tensor. */
  lrScale: number;
}

/** A parameter tensor and its values. */
export interface Parameter extends ParameterSpec {
  value: Float32Array;
}

/** Specs of the network's tensors, in weightTensors() order: transformer weights and bias, then each dense layer's. */
export function networkParameterSpecs(arch: Architecture): ParameterSpec[] {
  const dimensions = featureSet(arch.featureSet).dimensions;
  const specs: ParameterSpec[] = [
    { name: FT_WEIGHT, rows: dimensions, cols: arch.l1, sparseRows: true, trainable: true, lrScale: 1 },
    { name: FT_BIAS, rows: 1, cols: arch.l1, sparseRows: false, trainable: true, lrScale: 1 },
  ];
  const shapes = denseShapes(arch);
  shapes.forEach(({ inputs, outputs }, i) => {
    const prefix = layerPrefix(i, shapes.length);
    specs.push({ name: `${prefix}.weight`, rows: outputs, cols: inputs, sparseRows: false, trainable: true, lrScale: 1 });
    specs.push({ name: `${prefix}.bias`, rows: 1, cols: outputs, sparseRows: false, trainable: true, lrScale: 1 });
  });
  return specs;
}

/** Number of network tensors at the front of a parameter list. */
export function networkTensorCount(arch: Architecture): number {
  return 2 + 2 * denseShapes(arch).length;
}

/** Clears the trainable flag of the named tensors; throws TrainConfigError("freeze") on an unknown name. */
export function applyFreeze(specs: ParameterSpec[], names: readonly string[]): void {
  for (const name of names) {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) {
      throw new TrainConfigError("freeze", `invalid freeze "${name}": no parameter has that name; the parameters are ${specs.map((s) => s.name).join(", ")}`);
    }
    spec.trainable = false;
  }
  if (!specs.some((spec) => spec.trainable)) {
    throw new TrainConfigError("freeze", "invalid freeze: every parameter is frozen, so there is nothing to train");
  }
}

export function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Float32Array.BYTES_PER_ELEMENT * length));
}

export function sharedInts(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * length));
}

/** Network weights whose tensors are the first parameters' values (views, not copies). */
export function weightsView(arch: Architecture, values: readonly Float32Array[]): NetworkWeights {
  const shapes = denseShapes(arch);
  return {
    architecture: { ...arch, hidden: [...arch.hidden] },
    ftWeights: values[0],
    ftBias: values[1],
    layers: shapes.map(({ inputs, outputs }, i) => ({ inputs, outputs, weights: values[2 + 2 * i], bias: values[3 + 2 * i] })),
  };
}

/** Copies network weights into ordinary (not shared) memory. */
export function copyWeights(weights: NetworkWeights): NetworkWeights {
  const copy = createWeights(weights.architecture);
  copy.ftWeights.set(weights.ftWeights);
  copy.ftBias.set(weights.ftBias);
  copy.layers.forEach((layer, i) => {
    layer.weights.set(weights.layers[i].weights);
    layer.bias.set(weights.layers[i].bias);
  });
  return copy;
}
