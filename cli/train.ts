// `shogi-lab train`: trains a student network on teacher data and writes it as an ONNX model with
// its model card. The work is trainModel and exportModel of distill/trainer.ts.
import { availableParallelism } from "node:os";
import { type Command, InvalidArgumentError } from "commander";
import {
  type EpochMetrics, OPTIMIZER_NAMES, type OptimizerName, type ProgressEvent, SCHEDULE_NAMES, type ScheduleName, TRAIN_DEFAULTS,
  exportModel, readTeacherSidecar, trainModel,
} from "../distill/trainer.js";
import { basename } from "node:path";
import { factorizerSpec } from "../distill/trainer/factorizer.js";
import { fitMaterialScale, materialStart } from "../distill/trainer/material-init.js";
import { makeArchitecture } from "../nn/architecture.js";
import { readModelFile } from "../nn/onnx-reader.js";
import type { NetworkWeights } from "../nn/weights.js";
import type { TeacherInfo } from "../nn/model-card.js";
import { FEATURE_SET_NAMES, type FeatureSetName } from "../nn/features.js";

export interface TrainCommandOptions {
  data: string[];
  val: string;
  out: string;
  arch: FeatureSetName;
  l1: number;
  hidden: number[];
  lambda: number;
  optimizer: OptimizerName;
  lr?: number;
  momentum: number;
  schedule: ScheduleName;
  lrDecay: number;
  lrStepEpochs: number;
  warmupSteps: number;
  batch: number;
  epochs: number;
  patience: number;
  workers: number;
  seed: number;
  shuffleBuffer: number;
  checkpointDir?: string;
  metrics?: string;
  moveAgreement: boolean;
  factorize: boolean;
  init?: string;
  teacherName?: string;
  teacherSettings?: Record<string, unknown>;
  description?: string;
  notes?: string;
  json: boolean;
}

/** Summary of a finished command, printed as JSON with --json. */
export interface TrainSummary {
  out: string;
  contentHash: string;
  resumed: boolean;
  finished: boolean;
  stoppedEarly: boolean;
  epochsCompleted: number;
  best: EpochMetrics;
  /** Scale of the material start (material centipawns to teacher units), with --init material. */
  materialScale?: number;
}

/** Trains, exports the best epoch's weights to options.out and returns a summary. */
export async function runTrain(options: TrainCommandOptions, showProgress: boolean): Promise<TrainSummary> {
  const display = showProgress ? new ProgressLine() : undefined;
  const start = await initialNetwork(options);
  const result = await trainModel(
    {
      data: options.data, val: options.val, architecture: { featureSet: options.arch, l1: options.l1, hidden: options.hidden },
      lambda: options.lambda, optimizer: options.optimizer, lr: options.lr, momentum: options.momentum, schedule: options.schedule,
      lrDecay: options.lrDecay, lrStepEpochs: options.lrStepEpochs, warmupSteps: options.warmupSteps, batch: options.batch,
      epochs: options.epochs, patience: options.patience, workers: options.workers, seed: options.seed,
      shuffleBuffer: options.shuffleBuffer, checkpointDir: options.checkpointDir, metricsFile: options.metrics,
      moveAgreement: options.moveAgreement,
      extensions: options.factorize ? [factorizerSpec()] : [],
    },
    start?.weights,
    { onProgress: display && ((event) => display.update(event)), onEpoch: display && ((metrics) => display.epoch(metrics)) },
  );
  display?.clear();
  const description = options.description ?? (start?.scale !== undefined ? `Student started from material x${start.scale}, trained on ${options.data.map((file) => basename(file)).join(", ")}` : undefined);
  const card = exportModel(options.out, result, { teacher: teacherInfo(options), description, notes: options.notes });
  return {
    out: options.out,
    contentHash: card.contentHash,
    resumed: result.resumed,
    finished: result.finished,
    stoppedEarly: result.stoppedEarly,
    epochsCompleted: result.epochsCompleted,
    best: result.best,
    ...(start?.scale !== undefined ? { materialScale: start.scale } : {}),
  };
}

