// SVG text for the charts: elements with escaped attributes and text, axes from d3 scales, and the
// shared sizes and colours. Charts are built as strings, so the same code draws them in the page
// and writes the .svg files in Node.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines,
// uses only named imports of other browser modules, and reaches d3 through the name `d3`.

import * as d3 from "d3";
import { formatSigned } from "../format.js";
import type { FineTuneMode } from "../run-data.js";

export type AttributeValue = string | number | undefined;
export type Attributes = Record<string, AttributeValue>;

/** A continuous d3 scale as the axes use it. */
export interface AxisScale {
  (value: number): number;
  ticks(count?: number): number[];
  range(): number[];
}

export const CHART_WIDTH = 960;
export const FONT_SIZE = 12;
export const TITLE_FONT_SIZE = 13;
export const TICK_LENGTH = 5;
export const TICK_COUNT = 6;
/** Distance of an axis title from its axis: below a horizontal one, left of a vertical one (past the tick labels). */
export const AXIS_LABEL_OFFSET = 34;
export const LEFT_AXIS_LABEL_OFFSET = 52;
/** Horizontal room per tick label, which sets how many ticks fit on an axis. */
export const TICK_SPACING = 80;
export const MARK_RADIUS = 4;
export const TEXT_COLOR = "#222";
export const GRID_COLOR = "#e3e3e3";
export const AXIS_COLOR = "#888";
export const ZERO_LINE_COLOR = "#555";
export const BAND_OPACITY = 0.15;
/** Average glyph width in ems, used to size label columns without measuring text: Latin and CJK. */
export const NARROW_GLYPH_EM = 0.55;
export const WIDE_GLYPH_EM = 1;
/** First code point of the CJK blocks, whose glyphs are a full em wide. */
export const FIRST_WIDE_CODE_POINT = 0x2e80;
/** Coordinates are written with this many decimals to keep the files small. */
export const COORDINATE_DIGITS = 2;

/** One colour per fine-tuning mode, from d3's category10 scheme. */
export const MODE_COLORS: Record<FineTuneMode, string> = {
  full: "#1f77b4",
  lora: "#ff7f0e",
  head: "#2ca02c",
  surroundings: "#9467bd",
};

/** Dash patterns that tell apart series of one colour, in order of use. */
export const DASH_PATTERNS = ["", "6 3", "2 3", "8 3 2 3", "1 5"];

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Rounds a coordinate for output; non-coordinates pass through. */
export function formatAttribute(value: string | number): string {
  if (typeof value === "string") return value;
  return String(Number(value.toFixed(COORDINATE_DIGITS)));
}

/** Builds an element with escaped attribute values. `content` is markup and is inserted as it is. */
export function element(tag: string, attributes: Attributes, content = ""): string {
  const attributeText = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([name, value]) => ` ${name}="${escapeXml(formatAttribute(value as string | number))}"`)
    .join("");
  return content === "" ? `<${tag}${attributeText}/>` : `<${tag}${attributeText}>${content}</${tag}>`;
}

/** Builds a text element and escapes its content. */
export function textElement(attributes: Attributes, text: string): string {
  return element("text", { fill: TEXT_COLOR, ...attributes }, escapeXml(text));
}

/** Builds a tooltip, an SVG title element with escaped text. */
export function tooltip(text: string): string {
  return element("title", {}, escapeXml(text));
}

export function svgDocument(id: string, width: number, height: number, title: string, body: string): string {
  const attributes = {
    xmlns: "http://www.w3.org/2000/svg",
    id: `chart-${id}`,
    class: "chart",
    width,
    height,
    viewBox: `0 0 ${formatAttribute(width)} ${formatAttribute(height)}`,
    "font-family": "sans-serif",
    "font-size": FONT_SIZE,
    role: "img",
  };
  return element("svg", attributes, `${tooltip(title)}${element("rect", { width, height, fill: "#fff" })}${body}`);
}

