// Charts: Elo against the learning rate (log scale) and against the epochs, one panel per node
// budget. A series contains one mode with the other setting fixed (Elo against the learning rate at
// 3 epochs, say), drawn as a line through its points with the 95% interval as a band around it.
// The surroundings mode has neither setting and is left out.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatCount, formatElo, formatInterval, formatLearningRate } from "../format.js";
import { type Language, type MessageKey, translate } from "../i18n.js";
import type { BudgetResult, RunData, Variant } from "../run-data.js";
import { ZERO_LINE_WIDTH, budgetTitle, budgetsByNodes, eloDomain, legendRows, panelColumns, panelTitle, resultOf } from "./panels.js";
import {
  BAND_OPACITY, CHART_WIDTH, DASH_PATTERNS, MODE_COLORS, TICK_COUNT, bottomAxis, bottomAxisLabel, element, emptyChart, leftAxis,
  leftAxisLabel, markCircle, svgDocument, ZERO_LINE_COLOR, formatEloTick,
} from "./svg.js";

export type SweepAxis = "learningRate" | "epochs";

export const ELO_VS_LEARNING_RATE_ID = "elo-vs-learning-rate";
export const ELO_VS_EPOCHS_ID = "elo-vs-epochs";
export const SWEEP_MARGIN = { top: 8, right: 28, bottom: 52, left: 76 };
export const SWEEP_PLOT_HEIGHT = 260;
export const SWEEP_TITLE_HEIGHT = 24;
export const SWEEP_LEGEND_GAP = 8;
export const SWEEP_EMPTY_HEIGHT = 80;
export const SWEEP_LINE_WIDTH = 1.5;
/** Horizontal offset between series that share an x value, in pixels, so their points do not cover each other. */
export const SWEEP_DODGE = 5;
/** Gap between the panels, wide enough for the second panel's tick labels. */
export const SWEEP_PANEL_GAP = 64;
/** Padding of the log-scale domain on each side, in decades. */
export const LOG_PADDING_DECADES = 0.25;
/** Padding of the epochs domain on each side, as a fraction of its span (at least one epoch). */
export const LINEAR_PADDING = 0.08;

export interface SweepSeries {
  key: string;
  label: string;
  color: string;
  dash: string;
  variants: Variant[];
}

export function drawEloVsLearningRate(data: RunData, language: Language): string {
  return drawEloSweep(data, language, "learningRate");
}

export function drawEloVsEpochs(data: RunData, language: Language): string {
  return drawEloSweep(data, language, "epochs");
}

export function sweepValue(variant: Variant, axis: SweepAxis): number | undefined {
  return axis === "learningRate" ? variant.learningRate : variant.epochs;
}

/**
 * Groups trained variants by mode, data source and the setting that stays fixed along the series.
 * A label names the data source when it is not the one most variants use.
 */
export function sweepSeries(variants: Variant[], axis: SweepAxis, language: Language): SweepSeries[] {
  const swept = variants.filter((variant) => variant.mode !== "surroundings" && sweepValue(variant, axis) !== undefined);
  const commonSource = mostCommon(swept.map((variant) => variant.dataSource));
  const byKey = new Map<string, SweepSeries>();
  const dashUse = new Map<string, number>();
  for (const variant of swept) {
    const fixed = axis === "learningRate" ? String(variant.epochs) : formatLearningRate(variant.learningRate ?? 0);
    const key = `${variant.mode}|${fixed}|${variant.dataSource}`;
    if (!byKey.has(key)) {
      const dashIndex = dashUse.get(variant.mode) ?? 0;
      dashUse.set(variant.mode, dashIndex + 1);
      const label = seriesLabel(variant, axis, fixed, language) + (variant.dataSource === commonSource ? "" : `, ${variant.dataSource}`);
      byKey.set(key, { key, label, color: MODE_COLORS[variant.mode], dash: DASH_PATTERNS[dashIndex % DASH_PATTERNS.length], variants: [] });
    }
    byKey.get(key)?.variants.push(variant);
  }
  for (const series of byKey.values()) series.variants.sort((a, b) => (sweepValue(a, axis) ?? 0) - (sweepValue(b, axis) ?? 0));
  return [...byKey.values()];
}

/** Returns the value that occurs most often, the first of equally frequent ones. */
export function mostCommon(values: string[]): string | undefined {
  const counts = d3.rollup(values, (group) => group.length, (value) => value);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = value;
  return best;
}

export function seriesLabel(variant: Variant, axis: SweepAxis, fixed: string, language: Language): string {
  const mode = translate(language, `mode.${variant.mode}`);
  if (axis === "learningRate") return translate(language, "chart.seriesEpochs", { mode, epochs: fixed });
  return translate(language, "chart.seriesRate", { mode, rate: fixed });
}

/** Makes the x scale: logarithmic for the learning rate, linear for the epochs. */
export function sweepScale(values: number[], axis: SweepAxis): d3.ScaleContinuousNumeric<number, number> {
  const [low, high] = d3.extent(values) as [number, number];
  if (axis === "learningRate") {
    const factor = 10 ** LOG_PADDING_DECADES;
    return d3.scaleLog().domain([low / factor, high * factor]);
  }
  const padding = Math.max(high - low, 1) * LINEAR_PADDING;
  return d3.scaleLinear().domain([low - padding, high + padding]);
}

