// `shogi-lab experiment`: one run into `runs/NAME/`. Stages: the fine-tuning sweep, the controls,
// the surroundings arm (an opening book for the unchanged base), an arena of every variant against
// the base at each node budget with anchor engines, then `run-data.json`, `summary.json` and the
// report. A rerun skips what is done; the trainer and the arena resume inside a stage.

import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { buildBook } from "../finetune/book-builder.js";
import { readModelFile } from "../nn/onnx-reader.js";
import { buildReport } from "../reports/build.js";
import {
  type BudgetResolution, type Control, type CurvePoint, type GameEntry, type PoolTable, type RunData, type Variant,
  RUN_DATA_VERSION, deriveVerdict, verdictThresholdsFor, writeRunData,
} from "../reports/run-data.js";
import { type ArenaPlayer, BASE_PLAYER, type BudgetOutcome, runBudgetArena } from "./arena-stage.js";
import { runControls } from "./controls-stage.js";
import { type ExperimentPlan, type ProfileName, loadExperimentPlan } from "./plan.js";
import { RunFolder, machineInfo } from "./run-folder.js";
import { type TrainedVariant, baseMeasurements, sweepCells, trainCell } from "./variants-stage.js";

export interface ExperimentOptions {
  profile: ProfileName;
  planFile?: string;
  runName: string;
  /** Folder that contains `runs/`, and against which the shipped paths resolve. */
  projectRoot: string;
  onProgress?: (line: string) => void;
}

export interface ExperimentResult {
  runDir: string;
  report: string;
  data: RunData;
}

/** The run's copy of the base model, relative to the run folder. */
const BASE_COPY = "base.onnx";
/** A variant that changes only the surroundings: the base model with an opening book. */
const BOOK_VARIANT_PREFIX = "book";

export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const plan = loadExperimentPlan(options.profile, options.planFile, options.projectRoot);
  const run = new RunFolder(path.join(options.projectRoot, "runs", options.runName));
  run.writeJson("plan.json", plan);
  // The run keeps its own copy of the base, so the report's model paths stay inside the run folder.
  copyFileSync(plan.baseModel, run.path(BASE_COPY));
  const say = options.onProgress ?? (() => {});

  const trained = await trainVariants(run, plan, say);
  const controls = await runControls(run, plan, say);
  const book = await bookVariant(run, plan, say);
  const players = [...trained.map((entry) => playerOf(run, entry.variant.name, entry.variant.file)), ...(book ? [book.player] : [])];
  const outcomes: BudgetOutcome[] = [];
  for (const budget of plan.arena.budgets) {
    say(`arena at ${budget.nodes} nodes per move (${budget.name})`);
    outcomes.push(await runBudgetArena(run.dir, plan, budget, playerOf(run, BASE_PLAYER, BASE_COPY), players, say));
  }
  run.markDone("arena");

  const data = assembleRunData(run, plan, options, trained, book?.variant, controls, outcomes);
  writeRunData(run.dir, data);
  run.writeJson("summary.json", summaryOf(data));
  const built = buildReport(run.dir);
  run.markDone("report");
  return { runDir: run.dir, report: built.page, data };
}

async function trainVariants(run: RunFolder, plan: ExperimentPlan, say: (line: string) => void): Promise<TrainedVariant[]> {
  const cells = sweepCells(plan);
  const trained: TrainedVariant[] = [];
  for (const [index, cell] of cells.entries()) {
    say(`fine-tuning ${index + 1}/${cells.length}: ${cell.name}`);
    trained.push(await trainCell(run, plan, cell, await baseMeasurements(run, plan, cell.source)));
  }
  run.markDone("variants");
  return trained;
}

