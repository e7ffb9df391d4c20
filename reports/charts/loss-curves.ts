// Chart: training, held-out and general validation loss per epoch, one small panel per variant on
// a shared loss scale. A training loss that keeps falling while the held-out loss turns up is the
// picture of overfitting.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatCount, formatLoss } from "../format.js";
import { type Language, type MessageKey, translate } from "../i18n.js";
import type { CurvePoint, RunData } from "../run-data.js";
import { legendRows, panelTitle } from "./panels.js";
import {
  CHART_WIDTH, bottomAxis, bottomAxisLabel, element, emptyChart, leftAxis, markCircle, svgDocument,
} from "./svg.js";

export const LOSS_CURVES_ID = "loss-curves";
export const CURVE_COLUMNS = 3;
export const CURVE_PANEL_HEIGHT = 150;
/** Space of one panel row beyond its plot: title above, axis and label below. */
export const CURVE_ROW_EXTRA = 78;
export const CURVE_MARGIN = { top: 8, right: 16, left: 64, gap: 56 };
export const CURVE_TICKS = 4;
export const CURVE_LINE_WIDTH = 1.5;
export const CURVE_TITLE_HEIGHT = 22;
export const CURVE_EMPTY_HEIGHT = 80;
export const LOSS_PADDING = 0.05;
/** Smallest loss span of the y axis, so flat curves are not stretched into noise. */
export const MIN_LOSS_SPAN = 0.001;

export interface CurveMetric {
  field: "trainingLoss" | "heldOutLoss" | "generalValidationLoss";
  label: MessageKey;
  color: string;
  dash: string;
}

export const CURVE_METRICS: CurveMetric[] = [
  { field: "trainingLoss", label: "chart.trainingLoss", color: "#1f77b4", dash: "" },
  { field: "heldOutLoss", label: "chart.heldOutLoss", color: "#d62728", dash: "6 3" },
  { field: "generalValidationLoss", label: "chart.generalLoss", color: "#7f7f7f", dash: "2 3" },
];

/** Curve points grouped by variant, in the order of the run's variants, each sorted by epoch. */
export function curvesByVariant(data: RunData): Array<{ variant: string; points: CurvePoint[] }> {
  const groups = data.variants.map((variant) => ({ variant: variant.name, points: data.curves.filter((point) => point.variant === variant.name) }));
  for (const group of groups) group.points.sort((a, b) => a.epoch - b.epoch);
  return groups.filter((group) => group.points.length > 0);
}

export function drawLossCurves(data: RunData, language: Language): string {
  const title = translate(language, "chart.lossCurves.title");
  const groups = curvesByVariant(data);
  if (groups.length === 0) return emptyChart(LOSS_CURVES_ID, title, translate(language, "chart.noData"), CURVE_EMPTY_HEIGHT);

  const legend = legendRows(CURVE_METRICS.map((metric) => ({ color: metric.color, dash: metric.dash, label: translate(language, metric.label) })), CURVE_MARGIN.left, CURVE_MARGIN.top, CHART_WIDTH);
  const gridTop = CURVE_MARGIN.top + legend.height;
  const panelWidth = (CHART_WIDTH - CURVE_MARGIN.left - CURVE_MARGIN.right - (CURVE_COLUMNS - 1) * CURVE_MARGIN.gap) / CURVE_COLUMNS;
  const allPoints = groups.flatMap((group) => group.points);
  const losses = allPoints.flatMap((point) => CURVE_METRICS.map((metric) => point[metric.field])).filter((loss): loss is number => loss !== null);
  const [low, high] = d3.extent(losses) as [number, number];
  const span = Math.max(high - low, MIN_LOSS_SPAN);
  const yDomain = [low - span * LOSS_PADDING, high + span * LOSS_PADDING];
  const xDomain = [0, Math.max(1, d3.max(allPoints, (point) => point.epoch) ?? 1)];

  const panels = groups.map((group, index) => {
    const left = CURVE_MARGIN.left + (index % CURVE_COLUMNS) * (panelWidth + CURVE_MARGIN.gap);
    const top = gridTop + Math.floor(index / CURVE_COLUMNS) * (CURVE_PANEL_HEIGHT + CURVE_ROW_EXTRA) + CURVE_TITLE_HEIGHT;
    const x = d3.scaleLinear().domain(xDomain).range([left, left + panelWidth]);
    const y = d3.scaleLinear().domain(yDomain).range([top + CURVE_PANEL_HEIGHT, top]);
    return curvePanel(group.variant, group.points, x, y, language);
  });
  const rows = Math.ceil(groups.length / CURVE_COLUMNS);
  const height = gridTop + rows * (CURVE_PANEL_HEIGHT + CURVE_ROW_EXTRA);
  return svgDocument(LOSS_CURVES_ID, CHART_WIDTH, height, title, legend.markup + panels.join(""));
}

/** Draws one variant's panel: axes and a line with points for each loss. */
export function curvePanel(variant: string, points: CurvePoint[], x: d3.ScaleLinear<number, number>, y: d3.ScaleLinear<number, number>, language: Language): string {
  const [left, right] = x.range();
  const [bottom, top] = y.range();
  const epochTicks = x.ticks(Math.min(CURVE_TICKS, x.domain()[1])).filter((tick) => Number.isInteger(tick));
  const axes = bottomAxis(x, epochTicks, formatCount, bottom, top) + leftAxis(y, y.ticks(CURVE_TICKS), y.tickFormat(CURVE_TICKS), left, right);
  const axisLabel = bottomAxisLabel(translate(language, "chart.epoch"), left, right, bottom);
  const lines = CURVE_METRICS.map((metric) => {
    // A loss that was not measured at an epoch (null) leaves that point out of its line.
    const measured = points.filter((point) => point[metric.field] !== null);
    const value = (point: CurvePoint): number => point[metric.field] as number;
    const path = d3.line<CurvePoint>().x((point) => x(point.epoch)).y((point) => y(value(point)))(measured) ?? "";
    const line = element("path", { class: "line", d: path, fill: "none", stroke: metric.color, "stroke-width": CURVE_LINE_WIDTH, "stroke-dasharray": metric.dash });
    const marks = measured.map((point) => {
      const metricName = translate(language, metric.label);
      const title = translate(language, "chart.lossPointTitle", { name: variant, metric: metricName, epoch: String(point.epoch), loss: formatLoss(value(point)) });
      return markCircle(x(point.epoch), y(value(point)), metric.color, { "data-variant": variant, "data-metric": metric.field, "data-epoch": point.epoch, "data-loss": value(point) }, title);
    });
    return line + marks.join("");
  });
  const title = panelTitle(variant, left, right - left, top - CURVE_TITLE_HEIGHT);
  return element("g", { class: "panel", "data-variant": variant }, title + axes + axisLabel + lines.join(""));
}
