// Helpers that several charts share: budgets in order, the Elo domain, panel layout and titles.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatCount } from "../format.js";
import { type Language, translate } from "../i18n.js";
import type { BudgetResult, NodeBudget, RunData, Variant } from "../run-data.js";
import { FONT_SIZE, TITLE_FONT_SIZE, ZERO_LINE_COLOR, element, estimateTextWidth, textElement } from "./svg.js";

/** Horizontal gap between side-by-side panels. */
export const PANEL_GAP = 36;
export const PANEL_TITLE_HEIGHT = 22;
/** Fraction of the Elo span added on each side of the data. */
export const ELO_PADDING = 0.05;
export const ZERO_LINE_WIDTH = 1.5;
/** Narrowest legend column; a column grows to fit its longest label. */
export const LEGEND_COLUMN_WIDTH = 200;
export const LEGEND_ROW_HEIGHT = 18;
export const LEGEND_SAMPLE_LENGTH = 24;
export const LEGEND_DOT_RADIUS = 3.5;
export const LEGEND_LINE_WIDTH = 2.5;
export const LEGEND_LABEL_GAP = 6;

/** Budgets from the fewest nodes to the most, so the short budget's panel comes first. */
export function budgetsByNodes(data: RunData): NodeBudget[] {
  return [...data.run.budgets].sort((a, b) => a.nodes - b.nodes);
}

export function resultOf(variant: Variant, budget: string): BudgetResult | undefined {
  return variant.results.find((result) => result.budget === budget && result.games > 0);
}

/** Returns a nice Elo domain that contains every interval of the given results, and 0. */
export function eloDomain(results: BudgetResult[]): [number, number] {
  const values = [0, ...results.flatMap((result) => [result.eloLower, result.eloUpper])];
  const [low, high] = d3.extent(values) as [number, number];
  const span = Math.max(high - low, 1);
  return d3.scaleLinear().domain([low - span * ELO_PADDING, high + span * ELO_PADDING]).nice().domain() as [number, number];
}

/** Left edges of `count` equal panels that share `width` starting at `left`, and their width. */
export function panelColumns(count: number, left: number, width: number, gap = PANEL_GAP): { lefts: number[]; width: number } {
  const panelWidth = (width - gap * (count - 1)) / count;
  return { lefts: d3.range(count).map((index) => left + index * (panelWidth + gap)), width: panelWidth };
}

export function budgetTitle(budget: NodeBudget, language: Language): string {
  return translate(language, "chart.budgetPanel", { budget: budget.name, nodes: formatCount(budget.nodes) });
}

/** Draws a panel title, centred over the panel. */
export function panelTitle(text: string, left: number, width: number, top: number): string {
  return textElement({ x: left + width / 2, y: top + TITLE_FONT_SIZE, "text-anchor": "middle", "font-weight": "bold", "font-size": TITLE_FONT_SIZE }, text);
}

/** Draws the vertical line at Elo 0. */
export function zeroLine(x: number, top: number, bottom: number): string {
  return element("line", { class: "zero", x1: x, x2: x, y1: top, y2: bottom, stroke: ZERO_LINE_COLOR, "stroke-width": ZERO_LINE_WIDTH });
}

/** Draws a legend entry: a coloured sample line and its label. */
export function legendEntry(x: number, y: number, color: string, dash: string, label: string): string {
  const sample = element("line", { x1: x, x2: x + LEGEND_SAMPLE_LENGTH, y1: y, y2: y, stroke: color, "stroke-width": LEGEND_LINE_WIDTH, "stroke-dasharray": dash });
  const circle = element("circle", { cx: x + LEGEND_SAMPLE_LENGTH / 2, cy: y, r: LEGEND_DOT_RADIUS, fill: color });
  const text = textElement({ x: x + LEGEND_SAMPLE_LENGTH + LEGEND_LABEL_GAP, y, dy: "0.32em" }, label);
  return element("g", { class: "legend-entry" }, sample + circle + text);
}

/** Legend entries laid out in rows of fixed-width columns; returns the markup and its height. */
export function legendRows(entries: Array<{ color: string; dash: string; label: string }>, left: number, top: number, width: number): { markup: string; height: number } {
  const widest = d3.max(entries, (entry) => estimateTextWidth(entry.label, FONT_SIZE)) ?? 0;
  const columnWidth = Math.max(LEGEND_COLUMN_WIDTH, widest + LEGEND_SAMPLE_LENGTH + 2 * LEGEND_LABEL_GAP);
  const perRow = Math.max(1, Math.floor(width / columnWidth));
  const markup = entries.map((entry, index) => {
    const x = left + (index % perRow) * columnWidth;
    const y = top + Math.floor(index / perRow) * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
    return legendEntry(x, y, entry.color, entry.dash, entry.label);
  });
  const height = Math.ceil(entries.length / perRow) * LEGEND_ROW_HEIGHT;
  return { markup: element("g", { class: "legend" }, markup.join("")), height };
}