/** Estimated width in pixels of `text` at `fontSize`, for sizing label columns. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const character of text) ems += (character.codePointAt(0) ?? 0) >= FIRST_WIDE_CODE_POINT ? WIDE_GLYPH_EM : NARROW_GLYPH_EM;
  return ems * fontSize;
}

/** Draws a horizontal axis at `y` with grid lines up to `gridTop`. */
export function bottomAxis(scale: AxisScale, ticks: number[], format: (value: number) => string, y: number, gridTop: number): string {
  const parts = ticks.map((tick) => {
    const x = scale(tick);
    const grid = element("line", { x1: x, x2: x, y1: gridTop, y2: y, stroke: GRID_COLOR });
    const mark = element("line", { x1: x, x2: x, y1: y, y2: y + TICK_LENGTH, stroke: AXIS_COLOR });
    const label = textElement({ x, y: y + TICK_LENGTH + FONT_SIZE, "text-anchor": "middle" }, format(tick));
    return grid + mark + label;
  });
  const [start, end] = scale.range();
  const line = element("line", { x1: start, x2: end, y1: y, y2: y, stroke: AXIS_COLOR });
  return element("g", { class: "axis axis-bottom" }, parts.join("") + line);
}

/** Draws a vertical axis at `x` with grid lines across to `gridRight`. */
export function leftAxis(scale: AxisScale, ticks: number[], format: (value: number) => string, x: number, gridRight: number): string {
  const parts = ticks.map((tick) => {
    const y = scale(tick);
    const grid = element("line", { x1: x, x2: gridRight, y1: y, y2: y, stroke: GRID_COLOR });
    const mark = element("line", { x1: x - TICK_LENGTH, x2: x, y1: y, y2: y, stroke: AXIS_COLOR });
    const label = textElement({ x: x - TICK_LENGTH - 2, y, dy: "0.32em", "text-anchor": "end" }, format(tick));
    return grid + mark + label;
  });
  const [start, end] = scale.range();
  const line = element("line", { x1: x, x2: x, y1: start, y2: end, stroke: AXIS_COLOR });
  return element("g", { class: "axis axis-left" }, parts.join("") + line);
}

/** Draws an axis title centred under a horizontal axis. */
export function bottomAxisLabel(text: string, left: number, right: number, axisY: number): string {
  return textElement({ x: (left + right) / 2, y: axisY + AXIS_LABEL_OFFSET, "text-anchor": "middle" }, text);
}

/** Draws an axis title turned along a vertical axis. */
export function leftAxisLabel(text: string, top: number, bottom: number, axisX: number): string {
  const x = axisX - LEFT_AXIS_LABEL_OFFSET;
  const y = (top + bottom) / 2;
  return textElement({ x, y, transform: `rotate(-90 ${formatAttribute(x)} ${formatAttribute(y)})`, "text-anchor": "middle" }, text);
}

/** Number of ticks that fit along `length` pixels, at least 2. */
export function tickCountFor(length: number): number {
  return Math.max(2, Math.floor(length / TICK_SPACING));
}

/** Tick label of an Elo axis: whole points with a sign. */
export function formatEloTick(elo: number): string {
  return formatSigned(elo, 0);
}

/** Draws a data point: a circle of class "mark" that carries its values as data attributes for readers and tests. */
export function markCircle(x: number, y: number, color: string, data: Attributes, title: string): string {
  return element("circle", { class: "mark", cx: x, cy: y, r: MARK_RADIUS, fill: color, stroke: "#fff", ...exactValues(data) }, tooltip(title));
}

/** Numbers as full-precision strings, so data attributes are not rounded like coordinates. */
export function exactValues(data: Attributes): Attributes {
  const exact: Attributes = {};
  for (const [name, value] of Object.entries(data)) exact[name] = typeof value === "number" ? String(value) : value;
  return exact;
}

/** Draws a chart that shows only `message`, for a chart without data. */
export function emptyChart(id: string, title: string, message: string, height: number): string {
  return svgDocument(id, CHART_WIDTH, height, title, textElement({ x: CHART_WIDTH / 2, y: height / 2, "text-anchor": "middle" }, message));
}

/** Domain of `values` widened by `padding` of its span on both sides, and to a span of at least `minSpan`. */
export function paddedExtent(values: number[], padding: number, minSpan: number): [number, number] {
  const [low, high] = d3.extent(values) as [number, number];
  const span = Math.max(high - low, minSpan);
  const middle = (low + high) / 2;
  return [middle - span * (0.5 + padding), middle + span * (0.5 + padding)];
}
