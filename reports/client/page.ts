// The page script: draws the charts from the embedded run data, switches the language, and
// starts the live updates when a server (`shogi-lab serve`) delivers the page.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines
// and uses only named imports of other browser modules.

import { CHART_IDS, drawChart } from "../charts/index.js";
import { DEFAULT_LANGUAGE, type Language, type MessageKey, translate, translateDynamic } from "../i18n.js";
import type { RunData } from "../run-data.js";
import type { PageDocument, PageElement, PageWindow } from "./dom.js";
import { startLiveUpdates } from "./live.js";

export interface PageState {
  data: RunData;
  language: Language;
  /** Version of the data the page shows; the live server reports the version of its latest build. */
  version: string;
  /** True while a live update is being fetched, so polls do not overlap. */
  updating: boolean;
}

/** Id of the `<script type="application/json">` element that contains the run data. */
export const DATA_ELEMENT_ID = "run-data";
export const VERSION_META_NAME = "report-version";

export function startReportPage(doc: PageDocument, win: PageWindow): void {
  const state: PageState = { data: readEmbeddedData(doc), language: DEFAULT_LANGUAGE, version: readVersion(doc), updating: false };
  renderPage(doc, state);
  doc.querySelector("#language-toggle")?.addEventListener("click", () => {
    state.language = state.language === "en" ? "ja" : "en";
    renderPage(doc, state);
  });
  if (win.location.protocol === "http:") startLiveUpdates(doc, win, state);
}

export function readEmbeddedData(doc: PageDocument): RunData {
  const element = doc.querySelector(`#${DATA_ELEMENT_ID}`);
  return JSON.parse(element?.textContent ?? "null") as RunData;
}

export function readVersion(doc: PageDocument): string {
  return doc.querySelector(`meta[name="${VERSION_META_NAME}"]`)?.getAttribute("content") ?? "";
}

export function renderPage(doc: PageDocument, state: PageState): void {
  drawCharts(doc, state);
  applyLanguage(doc, state.language);
}

/** Draws every chart into its container, marking the container with the language drawn. */
export function drawCharts(doc: PageDocument, state: PageState): void {
  for (const id of CHART_IDS) {
    const container = doc.querySelector(`[data-chart="${id}"]`);
    if (container === null) continue;
    container.innerHTML = drawChart(id, state.data, state.language);
    container.setAttribute("data-drawn", state.language);
  }
}

/** Rewrites every localized text and label in `language`. */
export function applyLanguage(doc: PageDocument, language: Language): void {
  doc.documentElement.setAttribute("lang", language);
  for (const element of Array.from(doc.querySelectorAll("[data-i18n]"))) element.textContent = localizedText(element, language);
  for (const element of Array.from(doc.querySelectorAll("[data-i18n-aria-label]"))) {
    element.setAttribute("aria-label", translate(language, element.getAttribute("data-i18n-aria-label") as MessageKey));
  }
}

export function localizedText(element: PageElement, language: Language): string {
  const key = element.getAttribute("data-i18n") ?? "";
  const fallback = element.getAttribute("data-i18n-fallback");
  if (fallback !== null) return translateDynamic(language, key, fallback);
  const valuesText = element.getAttribute("data-i18n-values");
  const values = valuesText === null ? {} : (JSON.parse(valuesText) as Record<string, string>);
  return translate(language, key as MessageKey, values);
}
