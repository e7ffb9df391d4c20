// Architecture descriptor of an NNUE-style network, as stored in the model card.
//
// Forward pass (floating point, the form both evaluators compute):
//   acc_P  = ftBias + sum of ftWeights rows of the active features of perspective P
//   h0     = clip([acc_us, acc_them], 0, 1)          us = side to move
//   h_k+1  = clip(W_k h_k + b_k, 0, 1)               one per hidden width
//   y      = w_out . h_last + b_out                  a logit: win probability sigmoid(y)
//   score  = outputScale * y                         centipawns of the side to move
// With the default outputScale of 600, the win probability of a score s is sigmoid(s / 600),
// YaneuraOu's convention.

import { type FeatureSetName, featureSet, isFeatureSetName } from "./features.js";

export type Activation = "clipped_relu";

export interface Architecture {
  featureSet: FeatureSetName;
  /** Width of the feature transformer per perspective (L1); the first dense layer takes twice this. */
  l1: number;
  /** Widths of the hidden dense layers, in order; the output layer (width 1) follows them. */
  hidden: number[];
  /** Clipped ReLU: clamp to [0, 1], after the transformer and after each hidden layer. */
  activation: Activation;
  /** Centipawns per logit of the output; score = outputScale * y. */
  outputScale: number;
}

/** Score scale of YaneuraOu's learner and of teacher data: win probability = sigmoid(score / 600). */
export const SCORE_SCALE = 600;
export const DEFAULT_L1 = 256;
export const DEFAULT_HIDDEN: readonly number[] = [32, 32];
const MAX_WIDTH = 4096;
const MAX_HIDDEN_LAYERS = 8;

/** YaneuraOu's halfkp_256x2-32-32, the layout of its nn.bin files. */
export const HALFKP_256X2_32_32: Architecture = {
  featureSet: "halfkp",
  l1: DEFAULT_L1,
  hidden: [...DEFAULT_HIDDEN],
  activation: "clipped_relu",
  outputScale: SCORE_SCALE,
};

/** Builds a descriptor from the defaults and the given fields; throws on invalid values. */
export function makeArchitecture(fields: Partial<Architecture> & { featureSet: FeatureSetName }): Architecture {
  return validateArchitecture({ ...HALFKP_256X2_32_32, hidden: [...DEFAULT_HIDDEN], ...fields });
}

/** Name in YaneuraOu's style, such as "halfkp_256x2-32-32". */
export function architectureName(arch: Architecture): string {
  return [`${arch.featureSet}_${arch.l1}x2`, ...arch.hidden.map(String)].join("-");
}

function isWidth(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WIDTH;
}

/** Checks a parsed descriptor (from JSON, say) and returns it typed; throws Error naming the field. */
export function validateArchitecture(value: unknown): Architecture {
  if (typeof value !== "object" || value === null) throw new Error("architecture is not an object");
  const arch = value as Record<string, unknown>;
  const featureSetName = String(arch.featureSet);
  if (!isFeatureSetName(featureSetName)) featureSet(featureSetName);
  if (!isWidth(arch.l1)) throw new Error(`invalid architecture l1 ${JSON.stringify(arch.l1)}: expected an integer 1..${MAX_WIDTH}`);
  const hidden = arch.hidden;
  if (!Array.isArray(hidden) || hidden.length > MAX_HIDDEN_LAYERS || !hidden.every(isWidth)) {
    throw new Error(`invalid architecture hidden ${JSON.stringify(hidden)}: expected at most ${MAX_HIDDEN_LAYERS} integers 1..${MAX_WIDTH}`);
  }
  if (arch.activation !== "clipped_relu") {
    throw new Error(`invalid architecture activation ${JSON.stringify(arch.activation)}: expected "clipped_relu"`);
  }
  const scale = arch.outputScale;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
    throw new Error(`invalid architecture outputScale ${JSON.stringify(scale)}: expected a positive number`);
  }
  return { featureSet: featureSetName as FeatureSetName, l1: arch.l1 as number, hidden: [...(hidden as number[])], activation: "clipped_relu", outputScale: scale };
}

/** Input and output width of each dense layer, hidden layers first and the output layer last. */
export function denseShapes(arch: Architecture): Array<{ inputs: number; outputs: number }> {
  const widths = [2 * arch.l1, ...arch.hidden, 1];
  return widths.slice(1).map((outputs, i) => ({ inputs: widths[i], outputs }));
}

export function sameArchitecture(a: Architecture, b: Architecture): boolean {
  return architectureName(a) === architectureName(b) && a.outputScale === b.outputScale && a.activation === b.activation;
}
