// Chart: general validation loss against fine-tuning loss after fine-tuning, one point per trained
// variant. Points far right of the base line paid for a low fine-tuning loss with general skill.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatLoss } from "../format.js";
import { type Language, translate } from "../i18n.js";
import type { RunData, Variant, VariantLosses } from "../run-data.js";
import { legendRows } from "./panels.js";
import { modeLegend } from "./elo-vs-base.js";
import {
  CHART_WIDTH, FONT_SIZE, MARK_RADIUS, MODE_COLORS, TICK_COUNT, estimateTextWidth, bottomAxis, bottomAxisLabel, element, emptyChart, leftAxis, leftAxisLabel,
  markCircle, paddedExtent, svgDocument, textElement,
} from "./svg.js";

export const LOSS_SCATTER_ID = "loss-scatter";
export const SCATTER_MARGIN = { top: 8, right: 24, bottom: 52, left: 80 };
export const SCATTER_PLOT_HEIGHT = 320;
export const SCATTER_LEGEND_GAP = 12;
export const SCATTER_EMPTY_HEIGHT = 80;
export const SCATTER_PADDING = 0.1;
export const SCATTER_MIN_SPAN = 0.001;
export const BASE_LINE_COLOR = "#555";
export const BASE_LINE_DASH = "4 4";
export const LEADER_COLOR = "#aaa";
export const LABEL_LINE_HEIGHT = 14;
/** Vertical moves tried for a label, in lines, in order. */
export const LABEL_SHIFTS = [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5];
/** Largest spread of the stored "before" values that still counts as one base loss. */
export const SAME_LOSS_TOLERANCE = 1e-9;

type ScatterVariant = Variant & { losses: VariantLosses };

export function drawLossScatter(data: RunData, language: Language): string {
  const title = translate(language, "chart.lossScatter.title");
  const points = data.variants.filter((variant): variant is ScatterVariant => variant.losses !== undefined);
  if (points.length === 0) return emptyChart(LOSS_SCATTER_ID, title, translate(language, "chart.noData"), SCATTER_EMPTY_HEIGHT);

  const legend = legendRows(modeLegend(points, language), SCATTER_MARGIN.left, SCATTER_MARGIN.top, CHART_WIDTH);
  const top = SCATTER_MARGIN.top + legend.height + SCATTER_LEGEND_GAP;
  const bottom = top + SCATTER_PLOT_HEIGHT;
  const left = SCATTER_MARGIN.left;
  const right = CHART_WIDTH - SCATTER_MARGIN.right;
  const baseLoss = commonBaseLoss(points);
  const xValues = points.map((variant) => variant.losses.fineTuning.after);
  const yValues = [...points.map((variant) => variant.losses.generalValidation.after), ...(baseLoss === undefined ? [] : [baseLoss])];
  const x = d3.scaleLinear().domain(paddedExtent(xValues, SCATTER_PADDING, SCATTER_MIN_SPAN)).range([left, right]);
  const y = d3.scaleLinear().domain(paddedExtent(yValues, SCATTER_PADDING, SCATTER_MIN_SPAN)).range([bottom, top]);

  const axes = bottomAxis(x, x.ticks(TICK_COUNT), x.tickFormat(TICK_COUNT), bottom, top) + leftAxis(y, y.ticks(TICK_COUNT), y.tickFormat(TICK_COUNT), left, right)
    + bottomAxisLabel(translate(language, "chart.fineTuningLoss"), left, right, bottom)
    + leftAxisLabel(translate(language, "chart.generalLossAfter"), top, bottom, left);
  const baseLine = baseLoss === undefined ? "" : drawBaseLine(y(baseLoss), left, right, translate(language, "chart.baseLevel"));
  const marks = points.map((variant) => scatterPoint(variant, x, y, language));
  const labelPoints = points.map((variant) => ({ text: variant.name, x: x(variant.losses.fineTuning.after), y: y(variant.losses.generalValidation.after) }));
  const labels = placeLabels(labelPoints, { left, right, top, bottom });
  return svgDocument(LOSS_SCATTER_ID, CHART_WIDTH, bottom + SCATTER_MARGIN.bottom, title, legend.markup + axes + baseLine + marks.join("") + labels);
}

