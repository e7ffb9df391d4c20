// One fine-tuning run. It starts from a base model and trains in one of the modes of modes.ts with
// the distillation trainer (same loss, validation and checkpoints). Then it exports the variant as
// ONNX, with a card that names its parent and its fine-tuning settings, and measures it.

import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type EpochMetrics, type KeepWeights, type OptimizerName, type TrainHooks, type TrainModelOptions, type TrainResult,
  TRAIN_DEFAULTS, buildCard, readTeacherSidecar, trainModel,
} from "../distill/trainer.js";
import { fileSha256 } from "../distill/trainer/hash.js";
import { networkTensorCount } from "../distill/trainer/parameters.js";
import type { ModelCard, TeacherInfo } from "../nn/model-card.js";
import { encodeModel } from "../nn/onnx-writer.js";
import { type LoadedModel, readModelFile } from "../nn/onnx-reader.js";
import { contentHash } from "../nn/weights.js";
import { type Measurements, type TensorDistance, measureWeights, weightDistance } from "./measure.js";
import { type ModeSettings, planMode } from "./modes.js";

/** Defaults of fine-tuning that differ from distillation's. */
export const FINETUNE_DEFAULTS = {
  /** Fine-tuning sets hold thousands of positions, so distillation's 8192 would be one step an epoch. */
  batch: 256,
  /** Every requested epoch runs, so the epoch count is the number of passes made. */
  patience: 0,
  keepWeights: "last" as KeepWeights,
  /** Best-move agreement costs a 1-ply search per position, so per-epoch validation skips it. */
  epochAgreement: false,
};

export interface FinetuneOptions extends ModeSettings {
  /** Base model file (.onnx). */
  base: string;
  /** Fine-tuning data files. */
  data: string[];
  /** Held-out file of the same domain: the trainer's validation file. */
  val: string;
  /** Output model file. */
  out: string;
  lr: number;
  epochs: number;
  /** Weight of the teacher score in the target; default: the base's training lambda, else 0.5. 0 learns from game results only. */
  lambda?: number;
  /** Teacher of the fine-tuning data for the card; default: from a gensfen progress file beside the data. */
  teacher?: TeacherInfo;
  /** The base's general validation file; when given, the variant is measured on it. */
  generalVal?: string;
  /** Lambda of the general-set loss; default: the base's training lambda, else 0.5. */
  generalLambda?: number;
  optimizer?: OptimizerName;
  batch?: number;
  seed?: number;
  workers?: number;
  /** Epochs without a better held-out loss before stopping; default 0 (never). */
  patience?: number;
  /** Export the last epoch's weights (default) or the epoch with the lowest held-out loss. */
  keepWeights?: KeepWeights;
  /** Measure best-move agreement on the held-out file after every epoch; default false. */
  epochAgreement?: boolean;
  checkpointDir?: string;
  metricsFile?: string;
  description?: string;
}

export interface FinetuneResult {
  out: string;
  contentHash: string;
  parent: { file: string; contentHash: string };
  /** The card's fineTuning entry: mode, optimiser settings and data. */
  settings: Record<string, unknown>;
  /** Per-epoch metrics (the trainer's validation is the held-out file). */
  history: EpochMetrics[];
  /** Metrics of the exported epoch. */
  kept: EpochMetrics;
  resumed: boolean;
  /** Relative L2 distance of each weight tensor from the base. */
  distance: TensorDistance[];
  /** The trained tensors of the extensions (LoRA factors, unmerged) of the exported epoch; empty in other modes. */
  adapters: Array<{ name: string; value: Float32Array }>;
  /** Losses of the variant on its data, held-out and general sets. */
  measurements: Measurements;
  seconds: number;
}

/** Lambda the base was trained with, from its card, or the trainer's default. */
export function baseLambda(card: ModelCard): number {
  const lambda = card.provenance.training?.lambda;
  return typeof lambda === "number" ? lambda : TRAIN_DEFAULTS.lambda;
}

/** Fine-tunes a base model and writes the variant; throws the trainer's errors and ModelError for the base. */
export async function runFinetune(options: FinetuneOptions, hooks: TrainHooks = {}): Promise<FinetuneResult> {
  const started = performance.now();
  const base = readModelFile(options.base);
  const plan = planMode(options, base.card.architecture);
  const lambda = options.lambda ?? baseLambda(base.card);
  const trainOptions: TrainModelOptions = {
    data: options.data, val: options.val, lambda, lr: options.lr, epochs: options.epochs,
    optimizer: options.optimizer ?? TRAIN_DEFAULTS.optimizer, batch: options.batch ?? FINETUNE_DEFAULTS.batch,
    seed: options.seed ?? TRAIN_DEFAULTS.seed, workers: options.workers ?? 1,
    patience: options.patience ?? FINETUNE_DEFAULTS.patience, keepWeights: options.keepWeights ?? FINETUNE_DEFAULTS.keepWeights,
    moveAgreement: options.epochAgreement ?? FINETUNE_DEFAULTS.epochAgreement,
    freeze: plan.freeze, extensions: plan.extensions, checkpointDir: options.checkpointDir, metricsFile: options.metricsFile,
  };
  const result = await trainModel(trainOptions, base.weights, hooks);
  const settings = { ...plan.settings, ...(await dataSettings(options, base)) };
  const card = writeVariant(options, base, result, settings);
  const measurements = await measureWeights(result.weights, {
    data: options.data, heldout: options.val, lambda, general: options.generalVal,
    generalLambda: options.generalLambda ?? baseLambda(base.card), workers: options.workers,
  });
  return {
    out: options.out,
    contentHash: card.contentHash,
    parent: { file: options.base, contentHash: base.card.contentHash },
    settings,
    history: result.history,
    kept: result.best,
    resumed: result.resumed,
    distance: weightDistance(base.weights, result.weights),
    adapters: result.parameters.slice(networkTensorCount(base.card.architecture)),
    measurements,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Collects the data part of the card's fineTuning entry: files by folder and name (no absolute
 * paths) with their SHA-256, and the export choice.
 */
async function dataSettings(options: FinetuneOptions, base: LoadedModel): Promise<Record<string, unknown>> {
  const name = (file: string) => `${path.basename(path.dirname(path.resolve(file)))}/${path.basename(file)}`;
  const files = async (list: readonly string[]) => Promise.all(list.map(async (file) => ({ file: name(file), sha256: await fileSha256(file) })));
  return {
    parentFile: path.basename(base.file),
    data: await files(options.data),
    heldout: (await files([options.val]))[0],
    keepWeights: options.keepWeights ?? FINETUNE_DEFAULTS.keepWeights,
  };
}

/** Writes the variant (FILE.tmp, then renamed) with the card and returns the card. */
function writeVariant(options: FinetuneOptions, base: LoadedModel, result: TrainResult, settings: Record<string, unknown>): ModelCard {
  // Labels from `shogi-lab label` and game records have no progress file, so without options.teacher
  // the card names no teacher for them.
  const teacher = options.teacher ?? readTeacherSidecar(options.data);
  const card = buildCard(result, {
    teacher,
    parentModel: { name: path.basename(base.file), contentHash: base.card.contentHash },
    description: options.description ?? `Fine-tuned (${String(settings.mode)}) from ${path.basename(base.file)}`,
  });
  card.provenance.fineTuning = settings;
  const temporary = `${options.out}.tmp`;
  try {
    writeFileSync(temporary, encodeModel(result.weights, card));
    renameSync(temporary, options.out);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { ...card, architecture: result.weights.architecture, contentHash: contentHash(result.weights) };
}
