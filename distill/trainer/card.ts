// The model card of a trained network, and its export as an ONNX file.

import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import type { ModelCard, Provenance, TeacherInfo } from "../../nn/model-card.js";
import { encodeModel } from "../../nn/onnx-writer.js";
import { contentHash } from "../../nn/weights.js";
import { networkParameterSpecs } from "./parameters.js";
import type { TrainResult } from "./train.js";

/**
 * Suffix of the progress file that `shogi-lab gensfen` writes beside its output; its
 * config.teacher and config.budget describe the teacher of the data.
 */
export const GENSFEN_PROGRESS_SUFFIX = ".progress.json";

/** Card contents that do not come from the training run. */
export interface ExportInfo {
  teacher?: TeacherInfo;
  /** The model the run started from, for fine-tuned variants. */
  parentModel?: { name?: string; contentHash: string };
  /** Provenance source; default "trained", or "fine-tuned" with a parent model. */
  source?: string;
  description?: string;
  notes?: string;
}

export const LOSS_DESCRIPTION =
  "cross entropy (nats) of sigmoid(student / 600) against (1 - lambda) * result + lambda * sigmoid(teacher / 600), result 1 / 0.5 / 0 from the side to move";

interface GensfenProgress {
  config?: { teacher?: { id?: unknown; name?: unknown; options?: unknown; scoreScale?: unknown }; budget?: unknown };
}

/**
 * Reads the teacher of the first data file that has a gensfen progress file beside it
 * (DATA.progress.json). Returns undefined when no file has one or when it names no teacher, and
 * throws on a progress file that is not JSON.
 */
export function readTeacherSidecar(dataFiles: readonly string[]): TeacherInfo | undefined {
  for (const file of dataFiles) {
    const sidecar = file + GENSFEN_PROGRESS_SUFFIX;
    if (!existsSync(sidecar)) continue;
    let progress: GensfenProgress;
    try {
      progress = JSON.parse(readFileSync(sidecar, "utf8")) as GensfenProgress;
    } catch (error) {
      throw new Error(`${sidecar}: the gensfen progress file is not valid JSON (${(error as Error).message})`);
    }
    const teacher = progress.config?.teacher;
    if (!teacher || typeof teacher.name !== "string") continue;
    const settings = { profile: teacher.id, options: teacher.options, scoreScale: teacher.scoreScale, budget: progress.config?.budget };
    return { engine: teacher.name, settings };
  }
  return undefined;
}

function trainingSettings(result: TrainResult): Record<string, unknown> {
  const { config } = result;
  const optimizer = config.optimizer === "adam"
    ? { beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon }
    : { momentum: config.momentum };
  return {
    trainer: "shogi-lab distill",
    loss: LOSS_DESCRIPTION,
    lambda: config.lambda,
    optimizer: config.optimizer,
    ...optimizer,
    learningRate: config.lr,
    schedule: config.schedule,
    ...(config.schedule === "step" ? { lrDecay: config.lrDecay, lrStepEpochs: config.lrStepEpochs } : {}),
    warmupSteps: config.warmupSteps,
    batch: config.batch,
    epochs: config.epochs,
    epochsCompleted: result.epochsCompleted,
    bestEpoch: result.best.epoch,
    stoppedEarly: result.stoppedEarly,
    patience: config.patience,
    keepWeights: config.keepWeights,
    steps: result.steps,
    seed: config.seed,
    workers: config.workers,
    shuffleBuffer: config.shuffleBuffer,
    frozen: config.freeze,
    initialWeights: result.initialHash ?? `random (seed ${config.seed})`,
    validationHash: result.valHash,
    ...mergedTensors(result),
  };
}

/** Extension tensors (factors, adapters) that were trained and merged into the exported weights. */
function mergedTensors(result: TrainResult): { mergedTensors?: string[] } {
  const own = new Set(networkParameterSpecs(result.config.architecture).map((spec) => spec.name));
  const merged = result.parameters.map((parameter) => parameter.name).filter((name) => !own.has(name));
  return merged.length > 0 ? { mergedTensors: merged } : {};
}

function cardMetrics(result: TrainResult): Record<string, number> {
  const best = result.best;
  const metrics: Record<string, number> = { epoch: best.epoch, trainLoss: best.trainLoss, valLoss: best.valLoss, valLossFloor: best.valLossFloor };
  if (best.moveAgreement !== null) metrics.moveAgreement = best.moveAgreement;
  if (best.scoreCorrelation !== null) metrics.scoreCorrelation = best.scoreCorrelation;
  return metrics;
}

/** Builds the card of a training result, except the architecture and content hash that the writer adds. */
export function buildCard(result: TrainResult, info: ExportInfo = {}): Omit<ModelCard, "architecture" | "contentHash"> {
  const provenance: Provenance = {
    source: info.source ?? (info.parentModel ? "fine-tuned" : "trained"),
    dataHashes: result.dataHashes,
    training: trainingSettings(result),
  };
  if (info.teacher) provenance.teacher = info.teacher;
  if (info.parentModel) provenance.parentModel = info.parentModel;
  if (info.notes) provenance.notes = info.notes;
  const card: Omit<ModelCard, "architecture" | "contentHash"> = { provenance, metrics: cardMetrics(result) };
  card.description = info.description ?? `Distilled student, best of ${result.epochsCompleted} epochs by validation loss`;
  return card;
}

/** Writes the model of a training result to path (FILE.tmp, then renamed); returns the card written. */
export function exportModel(path: string, result: TrainResult, info: ExportInfo = {}): ModelCard {
  const card = buildCard(result, info);
  const bytes = encodeModel(result.weights, card);
  const temporary = `${path}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    if (existsSync(temporary)) unlinkSync(temporary);
    throw error;
  }
  return { ...card, architecture: result.weights.architecture, contentHash: contentHash(result.weights) };
}
