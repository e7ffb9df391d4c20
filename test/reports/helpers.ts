// Shared by the report tests: fixture copies in temporary folders, run data with hostile names,
// the marks each chart must draw, and reading marks back from SVG text.

import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RUN_DATA_FILE, readRunData, writeRunData, type RunData } from "../../reports/run-data.js";
import type { ChartId } from "../../reports/charts/index.js";
import { deriveVerdict } from "../../reports/verdict.js";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/run-data", import.meta.url));

/** Names that would inject markup or script if any were written unescaped. */
export const HOSTILE = {
  run: "</script><script>window.__injected = 'run'</script>",
  base: "<img src=x onerror=alert(1)>",
  variant: "<script>window.__injected = 'variant'</script>",
  quoted: '"><svg onload=alert(3)>',
  anchor: "<img src=y onerror=alert(4)>",
  dataSource: "<iframe src=javascript:alert(5)>",
  budget: "<b>long</b>",
};

/**
 * Makes a run folder in a new temporary folder: a copy of the fixture's run data, and a link to
 * its game records, which no test changes. Returns the folder's path.
 */
export function copyFixture(prefix = "shogi-lab-report-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  copyFileSync(path.join(FIXTURE_DIR, RUN_DATA_FILE), path.join(dir, RUN_DATA_FILE));
  symlinkSync(path.join(FIXTURE_DIR, "games"), path.join(dir, "games"), "dir");
  return dir;
}

export function removeDir(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

function renamePlayer(data: RunData, from: string, to: string): void {
  for (const game of data.games) {
    if (game.black === from) game.black = to;
    if (game.white === from) game.white = to;
  }
  for (const pool of data.pool) for (const rating of pool.ratings) if (rating.player === from) rating.player = to;
  for (const point of data.curves) if (point.variant === from) point.variant = to;
  for (const control of data.controls) if (control.variant === from) control.variant = to;
}

function renameBudget(data: RunData, from: string, to: string): void {
  for (const budget of data.run.budgets) if (budget.name === from) budget.name = to;
  for (const variant of data.variants) {
    for (const result of variant.results) if (result.budget === from) result.budget = to;
    if (variant.verdict.evidence.values.budget === from) variant.verdict.evidence.values.budget = to;
  }
  for (const item of [...data.games, ...data.pool, ...data.resolution]) if (item.budget === from) item.budget = to;
  if (data.verdictThresholds.budget === from) data.verdictThresholds.budget = to;
}

/** Rewrites a fixture copy so that the run, base, two variants, an anchor, a data source and a budget carry markup in their names. */
export function makeHostileRun(dir: string): RunData {
  const data = readRunData(dir);
  data.run.name = HOSTILE.run;
  data.run.plan.note = HOSTILE.run;
  renamePlayer(data, data.base.name, HOSTILE.base);
  data.base.name = HOSTILE.base;
  const [first, second] = data.variants;
  renamePlayer(data, first.name, HOSTILE.variant);
  first.name = HOSTILE.variant;
  first.dataSource = HOSTILE.dataSource;
  renamePlayer(data, second.name, HOSTILE.quoted);
  second.name = HOSTILE.quoted;
  const anchor = data.pool[0].ratings.find((rating) => rating.anchor)?.player as string;
  renamePlayer(data, anchor, HOSTILE.anchor);
  renameBudget(data, "long", HOSTILE.budget);
  for (const variant of data.variants) variant.verdict = deriveVerdict(variant, data.verdictThresholds);
  writeRunData(dir, data);
  return data;
}

/** Marks each chart must draw: one per data point it shows. */
export function expectedMarks(data: RunData): Record<ChartId, number> {
  const played = (variant: RunData["variants"][number]): number => variant.results.filter((result) => result.games > 0).length;
  const swept = data.variants.filter((variant) => variant.mode !== "surroundings");
  return {
    "elo-vs-base": data.variants.reduce((sum, variant) => sum + played(variant), 0),
    "elo-vs-learning-rate": swept.filter((variant) => variant.learningRate !== undefined).reduce((sum, variant) => sum + played(variant), 0),
    "elo-vs-epochs": swept.filter((variant) => variant.epochs !== undefined).reduce((sum, variant) => sum + played(variant), 0),
    "loss-curves": data.curves.reduce((sum, point) => sum + (point.generalValidationLoss === null ? 2 : 3), 0),
    "loss-scatter": data.variants.filter((variant) => variant.losses !== undefined).length,
  };
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/** Returns the attributes of every `circle.mark` in SVG text, unescaped. */
export function marksOf(svg: string): Array<Record<string, string>> {
  const marks: Array<Record<string, string>> = [];
  for (const match of svg.matchAll(/<circle class="mark"([^>]*)>/g)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1].matchAll(/([\w-]+)="([^"]*)"/g)) {
      attributes[attribute[1]] = attribute[2].replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
    }
    marks.push(attributes);
  }
  return marks;
}
