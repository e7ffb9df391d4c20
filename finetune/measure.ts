// Measurements of a fine-tuned variant. Losses are taken on its fine-tuning data, on the held-out
// part of the same domain and on the base's general validation set. The last two also give
// best-move agreement and score correlation with the teacher. weightDistance gives how far each
// weight tensor moved from the base.

import { type ValidationMetrics, evaluateModel } from "../distill/trainer.js";
import { type NetworkWeights, weightTensors } from "../nn/weights.js";
import { networkParameterSpecs } from "../distill/trainer.js";

/** Metrics on one data file (or several, averaged by samples). */
export interface SetMetrics {
  samples: number;
  /** Mean cross entropy in nats per sample. */
  loss: number;
  /** Loss of a perfect predictor on the same targets (their entropy). */
  lossFloor: number;
  /** Share of positions whose 1-ply best move equals the recorded move; null when not measured. */
  moveAgreement: number | null;
  /** Pearson correlation of student and teacher scores (clamped to +-3000 cp); null when undefined. */
  scoreCorrelation: number | null;
}

/** Distance of one weight tensor from the base's. */
export interface TensorDistance {
  /** ONNX initializer name: "ft.weight", "fc0.bias", "out.weight", ... */
  tensor: string;
  /** L2 norm of the change divided by the L2 norm of the base tensor; null when the base tensor is zero. */
  relative: number | null;
  /** L2 norm of the change. */
  absolute: number;
}

export interface MeasureSets {
  /** Fine-tuning files, measured with `lambda`. */
  data: string[];
  /** Held-out file of the same domain, measured with `lambda`. */
  heldout: string;
  lambda: number;
  /** The base's general validation file, measured with `generalLambda`, with agreement and correlation. */
  general?: string;
  generalLambda: number;
  workers?: number;
}

export interface Measurements {
  finetune: SetMetrics;
  heldout: SetMetrics;
  general: SetMetrics | null;
}

function setMetrics(metrics: ValidationMetrics): SetMetrics {
  const { samples, loss, lossFloor, moveAgreement, scoreCorrelation } = metrics;
  return { samples, loss, lossFloor, moveAgreement, scoreCorrelation };
}

/** Evaluates several files and averages loss and loss floor by sample count (agreement is not measured). */
async function lossOver(weights: NetworkWeights, files: readonly string[], lambda: number, workers: number): Promise<SetMetrics> {
  let samples = 0;
  let loss = 0;
  let floor = 0;
  for (const file of files) {
    const metrics = await evaluateModel(weights, file, { lambda, agreement: false, workers });
    samples += metrics.samples;
    loss += metrics.loss * metrics.samples;
    floor += metrics.lossFloor * metrics.samples;
  }
  return { samples, loss: loss / samples, lossFloor: floor / samples, moveAgreement: null, scoreCorrelation: null };
}

/** Measures weights on the fine-tuning data, the held-out file and the general validation file. */
export async function measureWeights(weights: NetworkWeights, sets: MeasureSets): Promise<Measurements> {
  const workers = sets.workers ?? 1;
  const finetune = await lossOver(weights, sets.data, sets.lambda, workers);
  const heldout = setMetrics(await evaluateModel(weights, sets.heldout, { lambda: sets.lambda, agreement: true, workers }));
  const general = sets.general === undefined
    ? null
    : setMetrics(await evaluateModel(weights, sets.general, { lambda: sets.generalLambda, agreement: true, workers }));
  return { finetune, heldout, general };
}

/** Relative L2 distance of every weight tensor from the base, in weightTensors() order. */
export function weightDistance(base: NetworkWeights, tuned: NetworkWeights): TensorDistance[] {
  const names = networkParameterSpecs(base.architecture).map((spec) => spec.name);
  const before = weightTensors(base);
  const after = weightTensors(tuned);
  return names.map((tensor, t) => {
    let change = 0;
    let norm = 0;
    for (let i = 0; i < before[t].length; i++) {
      const d = after[t][i] - before[t][i];
      change += d * d;
      norm += before[t][i] * before[t][i];
    }
    return { tensor, relative: norm > 0 ? Math.sqrt(change / norm) : null, absolute: Math.sqrt(change) };
  });
}