/** Returns the weights that --init names: a model file, or the material start fitted to the data; undefined for a random start. */
async function initialNetwork(options: TrainCommandOptions): Promise<{ weights: NetworkWeights; scale?: number } | undefined> {
  if (options.init === undefined) return undefined;
  if (options.init !== MATERIAL_INIT) return { weights: readModelFile(options.init).weights };
  const arch = makeArchitecture({ featureSet: options.arch, l1: options.l1, hidden: options.hidden });
  const scale = await fitMaterialScale(options.data, options.lambda, arch.outputScale);
  return { weights: materialStart(arch, options.seed, scale), scale };
}

const MATERIAL_INIT = "material";

/** Teacher from --teacher-name and --teacher-settings, else from a gensfen progress file beside the data. */
function teacherInfo(options: TrainCommandOptions): TeacherInfo | undefined {
  if (options.teacherName !== undefined) {
    return { engine: options.teacherName, ...(options.teacherSettings ? { settings: options.teacherSettings } : {}) };
  }
  const fromData = readTeacherSidecar(options.data);
  if (fromData && options.teacherSettings) fromData.settings = { ...fromData.settings, ...options.teacherSettings };
  return fromData;
}

/** A one-line progress display on stderr: count, rate and estimated time left of the current phase. */
class ProgressLine {
  private phaseStart = performance.now();
  private phaseKey = "";
  private lastDraw = 0;

  update(event: ProgressEvent): void {
    const key = `${event.phase}:${event.epoch}`;
    const now = performance.now();
    if (key !== this.phaseKey) {
      this.phaseKey = key;
      this.phaseStart = now;
    }
    if (now - this.lastDraw < PROGRESS_INTERVAL_MS && event.done < event.total) return;
    this.lastDraw = now;
    const seconds = (now - this.phaseStart) / 1000;
    const rate = event.done / Math.max(seconds, 1e-3);
    const eta = rate > 0 ? (event.total - event.done) / rate : 0;
    const label = event.phase === "train" ? "training" : "validating";
    process.stderr.write(`\repoch ${event.epoch} ${label}: ${event.done}/${event.total} samples, ${Math.round(rate)} samples/s, ETA ${formatSeconds(eta)}   `);
  }

  epoch(metrics: EpochMetrics): void {
    this.clear();
    const agreement = metrics.moveAgreement === null ? "n/a" : `${(100 * metrics.moveAgreement).toFixed(1)}%`;
    process.stderr.write(
      `epoch ${metrics.epoch}: train loss ${metrics.trainLoss.toFixed(5)}, val loss ${metrics.valLoss.toFixed(5)} (floor ${metrics.valLossFloor.toFixed(5)}), ` +
        `move agreement ${agreement}, correlation ${metrics.scoreCorrelation?.toFixed(3) ?? "n/a"}, ${Math.round(metrics.samplesPerSecond)} samples/s\n`,
    );
  }

  clear(): void {
    process.stderr.write("\r\x1b[K");
  }
}

const PROGRESS_INTERVAL_MS = 250;

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}

