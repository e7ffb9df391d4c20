// Float weights of a network, the form the ONNX reader returns, the writer takes and the native
// evaluator runs.

import { createHash } from "node:crypto";
import { type Architecture, denseShapes } from "./architecture.js";
import { featureSet } from "./features.js";

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** Row-major [outputs][inputs], as in a PyTorch Linear layer and in nn.bin files. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface NetworkWeights {
  architecture: Architecture;
  /** Feature transformer weights, feature-major: row i (l1 values) belongs to feature i. */
  ftWeights: Float32Array;
  ftBias: Float32Array;
  /** Hidden layers in order, then the output layer (outputs = 1). */
  layers: DenseLayer[];
}

const HASH_PREFIX = "sha256:";

/** Allocates zero weights of an architecture. */
export function createWeights(arch: Architecture): NetworkWeights {
  const dimensions = featureSet(arch.featureSet).dimensions;
  return {
    architecture: { ...arch, hidden: [...arch.hidden] },
    ftWeights: new Float32Array(dimensions * arch.l1),
    ftBias: new Float32Array(arch.l1),
    layers: denseShapes(arch).map(({ inputs, outputs }) => ({
      inputs,
      outputs,
      weights: new Float32Array(inputs * outputs),
      bias: new Float32Array(outputs),
    })),
  };
}

/** Seeded uniform numbers in [0, 1) (mulberry32), for reproducible initial and test weights. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scale of the random transformer weights: 38 summed rows then spread over most of [0, 1]. */
const RANDOM_FT_RANGE = 0.1;
const RANDOM_FT_BIAS_CENTRE = 0.5;

/**
 * Random weights of an architecture: transformer weights uniform in +-0.1 around a bias of about
 * 0.5, dense weights uniform in +-1/sqrt(inputs), so that the clipped ReLUs neither die nor saturate.
 */
export function randomWeights(arch: Architecture, seed: number): NetworkWeights {
  const weights = createWeights(arch);
  const random = seededUniform(seed);
  const uniform = (range: number): number => (2 * random() - 1) * range;
  for (let i = 0; i < weights.ftWeights.length; i++) weights.ftWeights[i] = uniform(RANDOM_FT_RANGE);
  for (let i = 0; i < weights.ftBias.length; i++) weights.ftBias[i] = RANDOM_FT_BIAS_CENTRE + uniform(RANDOM_FT_RANGE);
  for (const layer of weights.layers) {
    const range = 1 / Math.sqrt(layer.inputs);
    for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = uniform(range);
    for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = uniform(range);
  }
  return weights;
}

/** Returns the weight tensors in their fixed order: transformer weights and bias, then each layer's. */
export function weightTensors(weights: NetworkWeights): Float32Array[] {
  return [weights.ftWeights, weights.ftBias, ...weights.layers.flatMap((layer) => [layer.weights, layer.bias])];
}

/**
 * Content hash of the weights: "sha256:" and the hex SHA-256 of the little-endian float32 bytes of
 * weightTensors(), concatenated. The architecture is not hashed; the card stores it beside.
 */
export function contentHash(weights: NetworkWeights): string {
  const hash = createHash("sha256");
  for (const tensor of weightTensors(weights)) hash.update(littleEndianBytes(tensor));
  return HASH_PREFIX + hash.digest("hex");
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of a float32 tensor in little-endian order (a view on little-endian hosts). */
export function littleEndianBytes(tensor: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength);
  const bytes = new Uint8Array(tensor.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < tensor.length; i++) view.setFloat32(4 * i, tensor[i], true);
  return bytes;
}

/** Reads little-endian float32 bytes into a new tensor; the byte count must be 4 * length. */
export function floatsFromLittleEndian(bytes: Uint8Array, length: number): Float32Array {
  const tensor = new Float32Array(length);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(tensor.buffer).set(bytes.subarray(0, 4 * length));
    return tensor;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < length; i++) tensor[i] = view.getFloat32(4 * i, true);
  return tensor;
}
