// Opens built reports in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
// Skips, saying why, where that browser is not installed.

import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../reports/build.js";
import { CHART_IDS, CHART_TITLE_KEYS } from "../../reports/charts/index.js";
import { MESSAGES_EN, MESSAGES_JA } from "../../reports/i18n.js";
import { readRunData, writeRunData, type RunData } from "../../reports/run-data.js";
import { type ReportServer, startReportServer } from "../../reports/serve.js";
import { HOSTILE, copyFixture, expectedMarks, makeHostileRun, removeDir } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
/** Without the background-networking flags Chromium tries to reach the network, which tests must not. */
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];
const VIEWPORT = { width: 1200, height: 900 };
/** Screenshots of the English and Japanese page, kept for a person to look at. */
const SCREENSHOT_DIR = path.join(os.tmpdir(), "shogi-lab-report-screenshots");
const LIVE_UPDATE_TIMEOUT_MS = 15_000;

// The callbacks given to page.evaluate run in the page; these describe the browser globals they
// use, because the project compiles without the DOM library.
interface BrowserElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  images: ArrayLike<unknown>;
  scripts: ArrayLike<unknown>;
  querySelector(selector: string): BrowserElement | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
};
declare const window: { __injected?: string };

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipping the report browser tests: ${CHROMIUM} not found (install it with: apt-get install chromium)`);

/** What went wrong while a page was open: console errors, page errors, failed or refused requests, dialogs. */
interface PageProblems {
  console: string[];
  requests: string[];
  dialogs: string[];
}

function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { console: [], requests: [], dialogs: [] };
  page.on("console", (message) => {
    if (message.type() === "error") problems.console.push(message.text());
  });
  page.on("pageerror", (error) => problems.console.push(error.message));
  page.on("requestfailed", (request) => problems.requests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.requests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  page.on("dialog", (dialog) => {
    problems.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return problems;
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.console).toEqual([]);
  expect(problems.requests).toEqual([]);
  expect(problems.dialogs).toEqual([]);
}

async function markCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelectorAll(`[data-chart="${id}"] svg .mark`).length])), [...CHART_IDS]);
}

describe.skipIf(!hasChromium)("report in Chromium", () => {
  let context: BrowserContext | undefined;
  let profileDir: string | undefined;
  const runDirs: string[] = [];

  beforeAll(async () => {
    profileDir = mkdtempSync(path.join(os.tmpdir(), "shogi-lab-chromium-"));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT });
  });

  afterAll(async () => {
    await context?.close();
    removeDir(profileDir);
    for (const dir of runDirs) removeDir(dir);
  });

  async function openBuilt(prepare?: (runDir: string) => void): Promise<{ page: Page; problems: PageProblems; data: RunData }> {
    const runDir = copyFixture();
    runDirs.push(runDir);
    prepare?.(runDir);
    const built = buildReport(runDir);
    const page = await (context as BrowserContext).newPage();
    const problems = watchProblems(page);
    await page.goto(pathToFileURL(built.page).href);
    await page.waitForFunction((count) => document.querySelectorAll("[data-chart][data-drawn]").length === count, CHART_IDS.length);
    return { page, problems, data: readRunData(runDir) };
  }

  it("draws every chart with its data points", async () => {
    const { page, problems, data } = await openBuilt();
    try {
      expect(await markCounts(page)).toEqual(expectedMarks(data));
      const variants = await page.evaluate(() => Array.from(document.querySelectorAll('[data-chart="elo-vs-base"] .mark')).map((mark) => mark.getAttribute("data-variant")));
      expect(new Set(variants)).toEqual(new Set(data.variants.map((variant) => variant.name)));
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "report-en.png"), fullPage: true });
      expectNoProblems(problems);
    } finally {
      await page.close();
    }
  });

  it("switches labels to Japanese and back", async () => {
    const { page, problems, data } = await openBuilt();
    try {
      const toggle = page.locator("#language-toggle");
      expect(await page.locator("#summary h2").textContent()).toBe(MESSAGES_EN["summary.heading"]);
      await toggle.click();
      await page.waitForSelector('html[lang="ja"]');
      expect(await page.locator("#summary h2").textContent()).toBe(MESSAGES_JA["summary.heading"]);
      expect(await toggle.textContent()).toBe(MESSAGES_JA["page.languageToggle"]);
      expect(await page.locator("#figure-elo-vs-base figcaption").textContent()).toBe(MESSAGES_JA[CHART_TITLE_KEYS["elo-vs-base"]]);
      expect(await page.locator('[data-chart="elo-vs-base"]').getAttribute("data-drawn")).toBe("ja");
      expect(await page.locator('[data-chart="elo-vs-base"] svg').textContent()).toContain(MESSAGES_JA["chart.elo"]);
      expect(await page.locator("table.headline thead th").first().textContent()).toBe(MESSAGES_JA["table.variant"]);
      expect(await page.locator("ul.verdicts .verdict").first().textContent()).toBe(MESSAGES_JA[`verdict.${data.variants[0].verdict.verdict}`]);
      expect(await markCounts(page)).toEqual(expectedMarks(data));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "report-ja.png") });
      await toggle.click();
      await page.waitForSelector('html[lang="en"]');
      expect(await page.locator("#summary h2").textContent()).toBe(MESSAGES_EN["summary.heading"]);
      expect(await page.locator('[data-chart="elo-vs-base"] svg').textContent()).toContain(MESSAGES_EN["chart.elo"]);
      expectNoProblems(problems);
    } finally {
      await page.close();
    }
  });

  it("markup in names injects nothing", async () => {
    const { page, problems } = await openBuilt((runDir) => makeHostileRun(runDir));
    try {
      const counts = await page.evaluate(() => ({
        images: document.images.length,
        iframes: document.querySelectorAll("iframe").length,
        scripts: document.scripts.length,
        bold: document.querySelectorAll("main b").length,
        injected: window.__injected ?? null,
      }));
      expect(counts).toEqual({ images: 0, iframes: 0, scripts: 3, bold: 0, injected: null });
      expect(await page.locator("table.headline tbody tr").first().locator("td").first().textContent()).toBe(HOSTILE.variant);
      expect(await page.locator("h1").textContent()).toBe(`Fine-tuning report: ${HOSTILE.run}`);
      expect(await page.title()).toBe(`Fine-tuning report: ${HOSTILE.run}`);
      await page.locator("#language-toggle").click();
      await page.waitForSelector('html[lang="ja"]');
      expect(await page.evaluate(() => document.images.length + document.querySelectorAll("iframe").length)).toBe(0);
      expectNoProblems(problems);
    } finally {
      await page.close();
    }
  });

  it("served page follows changed data", async () => {
    const runDir = copyFixture("shogi-lab-serve-");
    runDirs.push(runDir);
    let server: ReportServer | undefined;
    const page = await (context as BrowserContext).newPage();
    try {
      server = await startReportServer({ runDir, port: 0 });
      const problems = watchProblems(page);
      await page.goto(server.url);
      await page.locator("#language-toggle").click();
      const data = readRunData(runDir);
      data.run.name = "live-renamed";
      data.variants[0].results[0].elo = 12.5;
      writeRunData(runDir, data);
      await page.waitForFunction(() => document.querySelector("h1")?.textContent?.includes("live-renamed"), undefined, { timeout: LIVE_UPDATE_TIMEOUT_MS });
      expect(await page.locator("h1").textContent()).toBe(`ファインチューニング報告: live-renamed`);
      expect(await page.locator("#live-status").textContent()).toMatch(/^ライブ: /);
      const mark = page.locator(`[data-chart="elo-vs-base"] .mark[data-variant="${data.variants[0].name}"][data-budget="${data.variants[0].results[0].budget}"]`);
      expect(await mark.getAttribute("data-elo")).toBe("12.5");
      expect(await markCounts(page)).toEqual(expectedMarks(data));
      expectNoProblems(problems);
    } finally {
      await page.close();
      await server?.close();
    }
  });
});
