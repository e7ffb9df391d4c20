// Initial weights for a network of clipped ReLUs, after YaneuraOu's NNUE learner: each layer starts
// in the middle of the clip range, where its gradient is 1.
//   transformer  weights normal with standard deviation 0.1 / sqrt(38), so the 38 summed rows of a
//                perspective spread by about 0.1; bias 0.5
//   hidden       weights normal with standard deviation 1 / sqrt(inputs), and bias
//                0.5 - 0.5 * (row sum), so that the output is 0.5 when every input is 0.5
//   output       all zero, so the first predictions are 0.5 and every hidden unit starts alive

import type { Architecture } from "../../nn/architecture.js";
import { MAX_ACTIVE } from "../../nn/features.js";
import { type NetworkWeights, createWeights } from "../../nn/weights.js";
import { Random } from "./random.js";

const TRANSFORMER_SPREAD = 0.1;
const CLIP_MIDDLE = 0.5;

export function initialWeights(arch: Architecture, seed: number): NetworkWeights {
  const weights = createWeights(arch);
  const random = new Random(seed);
  const ftStd = TRANSFORMER_SPREAD / Math.sqrt(MAX_ACTIVE);
  for (let i = 0; i < weights.ftWeights.length; i++) weights.ftWeights[i] = ftStd * random.normal();
  weights.ftBias.fill(CLIP_MIDDLE);
  const hidden = weights.layers.slice(0, -1);
  for (const layer of hidden) {
    const std = 1 / Math.sqrt(layer.inputs);
    for (let o = 0; o < layer.outputs; o++) {
      let rowSum = 0;
      for (let i = 0; i < layer.inputs; i++) {
        const w = std * random.normal();
        layer.weights[o * layer.inputs + i] = w;
        rowSum += w;
      }
      layer.bias[o] = CLIP_MIDDLE - CLIP_MIDDLE * rowSum;
    }
  }
  return weights;
}
