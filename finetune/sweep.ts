// A fine-tuning sweep: every cell of source x mode x learning rate x epochs fine-tunes the base
// into one model, and each finished cell appends one JSON line of measurements to
// OUT/results.jsonl. Lines of the base itself (per source) and of the surroundings arm (a book per
// source, engine-settings variants) sit in the same file. A rerun skips every line already there,
// and a cell cut off mid-run resumes from its trainer checkpoint.

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type EpochMetrics, exportModel, readTeacherSidecar, trainModel } from "../distill/trainer.js";
import { readModelFile } from "../nn/onnx-reader.js";
import { type BookSummary, buildBook } from "./book-builder.js";
import { type BookCoverage, bookCoverage } from "./book-coverage.js";
import { type Measurements, type TensorDistance, measureWeights } from "./measure.js";
import type { ModeSettings } from "./modes.js";
import { baseLambda, runFinetune } from "./run.js";
import type { BaseTraining, SweepPlan, SweepSource } from "./sweep-plan.js";

export const RESULTS_FILE = "results.jsonl";

interface LineCommon {
  /** Unique id of the line in the results file; a rerun skips ids already present. */
  id: string;
  /** Content hash of the base model every line of the file refers to. */
  baseHash: string;
}

export interface BaseLine extends LineCommon {
  kind: "base";
  source: string;
  model: string;
  measurements: Measurements;
}

export interface VariantLine extends LineCommon {
  kind: "variant";
  source: string;
  mode: ModeSettings;
  lr: number;
  epochs: number;
  /** Lambda of the fine-tuning loss and of the fine-tuning and held-out measurements. */
  lambda: number;
  model: string;
  contentHash: string;
  measurements: Measurements;
  distance: TensorDistance[];
  /** Per-epoch metrics: training loss and held-out loss of every epoch. */
  curves: EpochMetrics[];
  seconds: number;
}

export interface SurroundingsLine extends LineCommon {
  kind: "surroundings";
  variant: "book" | "search";
  name: string;
  /** The unchanged base model the variant plays with. */
  model: string;
  /** USI options that make the variant. */
  engineOptions: Record<string, string | number | boolean>;
  source?: string;
  book?: BookSummary;
  coverage?: BookCoverage;
}

export type SweepLine = BaseLine | VariantLine | SurroundingsLine;

export interface SweepProgress {
  /** Lines done (run now or found in the results file) and the total in the plan. */
  done: number;
  total: number;
  id: string;
  skipped: boolean;
  line: SweepLine;
  /** Estimated seconds left, from the cells run so far weighted by their epochs. */
  etaSeconds: number | null;
}

export interface SweepHooks {
  onProgress?(progress: SweepProgress): void;
  onEpoch?(id: string, metrics: EpochMetrics): void;
  /** Checked between lines: when aborted, the sweep returns after the line in progress. */
  signal?: AbortSignal;
}

export interface SweepResult {
  out: string;
  baseModel: string;
  lines: SweepLine[];
  ran: number;
  skipped: number;
  interrupted: boolean;
  seconds: number;
}

/** A grid cell: one fine-tuning run. */
export interface SweepCell {
  id: string;
  source: SweepSource;
  mode: ModeSettings;
  lr: number;
  epochs: number;
}

/** Short tag of a mode for ids and file names: full, head, head2, lora-r8-a8. */
export function modeTag(mode: ModeSettings): string {
  if (mode.mode === "lora") return `lora-r${mode.rank ?? "8"}-a${mode.alpha ?? mode.rank ?? "8"}${mode.loraTargets ? `-${mode.loraTargets.join("+")}` : ""}`;
  if (mode.mode === "head" && mode.headLayers !== undefined) return `head${mode.headLayers}`;
  return mode.mode;
}

/** Lists the plan's cells in run order: source, then mode, learning rate and epochs. */
export function sweepCells(plan: SweepPlan): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const source of plan.sources) {
    for (const mode of plan.modes) {
      for (const lr of plan.learningRates) {
        for (const epochs of plan.epochs) {
          cells.push({ id: `${source.name}/${modeTag(mode)}/lr=${lr.toExponential()}/epochs=${epochs}`, source, mode, lr, epochs });
        }
      }
    }
  }
  return cells;
}

function fileName(id: string): string {
  return id.replace(/[/=]/g, "_");
}

/**
 * Reads the lines of a results file; a partial last line (a killed write) is ignored. With
 * `repair`, a line break is added after such a line, so the next appended line stays whole.
 */
