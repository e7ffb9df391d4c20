// Builds the report of a run folder from its saved data: report/index.html, self-contained (d3,
// the data and the page script inline), and one .svg file per chart beside it.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CHART_IDS, type ChartId, drawChart } from "./charts/index.js";
import { buildClientScript, escapeInlineScript } from "./client-bundle.js";
import { DEFAULT_LANGUAGE } from "./i18n.js";
import { renderReportHtml } from "./page-html.js";
import type { RunData } from "./run-data.js";
import { readRunData } from "./run-data-file.js";

/** Folder of the report inside the run folder. */
export const REPORT_DIR = "report";
export const REPORT_PAGE = "index.html";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** Hex digits of the data hash kept as the page's version. */
const VERSION_LENGTH = 16;

export interface BuildOptions {
  /** Folder for the page and the SVG files; `report/` inside the run folder by default. */
  outDir?: string;
}

export interface BuildResult {
  /** Absolute path of index.html. */
  page: string;
  /** Absolute path of each chart's SVG file. */
  svgFiles: Record<ChartId, string>;
  /** Hash of the run data the page shows. */
  version: string;
}

/** Reads `run-data.json` of `runDir` and writes the report; throws when the data is missing or invalid. */
export function buildReport(runDir: string, options: BuildOptions = {}): BuildResult {
  const data = readRunData(runDir);
  const outDir = path.resolve(options.outDir ?? path.join(runDir, REPORT_DIR));
  mkdirSync(outDir, { recursive: true });

  const charts = drawAllCharts(data);
  const svgFiles = {} as Record<ChartId, string>;
  for (const id of CHART_IDS) {
    svgFiles[id] = path.join(outDir, `${id}.svg`);
    writeAtomically(svgFiles[id], XML_DECLARATION + charts[id]);
  }

  const version = dataVersion(data);
  const html = renderReportHtml(data, {
    d3Source: readD3Bundle(),
    clientScript: buildClientScript(),
    version,
    charts,
    recordHref: (kif) => recordLink(path.resolve(runDir), outDir, kif),
  });
  const page = path.join(outDir, REPORT_PAGE);
  writeAtomically(page, html);
  return { page, svgFiles, version };
}

export function drawAllCharts(data: RunData): Record<ChartId, string> {
  const charts = {} as Record<ChartId, string>;
  for (const id of CHART_IDS) charts[id] = drawChart(id, data, DEFAULT_LANGUAGE);
  return charts;
}

/** Returns a short hash of the data, which changes whenever the data does. */
export function dataVersion(data: RunData): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, VERSION_LENGTH);
}

/** Reads d3's minified browser bundle and makes it safe for an inline script element. */
export function readD3Bundle(): string {
  const moduleEntry = createRequire(import.meta.url).resolve("d3");
  return escapeInlineScript(readFileSync(path.join(path.dirname(moduleEntry), "d3.min.js"), "utf8"));
}

/** Returns the link from the page folder to a record inside the run folder, with each path segment URL-encoded. */
export function recordLink(runDir: string, pageDir: string, kif: string): string {
  const relative = path.relative(pageDir, path.join(runDir, ...kif.split("/")));
  return relative.split(path.sep).map((segment) => (segment === ".." ? segment : encodeURIComponent(segment))).join("/");
}

/** Writes through a temporary file and a rename, so a reader (the live server) never reads half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
