// Live updates of a served page: polls the server's version endpoint and, when the server has
// rebuilt the report from changed run data, swaps in the new page content and redraws.
//
// This module also runs in the browser (see client-bundle.ts): it exports everything it defines
// and uses only named imports of other browser modules.

import { type MessageKey, translate } from "../i18n.js";
import type { PageDocument, PageWindow } from "./dom.js";
import { DATA_ELEMENT_ID, type PageState, readEmbeddedData, renderPage } from "./page.js";

export const LIVE_POLL_MS = 1500;
/** Paths the server (reports/serve.ts) serves besides the run folder, which it serves at the root. */
export const LIVE_VERSION_PATH = "/live/version";
export const LIVE_PAGE_PATH = "/report/index.html";

export interface LiveVersion {
  version: string;
  /** Error message of the latest rebuild, which failed; the page stays at the last good build. */
  error?: string;
}

export function startLiveUpdates(doc: PageDocument, win: PageWindow, state: PageState): void {
  win.setInterval(() => {
    if (!state.updating) void pollOnce(doc, win, state);
  }, LIVE_POLL_MS);
}

export async function pollOnce(doc: PageDocument, win: PageWindow, state: PageState): Promise<void> {
  state.updating = true;
  try {
    const response = await win.fetch(LIVE_VERSION_PATH, { cache: "no-store" });
    const live = (await response.json()) as LiveVersion;
    if (live.error !== undefined) setLiveStatus(doc, state, "page.liveError", { message: live.error });
    if (live.version === state.version) return;
    const page = await win.fetch(LIVE_PAGE_PATH, { cache: "no-store" });
    replacePage(doc, win, state, await page.text(), live.version);
  } catch (error) {
    setLiveStatus(doc, state, "page.liveError", { message: String(error) });
  } finally {
    state.updating = false;
  }
}

/** Replaces the page's main content and data with those of a newly built page. */
export function replacePage(doc: PageDocument, win: PageWindow, state: PageState, html: string, version: string): void {
  const next = new win.DOMParser().parseFromString(html, "text/html");
  const main = doc.querySelector("main");
  const nextMain = next.querySelector("main");
  const dataElement = doc.querySelector(`#${DATA_ELEMENT_ID}`);
  if (main === null || nextMain === null || dataElement === null) return;
  main.innerHTML = nextMain.innerHTML;
  dataElement.textContent = next.querySelector(`#${DATA_ELEMENT_ID}`)?.textContent ?? "null";
  state.data = readEmbeddedData(doc);
  state.version = version;
  renderPage(doc, state);
  setLiveStatus(doc, state, "page.liveStatus", { time: new Date().toLocaleTimeString() });
}

export function setLiveStatus(doc: PageDocument, state: PageState, key: MessageKey, values: Record<string, string>): void {
  const status = doc.querySelector("#live-status");
  if (status === null) return;
  status.setAttribute("data-i18n", key);
  status.setAttribute("data-i18n-values", JSON.stringify(values));
  status.textContent = translate(state.language, key, values);
}
