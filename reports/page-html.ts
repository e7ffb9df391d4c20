// The report page as one HTML document: styles, the run data as JSON, every section, the charts
// drawn for the first view, d3 and the page script, all inline so the file opens offline.

import { CHART_IDS, CHART_TITLE_KEYS, type ChartId } from "./charts/index.js";
import { escapeHtml, jsonForScript, localized, tag } from "./html.js";
import { type MessageKey, translate } from "./i18n.js";
import type { RunData } from "./run-data.js";
import { DATA_ELEMENT_ID, VERSION_META_NAME } from "./client/page.js";
import { REPORT_STYLES } from "./page-styles.js";
import { controlsSection, poolSection } from "./sections/results.js";
import { cardsSection, gamesSection, runSection } from "./sections/records.js";
import { summarySection } from "./sections/summary.js";
import { variantsSection } from "./sections/variants.js";
import { verdictsSection } from "./sections/verdicts.js";

export interface PageParts {
  /** Source of d3's browser bundle (d3.min.js). */
  d3Source: string;
  /** The page script from buildClientScript. */
  clientScript: string;
  /** Version of the data, which the live server compares. */
  version: string;
  /** English SVG of each chart, shown until the script draws. */
  charts: Readonly<Record<ChartId, string>>;
  /** Link from the page to a KIF record, given its path relative to the run folder. */
  recordHref: (kif: string) => string;
}

const NAVIGATION: Array<[string, MessageKey]> = [
  ["summary", "nav.summary"], ["charts", "nav.charts"], ["verdicts", "nav.verdicts"], ["controls", "nav.controls"], ["pool", "nav.pool"],
  ["variants", "nav.variants"], ["cards", "nav.cards"], ["games", "nav.games"], ["run", "nav.run"],
];

export function renderReportHtml(data: RunData, parts: PageParts): string {
  const titleValues = { name: data.run.name };
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="${VERSION_META_NAME}" content="${escapeHtml(parts.version)}">`,
    '<link rel="icon" href="data:,">',
    localized("title", "page.title", titleValues),
    tag("style", {}, REPORT_STYLES),
    tag("script", { id: DATA_ELEMENT_ID, type: "application/json" }, jsonForScript(data)),
  ].join("\n");
  const sections = [
    localized("h1", "page.title", titleValues),
    summarySection(data),
    chartsSection(parts.charts),
    verdictsSection(data),
    controlsSection(data),
    poolSection(data),
    variantsSection(data),
    cardsSection(data),
    gamesSection(data, parts.recordHref),
    runSection(data),
  ].join("\n");
  const scripts = `${tag("script", {}, parts.d3Source)}\n${tag("script", {}, parts.clientScript)}`;
  const body = `${pageHeader()}\n${tag("main", {}, sections)}\n${scripts}`;
  return `<!DOCTYPE html>\n${tag("html", { lang: "en" }, `${tag("head", {}, head)}\n${tag("body", {}, body)}`)}\n`;
}

function pageHeader(): string {
  const links = NAVIGATION.map(([id, key]) => localized("a", key, {}, { href: `#${id}` })).join(" ");
  const status = tag("span", { id: "live-status", role: "status" }, "");
  const toggle = localized("button", "page.languageToggle", {}, { id: "language-toggle", type: "button", "data-i18n-aria-label": "page.languageToggleLabel", "aria-label": translate("en", "page.languageToggleLabel") });
  return tag("header", {}, tag("nav", {}, links) + status + toggle);
}

function chartsSection(charts: Readonly<Record<ChartId, string>>): string {
  const figures = CHART_IDS.map((id) => {
    const caption = localized("figcaption", CHART_TITLE_KEYS[id]);
    const box = tag("div", { class: "chart-box", "data-chart": id }, charts[id]);
    const file = tag("p", { class: "chart-file" }, tag("a", { href: `${id}.svg` }, escapeHtml(`${id}.svg`)));
    return tag("figure", { class: "chart-figure", id: `figure-${id}` }, caption + box + file);
  });
  return tag("section", { id: "charts" }, localized("h2", "nav.charts") + figures.join("\n"));
}