function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number`);
  return value;
}

function parseInteger(text: string): number {
  const value = parseNumber(text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError(`"${text}" is not an integer`);
  return value;
}

function parseWidths(text: string): number[] {
  return text.split(",").map((part) => parseInteger(part.trim()));
}

function parseChoice<T extends string>(names: readonly T[]): (text: string) => T {
  return (text) => {
    if (!names.includes(text as T)) throw new InvalidArgumentError(`"${text}" is not one of ${names.join(", ")}`);
    return text as T;
  };
}

function parseSettings(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidArgumentError("expected a JSON object");
  return value as Record<string, unknown>;
}

const HELP_AFTER = `
Loss: cross entropy (nats per sample) of sigmoid(student / 600) against the target
(1 - lambda) * result + lambda * sigmoid(teacher / 600), where result is 1, 0.5 or 0 for a win, draw or
loss of the side to move. The metrics also give the loss of a perfect predictor (the target's entropy).

With --checkpoint-dir, a checkpoint is written after every epoch, and running the same command again
resumes from it and gives the same weights as an unbroken run. The model written to --out holds the
weights of the epoch with the lowest validation loss.`;

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("Train a student network on teacher data and write it as an ONNX model with its card")
    .requiredOption("--data <files...>", "training files: .bin (PackedSfenValue), .hcpe or .txt")
    .requiredOption("--val <file>", "validation file, never part of the training data")
    .requiredOption("--out <model.onnx>", "output model")
    .option("--arch <set>", `feature set: ${FEATURE_SET_NAMES.join(", ")}`, parseChoice(FEATURE_SET_NAMES), "halfkp")
    .option("--l1 <width>", "transformer outputs per perspective", parseInteger, 256)
    .option("--hidden <widths>", "hidden layer widths, comma-separated", parseWidths, [32, 32])
    .option("--lambda <weight>", "weight of the teacher score in the target, 0..1 (the rest goes to the game result)", parseNumber, TRAIN_DEFAULTS.lambda)
    .option("--optimizer <name>", `optimiser: ${OPTIMIZER_NAMES.join(", ")}`, parseChoice(OPTIMIZER_NAMES), TRAIN_DEFAULTS.optimizer)
    .option("--lr <rate>", "learning rate on the batch-mean loss (default 0.001 for adam, 0.1 for sgd)", parseNumber)
    .option("--momentum <factor>", "SGD momentum, 0..1", parseNumber, TRAIN_DEFAULTS.momentum)
    .option("--schedule <name>", `learning-rate schedule: ${SCHEDULE_NAMES.join(", ")}`, parseChoice(SCHEDULE_NAMES), TRAIN_DEFAULTS.schedule)
    .option("--lr-decay <factor>", "step schedule: factor applied every --lr-step-epochs epochs", parseNumber, TRAIN_DEFAULTS.lrDecay)
    .option("--lr-step-epochs <epochs>", "step schedule: epochs between decays", parseInteger, TRAIN_DEFAULTS.lrStepEpochs)
    .option("--warmup-steps <steps>", "optimiser steps of linear learning-rate warm-up", parseInteger, TRAIN_DEFAULTS.warmupSteps)
    .option("--batch <samples>", "samples per optimiser step", parseInteger, TRAIN_DEFAULTS.batch)
    .option("--epochs <count>", "passes over the training data", parseInteger, TRAIN_DEFAULTS.epochs)
    .option("--patience <epochs>", "stop after this many epochs without a lower validation loss (0: never)", parseInteger, TRAIN_DEFAULTS.patience)
    .option("--workers <count>", "worker threads (1 runs inline)", parseInteger, availableParallelism())
    .option("--seed <integer>", "seed of the initial weights and of the shuffling (0..4294967295)", parseInteger, TRAIN_DEFAULTS.seed)
    .option("--shuffle-buffer <records>", "records held in memory for shuffling (40 bytes each plus 13 of bookkeeping)", parseInteger, TRAIN_DEFAULTS.shuffleBuffer)
    .option("--checkpoint-dir <dir>", "write a checkpoint after each epoch here, and resume from it")
    .option("--metrics <file.jsonl>", "write one JSON line of metrics per epoch")
    .option("--no-move-agreement", "skip the 1-ply search that measures best-move agreement on the validation file")
    .option("--init <model>", "start from an .onnx model of the same architecture, or \"material\": the material evaluation (scaled to fit the data) with the other weights random and silent (default: random)")
    .option("--factorize", "also train shared rows per piece kind (and per BonaPiece for halfkp), merged into the exported weights, so piece values are learnt from every square at once", false)
    .option("--teacher-name <name>", "teacher engine for the model card (default: from a gensfen progress file beside the data)")
    .option("--teacher-settings <json>", "teacher settings for the model card, as a JSON object", parseSettings)
    .option("--description <text>", "description stored in the model card")
    .option("--notes <text>", "notes stored in the model card's provenance, such as the commands that made the data")
    .option("--json", "print one JSON summary and no progress", false)
    .addHelpText("after", HELP_AFTER)
    .action(async (options: TrainCommandOptions) => {
      const result = await runTrain(options, !options.json && process.stderr.isTTY === true);
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`wrote ${result.out} (best epoch ${result.best.epoch}, val loss ${result.best.valLoss.toFixed(5)})\n`);
    });
}
