// Trainer settings: the typed configuration, its defaults and the range checks that turn user input
// into a TrainConfig or a TrainConfigError naming the field.

import { type Architecture, makeArchitecture } from "../../nn/architecture.js";
import { FEATURE_SET_NAMES, type FeatureSetName, isFeatureSetName } from "../../nn/features.js";

export type OptimizerName = "adam" | "sgd";
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["adam", "sgd"];
export type ScheduleName = "constant" | "step" | "cosine";
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "step", "cosine"];
/** Which epoch's weights a run returns: the one with the lowest validation loss, or the final one. */
export type KeepWeights = "best" | "last";
export const KEEP_WEIGHTS: readonly KeepWeights[] = ["best", "last"];

export interface TrainConfig {
  /** Training files (.bin PackedSfenValue, .hcpe or .txt). */
  data: string[];
  /** Validation file; never a part of the training data. */
  val: string;
  architecture: Architecture;
  /** Weight of the teacher's score in the target; 1 - lambda goes to the game result. */
  lambda: number;
  optimizer: OptimizerName;
  /** Base learning rate, applied to the gradient of the batch-mean loss. */
  lr: number;
  /** SGD momentum. */
  momentum: number;
  beta1: number;
  beta2: number;
  /** Adam's epsilon, added to the square root of the second moment. */
  epsilon: number;
  schedule: ScheduleName;
  /** Factor of the "step" schedule, applied every lrStepEpochs epochs. */
  lrDecay: number;
  lrStepEpochs: number;
  /** Steps of linear learning-rate warm-up from lr / warmupSteps to lr. */
  warmupSteps: number;
  /** Samples per optimiser step. */
  batch: number;
  epochs: number;
  /** Epochs without a better validation loss before training stops; 0 never stops early. */
  patience: number;
  /**
   * Weights returned and exported. With "last", patience counts epochs whose validation loss is not
   * below the previous epoch's, because the kept epoch is always the latest.
   */
  keepWeights: KeepWeights;
  workers: number;
  /** Seed of the initial weights and of the shuffling (an unsigned 32-bit integer). */
  seed: number;
  /** Records held in the shuffle buffer. */
  shuffleBuffer: number;
  /** Records read from a file at a time; the unit the file order is shuffled in. */
  chunkRecords: number;
  /** Names of parameter tensors that stay fixed, such as "ft.weight" or "fc0.bias". */
  freeze: string[];
  /** Measure best-move agreement (a 1-ply search per validation position) each epoch. */
  moveAgreement: boolean;
  checkpointDir?: string;
  metricsFile?: string;
}

/** Settings a caller may give; data, val and the feature set are required, the rest has defaults. */
export type TrainOptions = Partial<Omit<TrainConfig, "architecture">> & {
  data: string[];
  val: string;
  architecture?: Partial<Architecture> & { featureSet: FeatureSetName };
};

/** Default learning rate per optimiser: Adam's usual 1e-3; SGD 0.1 with momentum 0.9 is an effective step of 1.0. */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = { adam: 1e-3, sgd: 0.1 };

export const DEFAULTS = {
  lambda: 0.5,
  optimizer: "adam" as OptimizerName,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  schedule: "constant" as ScheduleName,
  lrDecay: 0.5,
  lrStepEpochs: 3,
  warmupSteps: 0,
  batch: 8192,
  epochs: 20,
  patience: 3,
  keepWeights: "best" as KeepWeights,
  seed: 1,
  shuffleBuffer: 1 << 20,
  chunkRecords: 4096,
  moveAgreement: true,
};

const MAX_LR = 10;
const MAX_BATCH = 1 << 20;
const MAX_EPOCHS = 100_000;
const MAX_WORKERS = 256;
const MAX_WARMUP = 1e9;
const MAX_SHUFFLE_BUFFER = 1 << 26;
const MAX_CHUNK_RECORDS = 1 << 20;
const UINT32_MAX = 0xffffffff;

/** An invalid trainer setting; `field` is the configuration field at fault. */
export class TrainConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "TrainConfigError";
  }
}

