// The distillation trainer: trains a student network on teacher data (PackedSfenValue, hcpe or
// text files), evaluates weights on a data file and exports ONNX models with their cards.
//
// The pieces the fine-tuning lab reuses: trainModel (start from given weights, freeze tensors by
// name, add extensions such as adapters), evaluateModel / evaluateLoss / moveAgreement, and
// exportModel. See distill/trainer/ for the internals.

import type { NetworkWeights } from "../nn/weights.js";
import { DEFAULTS } from "./trainer/config.js";
import { openDataFiles } from "./trainer/session.js";
import { Session } from "./trainer/session.js";
import type { ValidationMetrics } from "./trainer/metrics.js";
import { networkParameterSpecs } from "./trainer/parameters.js";
import { weightTensors } from "../nn/weights.js";

export {
  DEFAULTS as TRAIN_DEFAULTS, DEFAULT_LR, KEEP_WEIGHTS, OPTIMIZER_NAMES, SCHEDULE_NAMES, type KeepWeights, type OptimizerName, type ScheduleName,
  type TrainConfig, TrainConfigError, type TrainOptions, validateTrainConfig,
} from "./trainer/config.js";
export { type TrainHooks, type TrainModelOptions, type TrainResult, trainModel } from "./trainer/train.js";
export { TrainingDivergedError } from "./trainer/errors.js";
export type { EpochMetrics, ValidationMetrics } from "./trainer/metrics.js";
export { CORRELATION_CLAMP } from "./trainer/metrics.js";
export type { ProgressEvent } from "./trainer/session.js";
export { type ExportInfo, GENSFEN_PROGRESS_SUFFIX, LOSS_DESCRIPTION, buildCard, exportModel, readTeacherSidecar } from "./trainer/card.js";
export type { ExtensionParameter, ExtensionSpec, ModelExtension } from "./trainer/extensions.js";
export type { GradientSink, NetworkHooks } from "./trainer/network.js";
export { type ParameterSpec, networkParameterSpecs } from "./trainer/parameters.js";
export { initialWeights } from "./trainer/init.js";

export interface EvaluateOptions {
  /** Weight of the teacher score in the loss target; default 0.5. */
  lambda?: number;
  /** Run the 1-ply search for best-move agreement; default true. */
  agreement?: boolean;
  /** Threads; default 1. */
  workers?: number;
  /** Samples per evaluation batch; default 8192. */
  batch?: number;
}

const EVALUATION_BATCH = 8192;

/**
 * Evaluates weights on one data file: loss against the targets of `lambda`, best-move agreement of
 * a 1-ply search with the record moves, and score correlation with the teacher.
 */
export async function evaluateModel(weights: NetworkWeights, dataFile: string, options: EvaluateOptions = {}): Promise<ValidationMetrics> {
  const chunkRecords = DEFAULTS.chunkRecords;
  const files = await openDataFiles([dataFile], chunkRecords);
  const specs = networkParameterSpecs(weights.architecture).map((spec) => ({ ...spec, trainable: false }));
  const session = await Session.open(
    { architecture: weights.architecture, specs, extensions: [], workers: options.workers ?? 1, batch: options.batch ?? EVALUATION_BATCH },
    { kind: "adam", beta1: DEFAULTS.beta1, beta2: DEFAULTS.beta2, epsilon: DEFAULTS.epsilon, momentum: DEFAULTS.momentum },
  );
  try {
    weightTensors(weights).forEach((tensor, p) => session.layout.values[p].set(tensor));
    const evaluation = { lambda: options.lambda ?? DEFAULTS.lambda, agreement: options.agreement ?? true, version: 0, chunkRecords, epoch: 0 };
    return await session.evaluate(files, evaluation);
  } finally {
    await session.close();
  }
}

/** Mean loss of weights on a data file (nats per sample), with the perfect predictor's loss beside it. */
export async function evaluateLoss(
  weights: NetworkWeights, dataFile: string, lambda: number, options: Omit<EvaluateOptions, "lambda" | "agreement"> = {},
): Promise<{ loss: number; lossFloor: number; samples: number }> {
  const metrics = await evaluateModel(weights, dataFile, { ...options, lambda, agreement: false });
  return { loss: metrics.loss, lossFloor: metrics.lossFloor, samples: metrics.samples };
}

/** Share of a file's records with a move where the student's 1-ply best move equals the record's move. */
export async function moveAgreement(
  weights: NetworkWeights, dataFile: string, options: Omit<EvaluateOptions, "agreement"> = {},
): Promise<{ agreement: number | null; samples: number }> {
  const metrics = await evaluateModel(weights, dataFile, { ...options, agreement: true });
  return { agreement: metrics.moveAgreement, samples: metrics.agreementSamples };
}
