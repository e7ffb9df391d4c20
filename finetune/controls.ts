// Controls that tell a real effect of fine-tuning from a bias built into the set-up:
//
//   positive  A base trained on a small share of one epoch of teacher data (under-trained) is
//             fine-tuned on the rest of that data, fresh positions from the same teacher. Its
//             validation loss must fall; if it does not, the fine-tuning path cannot learn.
//   negative  The base is fine-tuned on data whose labels (score and result) are shuffled across
//             positions. Its validation loss must rise; if it does not, the measurement cannot see
//             damage.
//
// Both are judged on the same validation file, with the same lambda.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { evaluateLoss, exportModel, readTeacherSidecar, trainModel } from "../distill/trainer.js";
import { readModelFile } from "../nn/onnx-reader.js";
import { countRecords, writeShuffledLabels, writeSlice } from "./data-tools.js";
import type { ModeSettings } from "./modes.js";
import { FINETUNE_DEFAULTS, baseLambda, runFinetune } from "./run.js";

export interface ControlOptions {
  /** The base model; the negative control fine-tunes it. Its architecture is also the under-trained base's. */
  base: string;
  /** Validation file of the base's domain; both controls are judged by the loss on it. */
  val: string;
  /** Teacher data of the base's teacher: the under-trained base learns from its first records, the positive control from the rest. */
  teacherData: string[];
  /** Data whose labels the negative control shuffles; default teacherData. */
  shuffleData?: string[];
  /** Folder for the derived data files and the control models. */
  workDir: string;
  /** Share of the teacher data's records that the under-trained base is trained on, in one pass; default 0.05. */
  underTrainedShare?: number;
  /** Fine-tuning settings of both controls; default full mode, lr 1e-3, 4 epochs. */
  mode?: ModeSettings;
  lr?: number;
  epochs?: number;
  /** Default: the base's training lambda. */
  lambda?: number;
  batch?: number;
  seed?: number;
  workers?: number;
}

export interface ControlOutcome {
  model: string;
  /** Validation loss before and after fine-tuning (nats per sample). */
  valBefore: number;
  valAfter: number;
  expected: "decrease" | "increase";
  /** Whether the loss moved in the expected direction. */
  passed: boolean;
}

export interface ControlsResult {
  positive: ControlOutcome & { underTrainedRecords: number; freshRecords: number };
  negative: ControlOutcome & { shuffledRecords: number };
}

export const CONTROL_DEFAULTS = { underTrainedShare: 0.05, lr: 1e-3, epochs: 4, mode: { mode: "full" } as ModeSettings };

/** Runs both controls; throws the trainer's errors. */
export async function runControls(options: ControlOptions): Promise<ControlsResult> {
  mkdirSync(options.workDir, { recursive: true });
  const positive = await positiveControl(options);
  const negative = await negativeControl(options);
  return { positive, negative };
}

function finetuneSettings(options: ControlOptions, lambda: number) {
  return {
    ...(options.mode ?? CONTROL_DEFAULTS.mode), val: options.val, lr: options.lr ?? CONTROL_DEFAULTS.lr,
    epochs: options.epochs ?? CONTROL_DEFAULTS.epochs, lambda, batch: options.batch ?? FINETUNE_DEFAULTS.batch,
    seed: options.seed, workers: options.workers,
  };
}

async function positiveControl(options: ControlOptions): Promise<ControlsResult["positive"]> {
  const base = readModelFile(options.base);
  const lambda = options.lambda ?? baseLambda(base.card);
  const total = await countRecords(options.teacherData);
  const share = options.underTrainedShare ?? CONTROL_DEFAULTS.underTrainedShare;
  const cut = Math.max(1, Math.min(total - 1, Math.round(share * total)));
  const early = path.join(options.workDir, "under-trained-data.bin");
  const fresh = path.join(options.workDir, "fresh-data.bin");
  await writeSlice(options.teacherData, 0, cut, early);
  await writeSlice(options.teacherData, cut, total, fresh);

  const trained = await trainModel({
    data: [early], val: options.val, architecture: base.card.architecture, epochs: 1, lambda, lr: options.lr ?? CONTROL_DEFAULTS.lr,
    batch: options.batch ?? FINETUNE_DEFAULTS.batch, seed: options.seed, workers: options.workers, moveAgreement: false,
  });
  const underTrained = path.join(options.workDir, "under-trained.onnx");
  exportModel(underTrained, trained, { teacher: readTeacherSidecar(options.teacherData), description: `Under-trained base: one pass over ${cut} of ${total} records` });
  const valBefore = (await evaluateLoss(trained.weights, options.val, lambda, { workers: options.workers })).loss;
  const model = path.join(options.workDir, "positive-control.onnx");
  const tuned = await runFinetune({ ...finetuneSettings(options, lambda), base: underTrained, data: [fresh], out: model });
  const valAfter = tuned.measurements.heldout.loss;
  return { model, valBefore, valAfter, expected: "decrease", passed: valAfter < valBefore, underTrainedRecords: cut, freshRecords: total - cut };
}

async function negativeControl(options: ControlOptions): Promise<ControlsResult["negative"]> {
  const base = readModelFile(options.base);
  const lambda = options.lambda ?? baseLambda(base.card);
  const shuffled = path.join(options.workDir, "shuffled-labels.bin");
  const shuffledRecords = await writeShuffledLabels(options.shuffleData ?? options.teacherData, shuffled, options.seed ?? 1);
  const valBefore = (await evaluateLoss(base.weights, options.val, lambda, { workers: options.workers })).loss;
  const model = path.join(options.workDir, "negative-control.onnx");
  const tuned = await runFinetune({ ...finetuneSettings(options, lambda), base: options.base, data: [shuffled], out: model });
  const valAfter = tuned.measurements.heldout.loss;
  return { model, valBefore, valAfter, expected: "increase", passed: valAfter > valBefore, shuffledRecords };
}