export function readSweepResults(file: string, repair = false): SweepLine[] {
  if (!existsSync(file)) return [];
  const content = readFileSync(file, "utf8");
  if (repair && content !== "" && !content.endsWith("\n")) appendFileSync(file, "\n");
  const lines: SweepLine[] = [];
  for (const text of content.split("\n")) {
    if (text.trim() === "") continue;
    try {
      lines.push(JSON.parse(text) as SweepLine);
    } catch {
      // Only the last line can be cut short, by a kill during its write; the rerun writes it again.
    }
  }
  return lines;
}

/** Runs (or resumes) a sweep; see the file comment. Throws when OUT contains results of another base. */
export async function runSweep(plan: SweepPlan, hooks: SweepHooks = {}): Promise<SweepResult> {
  const started = performance.now();
  mkdirSync(path.join(plan.out, "models"), { recursive: true });
  writeFileSync(path.join(plan.out, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  const baseModel = await ensureBase(plan);
  const base = readModelFile(baseModel);
  const resultsFile = path.join(plan.out, RESULTS_FILE);
  const existing = readSweepResults(resultsFile, true);
  const foreign = existing.find((line) => line.baseHash !== base.card.contentHash);
  if (foreign) {
    throw new Error(`${resultsFile} contains results of another base model (${foreign.baseHash}, now ${base.card.contentHash}); give another output folder`);
  }
  const context = new SweepContext(plan, baseModel, base.card.contentHash, baseLambda(base.card), existing, resultsFile, hooks);
  await context.runAll();
  return { out: plan.out, baseModel, lines: context.lines, ran: context.ran, skipped: context.skipped, interrupted: context.interrupted, seconds: (performance.now() - started) / 1000 };
}

/** Returns the base model file: the plan's, or OUT/base.onnx, trained first when missing. */
async function ensureBase(plan: SweepPlan): Promise<string> {
  if (typeof plan.base === "string") return plan.base;
  const file = path.join(plan.out, "base.onnx");
  if (existsSync(file)) return file;
  const settings: BaseTraining = plan.base;
  const result = await trainModel({
    data: settings.data, val: settings.val, architecture: { featureSet: settings.featureSet, l1: settings.l1, hidden: settings.hidden },
    epochs: settings.epochs, lr: settings.lr, lambda: settings.lambda, batch: settings.batch, seed: settings.seed,
    workers: plan.workers, checkpointDir: path.join(plan.out, "base-checkpoint"), metricsFile: path.join(plan.out, "base-metrics.jsonl"),
  });
  exportModel(file, result, { teacher: readTeacherSidecar(settings.data), description: `Base student of sweep ${plan.name}` });
  return file;
}

/** The state of one sweep run: lines so far, counters and the ETA estimate. */
class SweepContext {
  readonly lines: SweepLine[];
  ran = 0;
  skipped = 0;
  interrupted = false;
  private readonly done: Set<string>;
  private readonly total: number;
  /** Cost units (see cellUnits) and seconds of the cells run so far, and the units still to run. */
  private ranUnits = 0;
  private ranSeconds = 0;
  private unitsLeft: number;

  constructor(
    private readonly plan: SweepPlan,
    private readonly baseModel: string,
    private readonly baseHash: string,
    /** Training lambda of the base: the default of the general-set loss and of each source. */
    private readonly baseLambda: number,
    existing: SweepLine[],
    private readonly resultsFile: string,
    private readonly hooks: SweepHooks,
  ) {
    this.lines = [...existing];
    this.done = new Set(existing.map((line) => line.id));
    const cells = sweepCells(plan);
    this.total = plan.sources.length * 2 + plan.searchVariants.length + cells.length;
    this.unitsLeft = cells.filter((cell) => !this.done.has(cell.id)).reduce((sum, cell) => sum + cellUnits(cell), 0);
  }

  async runAll(): Promise<void> {
    for (const source of this.plan.sources) {
      if (!(await this.step(`base/${source.name}`, () => this.baseLine(source)))) return;
      if (!(await this.step(`book/${source.name}`, () => this.bookLine(source)))) return;
    }
    for (const variant of this.plan.searchVariants) {
      const line = (id: string): SurroundingsLine => ({ id, baseHash: this.baseHash, kind: "surroundings", variant: "search", name: variant.name, model: this.baseModel, engineOptions: variant.options });
      if (!(await this.step(`search/${variant.name}`, async (id) => line(id)))) return;
    }
    for (const cell of sweepCells(this.plan)) {
      if (!(await this.step(cell.id, () => this.cellLine(cell), cellUnits(cell)))) return;
    }
  }

  /** Runs one line unless it is done; returns false when the sweep was interrupted before it. */
  private async step(id: string, make: (id: string) => Promise<SweepLine>, units = 0): Promise<boolean> {
    if (this.hooks.signal?.aborted) {
      this.interrupted = true;
      return false;
    }
    const existing = this.done.has(id) ? this.lines.find((line) => line.id === id) : undefined;
    let line = existing;
    if (!line) {
      const started = performance.now();
      line = await make(id);
      appendFileSync(this.resultsFile, `${JSON.stringify(line)}\n`);
      this.lines.push(line);
      this.done.add(id);
      this.ran++;
      this.updateEta(units, (performance.now() - started) / 1000);
    } else {
      this.skipped++;
    }
    this.hooks.onProgress?.({ done: this.done.size, total: this.total, id, skipped: existing !== undefined, line, etaSeconds: this.eta() });
    return true;
  }

  private updateEta(units: number, seconds: number): void {
    if (units === 0) return;
    this.ranUnits += units;
    this.ranSeconds += seconds;
    this.unitsLeft -= units;
  }

  private eta(): number | null {
    return this.ranUnits === 0 ? null : (this.ranSeconds / this.ranUnits) * this.unitsLeft;
  }

  private async baseLine(source: SweepSource): Promise<BaseLine> {
    const base = readModelFile(this.baseModel);
    const measurements = await measureWeights(base.weights, this.measureSets(source));
    return { id: `base/${source.name}`, baseHash: this.baseHash, kind: "base", source: source.name, model: this.baseModel, measurements };
  }

  private measureSets(source: SweepSource) {
    const generalLambda = this.plan.generalLambda ?? this.baseLambda;
    const lambda = source.lambda ?? this.baseLambda;
    return { data: source.data, heldout: source.heldout, lambda, general: this.plan.generalVal, generalLambda, workers: this.plan.workers };
  }

  private async bookLine(source: SweepSource): Promise<SurroundingsLine> {
    const id = `book/${source.name}`;
    const common = { id, baseHash: this.baseHash, kind: "surroundings" as const, variant: "book" as const, name: `book-${source.name}`, model: this.baseModel, source: source.name };
    if (this.plan.bookMaxPly <= 0) return { ...common, engineOptions: {} };
    mkdirSync(path.join(this.plan.out, "books"), { recursive: true });
    const out = path.join(this.plan.out, "books", `${source.name}.json`);
    const book = await buildBook({ data: source.data, out, maxPly: this.plan.bookMaxPly });
    const coverage = await bookCoverage(out, source.heldout, this.plan.bookMaxPly);
    return { ...common, engineOptions: { BookFile: out, USI_OwnBook: true }, book, coverage };
  }

  private async cellLine(cell: SweepCell): Promise<VariantLine> {
    const name = fileName(cell.id);
    const checkpointDir = path.join(this.plan.out, "checkpoints", name);
    const model = path.join(this.plan.out, "models", `${name}.onnx`);
    const sets = this.measureSets(cell.source);
    const result = await runFinetune(
      {
        ...cell.mode, base: this.baseModel, data: cell.source.data, val: cell.source.heldout, out: model, lr: cell.lr, epochs: cell.epochs,
        lambda: sets.lambda, teacher: cell.source.teacher, generalVal: this.plan.generalVal, generalLambda: sets.generalLambda,
        optimizer: this.plan.optimizer, batch: this.plan.batch, seed: this.plan.seed, workers: this.plan.workers,
        keepWeights: this.plan.keepWeights, checkpointDir, description: `Sweep ${this.plan.name} cell ${cell.id}`,
      },
      { onEpoch: (metrics) => this.hooks.onEpoch?.(cell.id, metrics) },
    );
    rmSync(checkpointDir, { recursive: true, force: true });
    return {
      id: cell.id, baseHash: this.baseHash, kind: "variant", source: cell.source.name, mode: cell.mode, lr: cell.lr, epochs: cell.epochs,
      lambda: sets.lambda, model, contentHash: result.contentHash, measurements: result.measurements, distance: result.distance, curves: result.history,
      seconds: result.seconds,
    };
  }
}

/** Relative cost of a cell: its epochs, plus one for the measurements after training. */
function cellUnits(cell: SweepCell): number {
  return cell.epochs + 1;
}
