// The variants stage: one fine-tuning run per cell of mode x learning rate x epochs x data source,
// each measured on its own data, its held-out part and the base's general validation set. A cell
// whose result file exists is skipped, so a rerun continues the sweep.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type FinetuneResult, runFinetune } from "../finetune/run.js";
import { type Measurements, type SetMetrics, measureWeights } from "../finetune/measure.js";
import { readModelFile } from "../nn/onnx-reader.js";
import type { CurvePoint, Variant } from "../reports/run-data.js";
import type { DataSource, ExperimentPlan, TrainedMode } from "./plan.js";
import type { RunFolder } from "./run-folder.js";

export interface Cell {
  name: string;
  mode: TrainedMode;
  learningRate: number;
  epochs: number;
  source: DataSource;
}

/** A finished cell: the variant's report data without arena results, and its loss curve. */
export interface TrainedVariant {
  variant: Omit<Variant, "results" | "verdict">;
  curve: CurvePoint[];
}

/** Lists the cells of the sweep in a fixed order. */
export function sweepCells(plan: ExperimentPlan): Cell[] {
  const cells: Cell[] = [];
  for (const source of plan.sources) {
    for (const mode of plan.sweep.modes) {
      for (const learningRate of plan.sweep.learningRates) {
        for (const epochs of plan.sweep.epochs) {
          cells.push({ name: `${mode}-${source.name}-lr${learningRate}-e${epochs}`, mode, learningRate, epochs, source });
        }
      }
    }
  }
  return cells;
}

/** Measures the base's losses on a source's sets and the general set, once per source, and caches them. */
export async function baseMeasurements(run: RunFolder, plan: ExperimentPlan, source: DataSource): Promise<Measurements> {
  const file = `measurements/base-${source.name}.json`;
  const cached = run.readJson<Measurements>(file);
  if (cached) return cached;
  const base = readModelFile(plan.baseModel);
  const measured = await measureWeights(base.weights, {
    data: [source.train], heldout: source.heldOut, lambda: source.lambda, general: plan.generalValidation, generalLambda: generalLambda(plan),
  });
  run.writeJson(file, measured);
  return measured;
}

/** Lambda of the general validation set: the base's training lambda from its card, else one half. */
export function generalLambda(plan: ExperimentPlan): number {
  const lambda = readModelFile(plan.baseModel).card.provenance.training?.lambda;
  return typeof lambda === "number" ? lambda : 0.5;
}

/** Trains (or reads back) one cell and returns its report data. */
export async function trainCell(run: RunFolder, plan: ExperimentPlan, cell: Cell, before: Measurements): Promise<TrainedVariant> {
  const resultFile = `variants/${cell.name}.json`;
  let result = run.readJson<FinetuneResult>(resultFile);
  if (!result || !existsSync(result.out)) {
    mkdirSync(run.path("variants"), { recursive: true });
    result = await runFinetune({
      base: plan.baseModel, data: [cell.source.train], val: cell.source.heldOut, out: run.path("variants", `${cell.name}.onnx`),
      mode: cell.mode, rank: cell.mode === "lora" ? plan.sweep.loraRank : undefined, lr: cell.learningRate, epochs: cell.epochs,
      lambda: cell.source.lambda, generalVal: plan.generalValidation, generalLambda: generalLambda(plan), seed: plan.seed,
      workers: 1, checkpointDir: run.path("checkpoints", cell.name),
    });
    run.writeJson(resultFile, result);
  }
  return { variant: variantOf(run, cell, result, before), curve: curveOf(cell.name, result, before) };
}

function variantOf(run: RunFolder, cell: Cell, result: FinetuneResult, before: Measurements): TrainedVariant["variant"] {
  const card = readModelFile(result.out).card;
  const after = result.measurements;
  return {
    name: cell.name, file: path.relative(run.dir, result.out), card, mode: cell.mode, dataSource: cell.source.name,
    learningRate: cell.learningRate, epochs: cell.epochs, loraRank: cell.mode === "lora" ? numberSetting(result, "rank") : undefined,
    losses: {
      fineTuning: { before: before.finetune.loss, after: after.finetune.loss },
      heldOut: { before: before.heldout.loss, after: after.heldout.loss },
      generalValidation: { before: general(before).loss, after: general(after).loss },
    },
    generalSet: { moveAgreement: general(after).moveAgreement ?? 0, scoreCorrelation: general(after).scoreCorrelation ?? 0 },
    weightDistance: result.distance.map((entry) => ({ layer: entry.tensor, relativeL2: entry.relative ?? 0 })),
  };
}

function general(measurements: Measurements): SetMetrics {
  if (!measurements.general) throw new Error("the general validation set was not measured");
  return measurements.general;
}

function numberSetting(result: FinetuneResult, key: string): number | undefined {
  const value = result.settings[key];
  return typeof value === "number" ? value : undefined;
}

/** Epoch 0 is the base; the general loss is measured at the base and at the last epoch only. */
function curveOf(name: string, result: FinetuneResult, before: Measurements): CurvePoint[] {
  const points: CurvePoint[] = [{
    variant: name, epoch: 0, trainingLoss: before.finetune.loss, heldOutLoss: before.heldout.loss, generalValidationLoss: general(before).loss,
  }];
  result.history.forEach((metrics, i) => points.push({
    variant: name, epoch: metrics.epoch, trainingLoss: metrics.trainLoss, heldOutLoss: metrics.valLoss,
    generalValidationLoss: i === result.history.length - 1 ? general(result.measurements).loss : null,
  }));
  return points;
}

/** Reads a JSON file; used for plan overrides and cached results. */
export function readJsonFile<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