/** Returns the base's general validation loss when every variant stored the same "before" value, else undefined. */
export function commonBaseLoss(variants: ScatterVariant[]): number | undefined {
  const values = variants.map((variant) => variant.losses.generalValidation.before);
  const [low, high] = d3.extent(values) as [number, number];
  return high - low <= SAME_LOSS_TOLERANCE ? values[0] : undefined;
}

export function drawBaseLine(y: number, left: number, right: number, label: string): string {
  const line = element("line", { class: "base-line", x1: left, x2: right, y1: y, y2: y, stroke: BASE_LINE_COLOR, "stroke-dasharray": BASE_LINE_DASH });
  return line + textElement({ x: right - MARK_RADIUS, y: y - MARK_RADIUS, "text-anchor": "end" }, label);
}

export function scatterPoint(variant: ScatterVariant, x: d3.ScaleLinear<number, number>, y: d3.ScaleLinear<number, number>, language: Language): string {
  const fineTuning = variant.losses.fineTuning.after;
  const general = variant.losses.generalValidation.after;
  const title = translate(language, "chart.scatterPointTitle", { name: variant.name, fineTuning: formatLoss(fineTuning), general: formatLoss(general) });
  return markCircle(x(fineTuning), y(general), MODE_COLORS[variant.mode], { "data-variant": variant.name, "data-x": fineTuning, "data-y": general }, title);
}

export interface LabelBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function boxesOverlap(a: LabelBox, b: LabelBox): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Point labels, each placed at the first free spot beside its point inside `bounds`: right of it,
 * then left, then moved up or down by whole lines, with a leader line when moved. Labels avoid
 * other labels and all marks; a label that finds no free spot keeps the first one.
 */
export function placeLabels(points: Array<{ text: string; x: number; y: number }>, bounds: LabelBox): string {
  // Marks are obstacles too, so no label covers another variant's point.
  const placed: LabelBox[] = points.map((point) => ({ left: point.x - MARK_RADIUS, right: point.x + MARK_RADIUS, top: point.y - MARK_RADIUS, bottom: point.y + MARK_RADIUS }));
  const markup = points.map((point) => {
    const box = labelSpot(point, estimateTextWidth(point.text, FONT_SIZE), placed, bounds);
    placed.push(box);
    const middle = (box.top + box.bottom) / 2;
    // A label left of its point ends at the point's side, so a wrong width estimate does not move it away.
    const onRight = box.left > point.x;
    const edge = onRight ? box.left : box.right;
    const text = textElement({ x: edge, y: middle, dy: "0.32em", "text-anchor": onRight ? "start" : "end", class: "point-label" }, point.text);
    if (Math.abs(middle - point.y) < 1) return text;
    return element("line", { class: "leader", x1: point.x, y1: point.y, x2: edge, y2: middle, stroke: LEADER_COLOR }) + text;
  });
  return element("g", { class: "point-labels" }, markup.join(""));
}

export function labelSpot(point: { x: number; y: number }, width: number, placed: LabelBox[], bounds: LabelBox): LabelBox {
  const shifts = LABEL_SHIFTS.map((lines) => lines * LABEL_LINE_HEIGHT);
  const candidates = shifts
    .flatMap((shift) => [point.x + 2 * MARK_RADIUS, point.x - 2 * MARK_RADIUS - width].map((left) => ({ left, top: point.y + shift - LABEL_LINE_HEIGHT / 2 })))
    .map((spot) => ({ left: spot.left, right: spot.left + width, top: spot.top, bottom: spot.top + LABEL_LINE_HEIGHT }))
    .filter((box) => box.left >= bounds.left && box.right <= bounds.right && box.top >= bounds.top && box.bottom <= bounds.bottom);
  const free = candidates.find((candidate) => placed.every((other) => !boxesOverlap(candidate, other)));
  return free ?? candidates[0] ?? { left: point.x + 2 * MARK_RADIUS, right: point.x + 2 * MARK_RADIUS + width, top: point.y - LABEL_LINE_HEIGHT / 2, bottom: point.y + LABEL_LINE_HEIGHT / 2 };
}
