// Optimiser steps on ranges of a parameter tensor, and the learning-rate schedules.
//
// Adam (Kingma and Ba, 2015) with bias correction by the global step count; SGD with momentum
// (velocity = momentum * velocity + g, value -= lr * velocity). Rows of a sparse-rows tensor are
// updated lazily: a row's moments change only in steps where the row has a gradient, as in
// PyTorch's SparseAdam, so rows of inactive features neither move nor decay.

import type { OptimizerName, ScheduleName } from "./config.js";

export interface OptimizerSettings {
  kind: OptimizerName;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
}

/** Number of state tensors per parameter: Adam's two moments or SGD's velocity. */
export function stateTensorCount(kind: OptimizerName): number {
  return kind === "adam" ? 2 : 1;
}

/** Step-dependent factors of one update, computed once per step. */
export interface StepFactors {
  lr: number;
  /** Adam: 1 / (1 - beta1^t) and 1 / (1 - beta2^t). */
  firstCorrection: number;
  secondCorrection: number;
}

export function stepFactors(settings: OptimizerSettings, step: number, lr: number): StepFactors {
  return {
    lr,
    firstCorrection: 1 / (1 - settings.beta1 ** step),
    secondCorrection: 1 / (1 - settings.beta2 ** step),
  };
}

/**
 * Applies gradient g[0..n) to value[offset..offset+n) with the optimiser state at the same offset.
 * Returns -1, or the index (relative to offset) of the first value that became non-finite.
 */
export function applyUpdate(
  settings: OptimizerSettings, factors: StepFactors, lrScale: number, value: Float32Array, state: Float32Array[],
  offset: number, g: Float64Array, n: number,
): number {
  const lr = factors.lr * lrScale;
  if (settings.kind === "sgd") return sgdRange(settings.momentum, lr, value, state[0], offset, g, n);
  return adamRange(settings, factors, lr, value, state[0], state[1], offset, g, n);
}

/**
 * Applies the gradient first + second (second may be null) to value[offset..offset+n), reading the
 * gradients at the same offset and zeroing them as it goes. It does in one pass what a reduction
 * into g and applyUpdate do in three, for the common case of rows touched by one or two slots.
 * Returns -1 or the index (relative to offset) of the first value that became non-finite.
 */
export function applyUpdateFromGrads(
  settings: OptimizerSettings, factors: StepFactors, lrScale: number, value: Float32Array, state: Float32Array[],
  offset: number, n: number, first: Float32Array, second: Float32Array | null,
): number {
  const lr = factors.lr * lrScale;
  const { beta1, beta2, epsilon, momentum } = settings;
  const { firstCorrection, secondCorrection } = factors;
  const adam = settings.kind === "adam";
  const [m, v] = state;
  let bad = -1;
  for (let k = offset; k < offset + n; k++) {
    const grad = second ? first[k] + second[k] : first[k];
    first[k] = 0;
    if (second) second[k] = 0;
    if (adam) {
      const firstMoment = beta1 * m[k] + (1 - beta1) * grad;
      const secondMoment = beta2 * v[k] + (1 - beta2) * grad * grad;
      m[k] = firstMoment;
      v[k] = secondMoment;
      value[k] -= (lr * firstMoment * firstCorrection) / (Math.sqrt(secondMoment * secondCorrection) + epsilon);
    } else {
      const velocity = momentum * m[k] + grad;
      m[k] = velocity;
      value[k] -= lr * velocity;
    }
    if (bad < 0 && !Number.isFinite(value[k])) bad = k - offset;
  }
  return bad;
}

function adamRange(
  settings: OptimizerSettings, factors: StepFactors, lr: number, value: Float32Array, m: Float32Array, v: Float32Array,
  offset: number, g: Float64Array, n: number,
): number {
  const { beta1, beta2, epsilon } = settings;
  const { firstCorrection, secondCorrection } = factors;
  let bad = -1;
  for (let i = 0; i < n; i++) {
    const k = offset + i;
    const grad = g[i];
    const first = beta1 * m[k] + (1 - beta1) * grad;
    const second = beta2 * v[k] + (1 - beta2) * grad * grad;
    m[k] = first;
    v[k] = second;
    value[k] -= (lr * first * firstCorrection) / (Math.sqrt(second * secondCorrection) + epsilon);
    if (bad < 0 && !Number.isFinite(value[k])) bad = i;
  }
  return bad;
}

function sgdRange(momentum: number, lr: number, value: Float32Array, velocity: Float32Array, offset: number, g: Float64Array, n: number): number {
  let bad = -1;
  for (let i = 0; i < n; i++) {
    const k = offset + i;
    const next = momentum * velocity[k] + g[i];
    velocity[k] = next;
    value[k] -= lr * next;
    if (bad < 0 && !Number.isFinite(value[k])) bad = i;
  }
  return bad;
}

export interface ScheduleSettings {
  schedule: ScheduleName;
  lr: number;
  lrDecay: number;
  lrStepEpochs: number;
  warmupSteps: number;
}

/**
 * Computes the learning rate of a step (1-based) in an epoch (1-based) of a run of totalSteps
 * steps. "constant" keeps lr. "step" multiplies it by lrDecay every lrStepEpochs epochs. "cosine"
 * lowers it from lr to 0 over the run along a half cosine. A linear warm-up over the first
 * warmupSteps steps multiplies all three.
 */
export function learningRate(settings: ScheduleSettings, step: number, epoch: number, totalSteps: number): number {
  let factor = 1;
  if (settings.schedule === "step") factor = settings.lrDecay ** Math.floor((epoch - 1) / settings.lrStepEpochs);
  if (settings.schedule === "cosine") factor = 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / Math.max(1, totalSteps)));
  if (step <= settings.warmupSteps) factor *= step / settings.warmupSteps;
  return settings.lr * factor;
}
