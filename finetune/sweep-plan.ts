// The plan of a fine-tuning sweep: a base model (a file, or settings to train one), the data
// sources, and the grid mode x learning rate x epochs run on every source. Plans are JSON files;
// relative paths in them resolve against the plan file's folder.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type KeepWeights, KEEP_WEIGHTS, OPTIMIZER_NAMES, type OptimizerName } from "../distill/trainer.js";
import { FEATURE_SET_NAMES, type FeatureSetName, isFeatureSetName } from "../nn/features.js";
import type { TeacherInfo } from "../nn/model-card.js";
import { FINETUNE_MODES, type ModeSettings } from "./modes.js";
import { FINETUNE_DEFAULTS } from "./run.js";

/** Settings of a base trained by the sweep itself, as `shogi-lab train` takes them. */
export interface BaseTraining {
  data: string[];
  val: string;
  featureSet: FeatureSetName;
  l1: number;
  hidden: number[];
  epochs: number;
  lr: number;
  lambda: number;
  batch: number;
  seed: number;
}

export interface SweepSource {
  /** Short name used in cell ids and file names. */
  name: string;
  data: string[];
  /** Held-out part of the same domain. */
  heldout: string;
  /** Lambda of this source; 0 for data labelled by game results only. Default: the base's training lambda. */
  lambda?: number;
  /** Teacher of the labels for the model cards, when the data has no gensfen progress file. */
  teacher?: TeacherInfo;
}

/** An engine-settings variant of the unchanged base, listed beside the fine-tuned variants. */
export interface SearchVariant {
  name: string;
  /** USI options, such as { "DepthLimit": 8 }. */
  options: Record<string, string | number | boolean>;
}

export interface SweepPlan {
  name: string;
  /** A model file, or the settings of a base the sweep trains first. */
  base: string | BaseTraining;
  /** The base's general validation file. */
  generalVal: string;
  /** Lambda of the general-set loss; default: the base's training lambda. */
  generalLambda?: number;
  sources: SweepSource[];
  modes: ModeSettings[];
  learningRates: number[];
  epochs: number[];
  optimizer: OptimizerName;
  batch: number;
  seed: number;
  workers: number;
  keepWeights: KeepWeights;
  /** Book of the surroundings arm: positions up to this ply; 0 for no book. */
  bookMaxPly: number;
  searchVariants: SearchVariant[];
  /** Output folder; default runs/<name> in the current directory. */
  out: string;
}

/** A plan as written in JSON: everything after `name`, `base`, `generalVal` and `sources` has defaults. */
export type SweepPlanInput = Partial<SweepPlan> & Pick<SweepPlan, "name" | "base" | "generalVal" | "sources">;

export const SWEEP_DEFAULTS = {
  modes: [{ mode: "full" }, { mode: "lora" }, { mode: "head" }] as ModeSettings[],
  learningRates: [1e-5, 1e-4, 1e-3, 1e-2],
  epochs: [1, 4, 16],
  bookMaxPly: 60,
};

