// Chart: Elo of each variant against the base with its 95% interval, one panel per node budget side
// by side, so a gain at the short budget can be checked against the long one.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatElo, formatInterval } from "../format.js";
import { type Language, translate } from "../i18n.js";
import type { NodeBudget, RunData, Variant } from "../run-data.js";
import { budgetTitle, budgetsByNodes, eloDomain, legendRows, panelColumns, panelTitle, resultOf, zeroLine } from "./panels.js";
import {
  CHART_WIDTH, FONT_SIZE, MODE_COLORS, bottomAxis, bottomAxisLabel, element, emptyChart, estimateTextWidth, formatEloTick, markCircle,
  svgDocument, textElement, tickCountFor,
} from "./svg.js";

export const ELO_VS_BASE_ID = "elo-vs-base";
export const FOREST_ROW_HEIGHT = 24;
export const FOREST_MARGIN = { top: 8, right: 28, bottom: 48, labelGap: 10 };
export const FOREST_MAX_LABEL_WIDTH = 260;
export const FOREST_INTERVAL_WIDTH = 2;
export const FOREST_TITLE_GAP = 26;
export const FOREST_EMPTY_HEIGHT = 80;

/** Draws the chart as SVG text. */
export function drawEloVsBase(data: RunData, language: Language): string {
  const title = translate(language, "chart.eloVsBase.title");
  const budgets = budgetsByNodes(data);
  const results = data.variants.flatMap((variant) => budgets.map((budget) => resultOf(variant, budget.name))).filter((result) => result !== undefined);
  if (results.length === 0) return emptyChart(ELO_VS_BASE_ID, title, translate(language, "chart.noData"), FOREST_EMPTY_HEIGHT);

  const legend = legendRows(modeLegend(data.variants, language), FOREST_MARGIN.labelGap, FOREST_MARGIN.top, CHART_WIDTH);
  const rowsTop = FOREST_MARGIN.top + legend.height + FOREST_TITLE_GAP;
  const rowsBottom = rowsTop + data.variants.length * FOREST_ROW_HEIGHT;
  const labelWidth = Math.min(FOREST_MAX_LABEL_WIDTH, d3.max(data.variants, (variant) => estimateTextWidth(variant.name, FONT_SIZE)) ?? 0);
  const plotLeft = labelWidth + 2 * FOREST_MARGIN.labelGap;
  const columns = panelColumns(budgets.length, plotLeft, CHART_WIDTH - plotLeft - FOREST_MARGIN.right);
  const x = d3.scaleLinear().domain(eloDomain(results));
  const y = (index: number): number => rowsTop + (index + 0.5) * FOREST_ROW_HEIGHT;

  const labels = data.variants.map((variant, index) => textElement({ x: plotLeft - FOREST_MARGIN.labelGap, y: y(index), dy: "0.32em", "text-anchor": "end", class: "row-label" }, variant.name));
  const panels = budgets.map((budget, index) => {
    x.range([columns.lefts[index], columns.lefts[index] + columns.width]);
    const frame = { top: rowsTop, bottom: rowsBottom, left: columns.lefts[index], width: columns.width };
    return forestPanel(data.variants, budget, x, y, frame, language);
  });
  const height = rowsBottom + FOREST_MARGIN.bottom;
  return svgDocument(ELO_VS_BASE_ID, CHART_WIDTH, height, title, legend.markup + element("g", { class: "labels" }, labels.join("")) + panels.join(""));
}

/** Returns one colour entry per mode of the given variants. */
export function modeLegend(variants: Variant[], language: Language): Array<{ color: string; dash: string; label: string }> {
  const modes = [...new Set(variants.map((variant) => variant.mode))];
  return modes.map((mode) => ({ color: MODE_COLORS[mode], dash: "", label: translate(language, `mode.${mode}`) }));
}

export interface PanelFrame {
  top: number;
  bottom: number;
  left: number;
  width: number;
}

/** Draws one budget's panel: axis, zero line, and an interval bar with its point for each variant that played there. */
export function forestPanel(variants: Variant[], budget: NodeBudget, x: d3.ScaleLinear<number, number>, y: (index: number) => number, frame: PanelFrame, language: Language): string {
  const axis = bottomAxis(x, x.ticks(tickCountFor(frame.width)), formatEloTick, frame.bottom, frame.top);
  const axisLabel = bottomAxisLabel(translate(language, "chart.elo"), frame.left, frame.left + frame.width, frame.bottom);
  const rows = variants.map((variant, index) => {
    const result = resultOf(variant, budget.name);
    if (result === undefined) return "";
    const color = MODE_COLORS[variant.mode];
    const bar = element("line", { class: "interval", x1: x(result.eloLower), x2: x(result.eloUpper), y1: y(index), y2: y(index), stroke: color, "stroke-width": FOREST_INTERVAL_WIDTH });
    const pointTitle = translate(language, "chart.pointTitle", { name: variant.name, elo: formatElo(result.elo), interval: formatInterval(result.eloLower, result.eloUpper) });
    const dataAttributes = { "data-variant": variant.name, "data-budget": budget.name, "data-elo": result.elo, "data-lower": result.eloLower, "data-upper": result.eloUpper };
    return bar + markCircle(x(result.elo), y(index), color, dataAttributes, pointTitle);
  });
  const title = panelTitle(budgetTitle(budget, language), frame.left, frame.width, frame.top - FOREST_TITLE_GAP + FOREST_MARGIN.top);
  const content = title + axis + axisLabel + zeroLine(x(0), frame.top, frame.bottom) + rows.join("");
  return element("g", { class: "panel", "data-budget": budget.name }, content);
}