async function bookVariant(run: RunFolder, plan: ExperimentPlan, say: (line: string) => void): Promise<{ player: ArenaPlayer; variant: Omit<Variant, "results" | "verdict"> } | undefined> {
  const source = plan.sources.find((entry) => entry.name === plan.bookSource);
  if (!source) return undefined;
  const name = `${BOOK_VARIANT_PREFIX}-${source.name}`;
  const out = run.path("book", `${source.name}.json`);
  say(`building the opening book from ${source.name}`);
  mkdirSync(path.dirname(out), { recursive: true });
  await buildBook({ data: [source.train], out });
  const base = readModelFile(plan.baseModel);
  return {
    player: { name, model: plan.baseModel, options: { BookFile: out, USI_OwnBook: true } },
    variant: {
      name, file: BASE_COPY, card: base.card, mode: "surroundings", dataSource: source.name,
      description: `the unchanged base with an opening book built from ${source.name}`, weightDistance: [],
    },
  };
}

function playerOf(run: RunFolder, name: string, file: string): ArenaPlayer {
  return { name, model: path.resolve(run.dir, file) };
}

function assembleRunData(
  run: RunFolder, plan: ExperimentPlan, options: ExperimentOptions, trained: TrainedVariant[],
  book: Omit<Variant, "results" | "verdict"> | undefined, controls: Control[], outcomes: BudgetOutcome[],
): RunData {
  const thresholds = verdictThresholdsFor(plan.arena.budgets);
  const partial = [...trained.map((entry) => entry.variant), ...(book ? [book] : [])];
  const variants: Variant[] = partial.map((variant) => {
    const results = outcomes.flatMap((outcome) => outcome.results.get(variant.name) ?? []);
    return { ...variant, results, verdict: deriveVerdict({ ...variant, results }, thresholds) };
  });
  const now = new Date().toISOString();
  return {
    version: RUN_DATA_VERSION,
    run: {
      name: options.runName, profile: plan.profile, plan: plan as unknown as Record<string, unknown>, startedAt: run.state.startedAt,
      updatedAt: now, finishedAt: now, machine: machineInfo(), budgets: plan.arena.budgets,
    },
    base: { name: BASE_PLAYER, file: BASE_COPY, card: readModelFile(plan.baseModel).card },
    variants,
    controls,
    curves: trained.flatMap((entry) => entry.curve) satisfies CurvePoint[],
    pool: outcomes.flatMap((outcome) => outcome.pool ?? []) satisfies PoolTable[],
    games: outcomes.flatMap((outcome) => outcome.games) satisfies GameEntry[],
    resolution: outcomes.map((outcome) => resolutionOf(outcome, variants)),
    verdictThresholds: thresholds,
  };
}

/** Returns the widest interval half-width among the variants at a budget: the smallest difference every variant can resolve. */
function resolutionOf(outcome: BudgetOutcome, variants: Variant[]): BudgetResolution {
  const results = variants.flatMap((variant) => variant.results.filter((result) => result.budget === outcome.budget.name));
  const halfWidths = results.map((result) => (result.eloUpper - result.eloLower) / 2);
  return {
    budget: outcome.budget.name,
    eloHalfWidth: halfWidths.length > 0 ? Math.max(...halfWidths) : 0,
    gamesPerVariant: results.length > 0 ? Math.min(...results.map((result) => result.games)) : 0,
  };
}

/** Returns the headline numbers of a run: every variant with its settings, Elo per budget, loss changes and verdict. */
export function summaryOf(data: RunData): Record<string, unknown> {
  return {
    run: data.run.name,
    profile: data.run.profile,
    resolution: data.resolution,
    variants: data.variants.map((variant) => ({
      name: variant.name, mode: variant.mode, dataSource: variant.dataSource, learningRate: variant.learningRate,
      epochs: variant.epochs, loraRank: variant.loraRank,
      elo: Object.fromEntries(variant.results.map((result) => [result.budget, { elo: result.elo, lower: result.eloLower, upper: result.eloUpper, games: result.games }])),
      generalValidationLossChange: variant.losses ? variant.losses.generalValidation.after - variant.losses.generalValidation.before : null,
      heldOutLossChange: variant.losses ? variant.losses.heldOut.after - variant.losses.heldOut.before : null,
      verdict: variant.verdict.verdict,
      evidence: variant.verdict.evidence.text,
    })),
    controls: data.controls.map((control) => ({ name: control.name, kind: control.kind, passed: control.passed, validationLoss: control.validationLoss })),
  };
}