export function drawEloSweep(data: RunData, language: Language, axis: SweepAxis): string {
  const id = axis === "learningRate" ? ELO_VS_LEARNING_RATE_ID : ELO_VS_EPOCHS_ID;
  const title = translate(language, axis === "learningRate" ? "chart.eloVsLearningRate.title" : "chart.eloVsEpochs.title");
  const budgets = budgetsByNodes(data);
  const series = sweepSeries(data.variants, axis, language);
  const swept = series.flatMap((entry) => entry.variants);
  const results = swept.flatMap((variant) => budgets.map((budget) => resultOf(variant, budget.name))).filter((result) => result !== undefined);
  if (results.length === 0) return emptyChart(id, title, translate(language, "chart.noData"), SWEEP_EMPTY_HEIGHT);

  const plotTop = SWEEP_MARGIN.top + SWEEP_TITLE_HEIGHT;
  const plotBottom = plotTop + SWEEP_PLOT_HEIGHT;
  const columns = panelColumns(budgets.length, SWEEP_MARGIN.left, CHART_WIDTH - SWEEP_MARGIN.left - SWEEP_MARGIN.right, SWEEP_PANEL_GAP);
  const values = swept.map((variant) => sweepValue(variant, axis) as number);
  const y = d3.scaleLinear().domain(eloDomain(results)).range([plotBottom, plotTop]);
  const panels = budgets.map((budget, index) => {
    const x = sweepScale(values, axis).range([columns.lefts[index], columns.lefts[index] + columns.width]);
    const content = sweepPanel(series, budget.name, axis, x, y, language);
    const axes = sweepAxes(axis, [...new Set(values)], x, y, columns.lefts[index], columns.width, language, index === 0);
    return element("g", { class: "panel", "data-budget": budget.name }, panelTitle(budgetTitle(budget, language), columns.lefts[index], columns.width, SWEEP_MARGIN.top) + axes + content);
  });
  const legendTop = plotBottom + SWEEP_MARGIN.bottom + SWEEP_LEGEND_GAP;
  const legend = legendRows(series.map((entry) => ({ color: entry.color, dash: entry.dash, label: entry.label })), SWEEP_MARGIN.left, legendTop, CHART_WIDTH - SWEEP_MARGIN.left);
  return svgDocument(id, CHART_WIDTH, legendTop + legend.height + SWEEP_MARGIN.top, title, panels.join("") + legend.markup);
}

/** Both axes of one panel, with a tick at every swept value; only the first panel names the y axis. */
export function sweepAxes(axis: SweepAxis, ticks: number[], x: d3.ScaleContinuousNumeric<number, number>, y: d3.ScaleLinear<number, number>, left: number, width: number, language: Language, first: boolean): string {
  const [bottom, top] = y.range();
  const format = axis === "learningRate" ? formatLearningRate : formatCount;
  const xLabel: MessageKey = axis === "learningRate" ? "chart.learningRate" : "chart.epochs";
  const xAxis = bottomAxis(x, ticks, format, bottom, top) + bottomAxisLabel(translate(language, xLabel), left, left + width, bottom);
  const yTitle = first ? leftAxisLabel(translate(language, "chart.elo"), top, bottom, left) : "";
  const yAxis = leftAxis(y, y.ticks(TICK_COUNT), formatEloTick, left, left + width) + yTitle;
  const zero = element("line", { class: "zero", x1: left, x2: left + width, y1: y(0), y2: y(0), stroke: ZERO_LINE_COLOR, "stroke-width": ZERO_LINE_WIDTH });
  return xAxis + yAxis + zero;
}

/** Bands, lines and points of every series at one budget. */
export function sweepPanel(series: SweepSeries[], budget: string, axis: SweepAxis, x: d3.ScaleContinuousNumeric<number, number>, y: d3.ScaleLinear<number, number>, language: Language): string {
  return series.map((entry, seriesIndex) => {
    const dodge = (seriesIndex - (series.length - 1) / 2) * SWEEP_DODGE;
    const points = entry.variants
      .map((variant) => ({ variant, result: resultOf(variant, budget), px: x(sweepValue(variant, axis) as number) + dodge }))
      .filter((point): point is { variant: Variant; result: BudgetResult; px: number } => point.result !== undefined);
    return element("g", { class: "series", "data-series": entry.key }, seriesShapes(entry, points, budget, axis, y, language));
  }).join("");
}

export function seriesShapes(entry: SweepSeries, points: Array<{ variant: Variant; result: BudgetResult; px: number }>, budget: string, axis: SweepAxis, y: d3.ScaleLinear<number, number>, language: Language): string {
  const band = d3.area<{ result: BudgetResult; px: number }>().x((point) => point.px).y0((point) => y(point.result.eloLower)).y1((point) => y(point.result.eloUpper));
  const line = d3.line<{ result: BudgetResult; px: number }>().x((point) => point.px).y((point) => y(point.result.elo));
  let markup = "";
  if (points.length >= 2) {
    markup += element("path", { class: "band", d: band(points) ?? "", fill: entry.color, "fill-opacity": BAND_OPACITY });
    markup += element("path", { class: "line", d: line(points) ?? "", fill: "none", stroke: entry.color, "stroke-width": SWEEP_LINE_WIDTH, "stroke-dasharray": entry.dash });
  }
  for (const { variant, result, px } of points) {
    markup += element("line", { class: "interval", x1: px, x2: px, y1: y(result.eloLower), y2: y(result.eloUpper), stroke: entry.color });
    const title = translate(language, "chart.pointTitle", { name: variant.name, elo: formatElo(result.elo), interval: formatInterval(result.eloLower, result.eloUpper) });
    const dataAttributes = { "data-variant": variant.name, "data-budget": budget, "data-x": String(sweepValue(variant, axis)), "data-elo": result.elo };
    markup += markCircle(px, y(result.elo), entry.color, dataAttributes, title);
  }
  return markup;
}