/** An invalid plan; the message names the field. */
export class SweepPlanError extends Error {
  constructor(readonly field: string, message: string) {
    super(`invalid sweep plan: ${field}: ${message}`);
    this.name = "SweepPlanError";
  }
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const UINT32_MAX = 0xffffffff;

function requireString(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new SweepPlanError(field, `expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function requireName(field: string, value: unknown): string {
  const name = requireString(field, value);
  if (!NAME_PATTERN.test(name)) throw new SweepPlanError(field, `"${name}" must be letters, digits, '.', '_' or '-', starting with a letter or digit`);
  return name;
}

function requireNumbers(field: string, value: unknown, check: (n: number) => boolean, expected: string): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((n) => typeof n === "number" && check(n))) {
    throw new SweepPlanError(field, `expected a non-empty list of ${expected}, got ${JSON.stringify(value)}`);
  }
  return [...(value as number[])];
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new SweepPlanError(field, `expected a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function seedValue(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new SweepPlanError(field, `expected an integer from 0 to ${UINT32_MAX}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function lambdaValue(field: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new SweepPlanError(field, `expected a number from 0 to 1, got ${JSON.stringify(value)}`);
  return value;
}

/** Checks a parsed plan, fills in defaults and resolves relative paths against `folder`. */
export function parseSweepPlan(value: unknown, folder: string): SweepPlan {
  if (typeof value !== "object" || value === null) throw new SweepPlanError("plan", "expected a JSON object");
  const input = value as SweepPlanInput;
  const resolve = (file: string) => path.resolve(folder, file);
  const name = requireName("name", input.name);
  const sources = parseSources(input.sources, resolve);

  const modes = input.modes ?? SWEEP_DEFAULTS.modes;
  if (!Array.isArray(modes) || modes.length === 0 || !modes.every((m) => FINETUNE_MODES.includes(m?.mode))) {
    throw new SweepPlanError("modes", `expected a non-empty list of {"mode": ${FINETUNE_MODES.map((m) => `"${m}"`).join(" | ")}, ...}`);
  }
  const optimizer = input.optimizer ?? "adam";
  if (!OPTIMIZER_NAMES.includes(optimizer)) throw new SweepPlanError("optimizer", `expected one of ${OPTIMIZER_NAMES.join(", ")}`);
  const keepWeights = input.keepWeights ?? FINETUNE_DEFAULTS.keepWeights;
  if (!KEEP_WEIGHTS.includes(keepWeights)) throw new SweepPlanError("keepWeights", `expected one of ${KEEP_WEIGHTS.join(", ")}`);

  return {
    name,
    base: parseBase(input.base, resolve),
    generalVal: resolve(requireString("generalVal", input.generalVal)),
    generalLambda: input.generalLambda === undefined ? undefined : lambdaValue("generalLambda", input.generalLambda),
    sources,
    modes: modes.map((m) => ({ ...m })),
    learningRates: requireNumbers("learningRates", input.learningRates ?? SWEEP_DEFAULTS.learningRates, (n) => n > 0 && n <= 10, "learning rates in (0, 10]"),
    epochs: requireNumbers("epochs", input.epochs ?? SWEEP_DEFAULTS.epochs, (n) => Number.isInteger(n) && n >= 1, "positive integers"),
    optimizer,
    batch: positiveInteger("batch", input.batch ?? FINETUNE_DEFAULTS.batch),
    seed: seedValue("seed", input.seed ?? 1),
    workers: positiveInteger("workers", input.workers ?? 1),
    keepWeights,
    bookMaxPly: input.bookMaxPly ?? SWEEP_DEFAULTS.bookMaxPly,
    searchVariants: parseSearchVariants(input.searchVariants ?? []),
    out: path.resolve(input.out ? resolve(input.out) : path.join("runs", name)),
  };
}

function parseSources(value: unknown, resolve: (file: string) => string): SweepSource[] {
  if (!Array.isArray(value) || value.length === 0) throw new SweepPlanError("sources", "expected a non-empty list of {name, data, heldout, lambda?, teacher?}");
  const sources = value.map((entry: Partial<SweepSource>, i) => {
    const field = `sources[${i}]`;
    const data = entry?.data;
    if (!Array.isArray(data) || data.length === 0) throw new SweepPlanError(`${field}.data`, "expected a non-empty list of files");
    const source: SweepSource = {
      name: requireName(`${field}.name`, entry.name),
      data: data.map((file, j) => resolve(requireString(`${field}.data[${j}]`, file))),
      heldout: resolve(requireString(`${field}.heldout`, entry.heldout)),
    };
    if (entry.lambda !== undefined) source.lambda = lambdaValue(`${field}.lambda`, entry.lambda);
    if (entry.teacher !== undefined) {
      if (typeof entry.teacher?.engine !== "string") throw new SweepPlanError(`${field}.teacher`, "expected {engine, settings?}");
      source.teacher = { ...entry.teacher };
    }
    return source;
  });
  const names = sources.map((source) => source.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new SweepPlanError("sources", `the name "${repeated}" is used twice`);
  return sources;
}

function parseBase(value: unknown, resolve: (file: string) => string): string | BaseTraining {
  if (typeof value === "string") return resolve(requireString("base", value));
  const base = value as Partial<BaseTraining> | null;
  if (typeof base !== "object" || base === null) throw new SweepPlanError("base", "expected a model file or an object of training settings");
  if (!Array.isArray(base.data) || base.data.length === 0) throw new SweepPlanError("base.data", "expected a non-empty list of files");
  return {
    data: base.data.map((file, j) => resolve(requireString(`base.data[${j}]`, file))),
    val: resolve(requireString("base.val", base.val)),
    featureSet: featureSetName(base.featureSet ?? "p"),
    l1: positiveInteger("base.l1", base.l1 ?? 64),
    hidden: requireNumbers("base.hidden", base.hidden ?? [16, 16], (n) => Number.isInteger(n) && n >= 1, "positive integers"),
    epochs: positiveInteger("base.epochs", base.epochs ?? 20),
    lr: requireNumbers("base.lr", [base.lr ?? 1e-3], (n) => n > 0, "a positive number")[0],
    lambda: lambdaValue("base.lambda", base.lambda ?? 0.5),
    batch: positiveInteger("base.batch", base.batch ?? FINETUNE_DEFAULTS.batch),
    seed: seedValue("base.seed", base.seed ?? 1),
  };
}

function featureSetName(value: unknown): BaseTraining["featureSet"] {
  if (!isFeatureSetName(String(value))) throw new SweepPlanError("base.featureSet", `expected one of ${FEATURE_SET_NAMES.join(", ")}, got ${JSON.stringify(value)}`);
  return value as BaseTraining["featureSet"];
}

function parseSearchVariants(value: unknown): SearchVariant[] {
  if (!Array.isArray(value)) throw new SweepPlanError("searchVariants", "expected a list of {name, options}");
  return value.map((entry: Partial<SearchVariant>, i) => {
    const options = entry?.options;
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new SweepPlanError(`searchVariants[${i}].options`, "expected an object of USI option values");
    }
    return { name: requireName(`searchVariants[${i}].name`, entry.name), options: { ...options } };
  });
}

/** Reads and checks a plan file; throws SweepPlanError or a file-system error. */
export function loadSweepPlan(file: string): SweepPlan {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new SweepPlanError("plan", `${file} is not valid JSON (${error.message})`);
    throw error;
  }
  return parseSweepPlan(value, path.dirname(path.resolve(file)));
}