function fail(field: string, value: unknown, expected: string): never {
  throw new TrainConfigError(field, `invalid ${field} ${JSON.stringify(value)}: expected ${expected}`);
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** Checks for a number in [min, max], with the ends excluded by openMin and openMax. */
function numberIn(field: string, value: unknown, min: number, max: number, openMin: boolean, openMax = false): number {
  const ok = typeof value === "number" && Number.isFinite(value)
    && (openMin ? value > min : value >= min) && (openMax ? value < max : value <= max);
  if (!ok) fail(field, value, `a number in ${openMin ? "(" : "["}${min}, ${max}${openMax ? ")" : "]"}`);
  return value as number;
}

function oneOf<T extends string>(field: string, value: unknown, names: readonly T[]): T {
  if (!names.includes(value as T)) fail(field, value, `one of ${names.join(", ")}`);
  return value as T;
}

function fileList(field: string, value: unknown, min: number): string[] {
  if (!Array.isArray(value) || value.length < min || !value.every((file) => typeof file === "string" && file !== "")) {
    fail(field, value, `a list of at least ${min} file path${min === 1 ? "" : "s"}`);
  }
  return [...(value as string[])];
}

function checkArchitecture(value: TrainOptions["architecture"]): Architecture {
  if (value === undefined || !isFeatureSetName(String(value.featureSet))) {
    fail("architecture.featureSet", value?.featureSet, `one of ${FEATURE_SET_NAMES.join(", ")}`);
  }
  try {
    return makeArchitecture(value);
  } catch (error) {
    const field = /\bl1\b/.test((error as Error).message) ? "architecture.l1" : "architecture.hidden";
    throw new TrainConfigError(field, (error as Error).message);
  }
}

function optionalPath(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") fail(field, value, "a non-empty path");
  return value;
}

/** Fills in defaults and range-checks every field; throws TrainConfigError naming the first bad one. */
export function validateTrainConfig(options: TrainOptions): TrainConfig {
  const optimizer = oneOf("optimizer", options.optimizer ?? DEFAULTS.optimizer, OPTIMIZER_NAMES);
  const epochs = integerIn("epochs", options.epochs ?? DEFAULTS.epochs, 1, MAX_EPOCHS);
  const batch = integerIn("batch", options.batch ?? DEFAULTS.batch, 1, MAX_BATCH);
  const config: TrainConfig = {
    data: fileList("data", options.data, 1),
    val: fileList("val", [options.val], 1)[0],
    architecture: checkArchitecture(options.architecture),
    lambda: numberIn("lambda", options.lambda ?? DEFAULTS.lambda, 0, 1, false),
    optimizer,
    lr: numberIn("lr", options.lr ?? DEFAULT_LR[optimizer], 0, MAX_LR, true),
    momentum: numberIn("momentum", options.momentum ?? DEFAULTS.momentum, 0, 1, false, true),
    beta1: numberIn("beta1", options.beta1 ?? DEFAULTS.beta1, 0, 1, false, true),
    beta2: numberIn("beta2", options.beta2 ?? DEFAULTS.beta2, 0, 1, false, true),
    epsilon: numberIn("epsilon", options.epsilon ?? DEFAULTS.epsilon, 0, 1, true),
    schedule: oneOf("schedule", options.schedule ?? DEFAULTS.schedule, SCHEDULE_NAMES),
    lrDecay: numberIn("lrDecay", options.lrDecay ?? DEFAULTS.lrDecay, 0, 1, true),
    lrStepEpochs: integerIn("lrStepEpochs", options.lrStepEpochs ?? DEFAULTS.lrStepEpochs, 1, MAX_EPOCHS),
    warmupSteps: integerIn("warmupSteps", options.warmupSteps ?? DEFAULTS.warmupSteps, 0, MAX_WARMUP),
    batch,
    epochs,
    patience: integerIn("patience", options.patience ?? DEFAULTS.patience, 0, MAX_EPOCHS),
    keepWeights: oneOf("keepWeights", options.keepWeights ?? DEFAULTS.keepWeights, KEEP_WEIGHTS),
    workers: integerIn("workers", options.workers ?? 1, 1, MAX_WORKERS),
    seed: integerIn("seed", options.seed ?? DEFAULTS.seed, 0, UINT32_MAX),
    shuffleBuffer: integerIn("shuffleBuffer", options.shuffleBuffer ?? DEFAULTS.shuffleBuffer, 1, MAX_SHUFFLE_BUFFER),
    chunkRecords: integerIn("chunkRecords", options.chunkRecords ?? DEFAULTS.chunkRecords, 1, MAX_CHUNK_RECORDS),
    freeze: checkFreeze(options.freeze ?? []),
    moveAgreement: checkBoolean("moveAgreement", options.moveAgreement ?? DEFAULTS.moveAgreement),
    checkpointDir: optionalPath("checkpointDir", options.checkpointDir),
    metricsFile: optionalPath("metricsFile", options.metricsFile),
  };
  if (config.data.includes(config.val)) {
    throw new TrainConfigError("val", `invalid val "${config.val}": the validation file is also a training file; give a separate file`);
  }
  return config;
}

function checkFreeze(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((name) => typeof name === "string")) fail("freeze", value, "a list of parameter names");
  return [...(value as string[])];
}

function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(field, value, "true or false");
  return value as boolean;
}
