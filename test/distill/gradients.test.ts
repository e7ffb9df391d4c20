import { describe, expect, it } from "vitest";
import { makeArchitecture } from "../../nn/architecture.js";
import { featureSet } from "../../nn/features.js";
import { type NetworkWeights, randomWeights, weightTensors } from "../../nn/weights.js";
import { legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import type { Color } from "../../shogi/types.js";
import { crossEntropy, sigmoid } from "../../distill/trainer/loss.js";
import { GROUP_SIZE } from "../../distill/trainer/kernels.js";
import {
  type GradientSink, backwardGroup, backwardPlan, createGroup, forwardGroup,
} from "../../distill/trainer/network.js";
import { networkParameterSpecs } from "../../distill/trainer/parameters.js";
import { seededRandom } from "../helpers/random.js";

// The analytic gradients (float32 tensors, double sums) are checked against central differences
// of a float64 reference forward pass written here independently of the trainer's kernels.
const ARCH = makeArchitecture({ featureSet: "p", l1: 12, hidden: [6, 5] });
const STEP = 1e-6;
/** Relative tolerance, with an absolute floor for gradients near zero. */
const RELATIVE_TOLERANCE = 1e-3;
const ABSOLUTE_FLOOR = 1e-5;
const CHECKS_PER_TENSOR = 12;

function clip(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Float64 forward pass of one sample, from the formula in nn/architecture.ts. */
function referenceLogit(weights: NetworkWeights, features: Int32Array, offset: number, count: number): number {
  const l1 = weights.architecture.l1;
  let x: number[] = [];
  for (let p = 0; p < 2; p++) {
    for (let j = 0; j < l1; j++) {
      let acc = weights.ftBias[j];
      for (let k = 0; k < count; k++) acc += weights.ftWeights[features[offset + p * count + k] * l1 + j];
      x.push(clip(acc));
    }
  }
  weights.layers.forEach((layer, index) => {
    const z: number[] = [];
    for (let o = 0; o < layer.outputs; o++) {
      let sum = layer.bias[o];
      for (let i = 0; i < layer.inputs; i++) sum += layer.weights[o * layer.inputs + i] * x[i];
      z.push(index + 1 < weights.layers.length ? clip(sum) : sum);
    }
    x = z;
  });
  return x[0];
}

/** Features and targets of positions from seeded random play. */
function samples(count: number, seed: number): { features: Int32Array; targets: number[] } {
  const set = featureSet("p");
  const random = seededRandom(seed);
  const features = new Int32Array(count * 2 * set.maxActive);
  const targets: number[] = [];
  const pos = Position.startpos();
  for (let s = 0; s < count; s++) {
    for (let ply = 0; ply < 6; ply++) {
      const moves = legalMoves(pos);
      pos.doMove(moves[Math.floor(random() * moves.length)]);
    }
    set.activeFeatures(pos, pos.turn, features, s * 2 * set.maxActive);
    set.activeFeatures(pos, (pos.turn ^ 1) as Color, features, (s * 2 + 1) * set.maxActive);
    targets.push(random());
  }
  return { features, targets };
}

function referenceLoss(weights: NetworkWeights, features: Int32Array, targets: number[]): number {
  const count = featureSet("p").maxActive;
  let sum = 0;
  targets.forEach((t, s) => (sum += crossEntropy(referenceLogit(weights, features, s * 2 * count, count), t)));
  return sum / targets.length;
}

/** Analytic gradients of the mean loss over the samples, computed in groups of up to four. */
function analyticGradients(weights: NetworkWeights, features: Int32Array, targets: number[]): Float32Array[] {
  const grads = weightTensors(weights).map((tensor) => new Float32Array(tensor.length));
  const sink: GradientSink = { grads, markRow: () => undefined };
  const plan = backwardPlan(ARCH, grads.map(() => true));
  const group = createGroup(weights);
  const count = featureSet("p").maxActive;
  const logits = new Float64Array(GROUP_SIZE);
  const outputGrads = new Float64Array(GROUP_SIZE);
  for (let first = 0; first < targets.length; first += GROUP_SIZE) {
    const n = Math.min(GROUP_SIZE, targets.length - first);
    const groupFeatures = features.subarray(first * 2 * count);
    forwardGroup(weights, group, n, groupFeatures, count, logits);
    for (let s = 0; s < n; s++) outputGrads[s] = (sigmoid(logits[s]) - targets[first + s]) / targets.length;
    backwardGroup(weights, group, n, groupFeatures, count, outputGrads, sink, plan);
  }
  return grads;
}

/** Indices to check in a tensor: for the transformer, entries of rows that the samples use. */
function checkedIndices(tensor: Float32Array, grad: Float32Array, random: () => number): number[] {
  const nonzero: number[] = [];
  for (let i = 0; i < grad.length; i++) if (grad[i] !== 0) nonzero.push(i);
  const pool = nonzero.length > 0 ? nonzero : Array.from(tensor.keys());
  return Array.from({ length: CHECKS_PER_TENSOR }, () => pool[Math.floor(random() * pool.length)]);
}

function checkAllTensors(sampleCount: number, seed: number): void {
  const weights = randomWeights(ARCH, seed);
  const { features, targets } = samples(sampleCount, seed);
  const grads = analyticGradients(weights, features, targets);
  const names = networkParameterSpecs(ARCH).map((spec) => spec.name);
  const random = seededRandom(seed + 1);
  weightTensors(weights).forEach((tensor, t) => {
    for (const i of checkedIndices(tensor, grads[t], random)) {
      const saved = tensor[i];
      // Float32 storage cannot hold saved +- STEP exactly, so the difference uses the stored values.
      tensor[i] = saved + STEP;
      const up = tensor[i];
      const lossUp = referenceLoss(weights, features, targets);
      tensor[i] = saved - STEP;
      const down = tensor[i];
      const lossDown = referenceLoss(weights, features, targets);
      tensor[i] = saved;
      const numeric = (lossUp - lossDown) / (up - down);
      const tolerance = Math.max(ABSOLUTE_FLOOR, RELATIVE_TOLERANCE * Math.abs(numeric));
      expect(Math.abs(grads[t][i] - numeric), `${names[t]}[${i}]: analytic ${grads[t][i]}, numeric ${numeric}`).toBeLessThanOrEqual(tolerance);
    }
  });
}

describe("trainer gradients", () => {
  it("match finite differences with full groups of four", () => {
    checkAllTensors(8, 3);
  });

  it("match finite differences with a partial group", () => {
    checkAllTensors(7, 5);
  });
});
