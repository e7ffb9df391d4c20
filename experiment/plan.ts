// The experiment plan: what one run of `shogi-lab experiment` does, with three built-in profiles.
// A plan file (JSON) overrides fields of the chosen profile; paths in it resolve against its folder.

import { readFileSync } from "node:fs";
import path from "node:path";
import type { NodeBudget } from "../reports/run-data.js";

export type ProfileName = "quick" | "standard" | "full";
export const PROFILE_NAMES: readonly ProfileName[] = ["quick", "standard", "full"];
export type TrainedMode = "full" | "lora" | "head";

/** Fine-tuning data of one domain: the part trained on and a held-out part of the same domain. */
export interface DataSource {
  name: string;
  train: string;
  heldOut: string;
  /** Weight of the teacher's score against the game result in the target; 0 learns from results only. */
  lambda: number;
}

export interface ExperimentPlan {
  profile: ProfileName;
  /** Model every variant starts from. */
  baseModel: string;
  /** The general validation set the base was distilled for. */
  generalValidation: string;
  sources: DataSource[];
  sweep: {
    modes: TrainedMode[];
    learningRates: number[];
    epochs: number[];
    loraRank: number;
  };
  /** Run the positive and negative controls. */
  controls: boolean;
  /** Teacher data of the base's teacher, split by the positive control into an under-trained base and fresh data. */
  controlData: string;
  /** Fine-tuning epochs of each control. */
  controlEpochs: number;
  /** Source whose positions build the opening book of the surroundings arm; no book when absent. */
  bookSource?: string;
  arena: {
    budgets: NodeBudget[];
    /** Colour-swapped game pairs of each variant against the base, per budget. */
    pairsPerVariant: number;
    concurrency: number;
    maxPlies: number;
    /** Reference engines that join each budget's arena against the base, with a fixed Elo. */
    anchors: Array<{ name: string; profile: "fsf-wasm" | "fsf" | "gpsusi"; elo: number; pairs: number }>;
  };
  seed: number;
}

const QUICK: ExperimentPlan = {
  profile: "quick",
  baseModel: "models/base.onnx",
  generalValidation: "datasets/base/validation.bin",
  sources: [{ name: "ranging-rook", train: "datasets/ranging-rook/finetune.bin", heldOut: "datasets/ranging-rook/heldout.bin", lambda: 0.5 }],
  sweep: { modes: ["full", "lora", "head"], learningRates: [1e-3], epochs: [1], loraRank: 4 },
  controls: true,
  controlData: "datasets/general/train.bin",
  controlEpochs: 2,
  bookSource: "ranging-rook",
  arena: {
    budgets: [{ name: "short", nodes: 300 }, { name: "long", nodes: 1200 }],
    pairsPerVariant: 1, concurrency: 2, maxPlies: 160,
    anchors: [{ name: "fsf-wasm", profile: "fsf-wasm", elo: 0, pairs: 1 }],
  },
  seed: 1,
};

const STANDARD: ExperimentPlan = {
  ...QUICK,
  profile: "standard",
  sources: [
    ...QUICK.sources,
    { name: "game-records", train: "datasets/records/finetune.bin", heldOut: "datasets/records/heldout.bin", lambda: 0 },
    { name: "gpsusi-labels", train: "datasets/gpsusi/finetune.bin", heldOut: "datasets/gpsusi/heldout.bin", lambda: 0.5 },
  ],
  sweep: { modes: ["full", "lora", "head"], learningRates: [1e-4, 1e-3, 1e-2], epochs: [1, 4], loraRank: 8 },
  arena: { ...QUICK.arena, budgets: [{ name: "short", nodes: 500 }, { name: "long", nodes: 4000 }], pairsPerVariant: 4, maxPlies: 256 },
};

const FULL: ExperimentPlan = {
  ...STANDARD,
  profile: "full",
  sweep: { modes: ["full", "lora", "head"], learningRates: [1e-5, 1e-4, 1e-3, 1e-2], epochs: [1, 4, 16], loraRank: 16 },
  arena: {
    ...STANDARD.arena,
    budgets: [{ name: "short", nodes: 2000 }, { name: "long", nodes: 32000 }],
    pairsPerVariant: 50, concurrency: 8,
    anchors: [{ name: "fsf-wasm", profile: "fsf-wasm", elo: 0, pairs: 20 }, { name: "gpsusi", profile: "gpsusi", elo: 400, pairs: 20 }],
  },
};

export const PROFILES: Readonly<Record<ProfileName, ExperimentPlan>> = { quick: QUICK, standard: STANDARD, full: FULL };

/** Resolves the plan of a run: the profile's plan, overridden by a plan file when given. */
export function loadExperimentPlan(profile: ProfileName, planFile: string | undefined, projectRoot: string): ExperimentPlan {
  const plan = structuredClone(PROFILES[profile]);
  const resolved = resolvePaths(plan, projectRoot);
  if (!planFile) return resolved;
  let overrides: Partial<ExperimentPlan>;
  try {
    overrides = JSON.parse(readFileSync(planFile, "utf8")) as Partial<ExperimentPlan>;
  } catch (error) {
    throw new Error(`cannot read the experiment plan ${planFile}: ${(error as Error).message}`);
  }
  return resolvePaths({ ...resolved, ...overrides, profile }, path.dirname(path.resolve(planFile)));
}

function resolvePaths(plan: ExperimentPlan, baseDir: string): ExperimentPlan {
  const at = (file: string): string => path.resolve(baseDir, file);
  return {
    ...plan,
    baseModel: at(plan.baseModel),
    generalValidation: at(plan.generalValidation),
    controlData: at(plan.controlData),
    sources: plan.sources.map((source) => ({ ...source, train: at(source.train), heldOut: at(source.heldOut) })),
  };
}
