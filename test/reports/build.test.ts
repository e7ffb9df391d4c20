import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import * as d3 from "d3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport, type BuildResult } from "../../reports/build.js";
import { CHART_IDS, type ChartId, drawChart } from "../../reports/charts/index.js";
import { BROWSER_MODULES, buildClientScript, moduleDeclarations } from "../../reports/client-bundle.js";
import { jsonForScript } from "../../reports/html.js";
import { MESSAGES_EN } from "../../reports/i18n.js";
import { readRunData, writeRunData, type RunData } from "../../reports/run-data.js";
import { HOSTILE, copyFixture, expectedMarks, makeHostileRun, marksOf, removeDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Returns the text of the `<script type="application/json">` element that contains the run data. */
function embeddedJson(html: string): string {
  const match = /<script id="run-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (match === null) throw new Error("the page has no run-data script element");
  return match[1];
}

describe("buildReport", () => {
  let runDir: string;
  let built: BuildResult;
  let data: RunData;
  let html: string;

  beforeAll(() => {
    runDir = copyFixture();
    built = buildReport(runDir);
    data = readRunData(runDir);
    html = readFileSync(built.page, "utf8");
  });
  afterAll(() => removeDir(runDir));

  it("writes index.html in report/", () => {
    expect(built.page).toBe(path.join(runDir, "report", "index.html"));
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("writes one SVG file per chart", () => {
    for (const id of CHART_IDS) {
      expect(built.svgFiles[id]).toBe(path.join(runDir, "report", `${id}.svg`));
      const svg = readFileSync(built.svgFiles[id], "utf8");
      expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`id="chart-${id}"`);
    }
  });

  it("SVG files draw every data point", () => {
    const expected = expectedMarks(data);
    for (const id of CHART_IDS) {
      const marks = marksOf(readFileSync(built.svgFiles[id], "utf8"));
      expect(marks.length, id).toBe(expected[id]);
      expect(expected[id], id).toBeGreaterThan(0);
    }
  });

  it("Elo marks carry each result", () => {
    const marks = marksOf(readFileSync(built.svgFiles["elo-vs-base"], "utf8"));
    for (const variant of data.variants) {
      for (const result of variant.results) {
        const mark = marks.find((entry) => entry["data-variant"] === variant.name && entry["data-budget"] === result.budget);
        expect(mark, `${variant.name} at ${result.budget}`).toBeDefined();
        expect(Number(mark?.["data-elo"])).toBe(result.elo);
        expect(Number(mark?.["data-lower"])).toBe(result.eloLower);
        expect(Number(mark?.["data-upper"])).toBe(result.eloUpper);
      }
    }
  });

  it("sweep marks carry learning rate and epochs", () => {
    const byRate = marksOf(readFileSync(built.svgFiles["elo-vs-learning-rate"], "utf8"));
    const byEpochs = marksOf(readFileSync(built.svgFiles["elo-vs-epochs"], "utf8"));
    for (const variant of data.variants.filter((entry) => entry.learningRate !== undefined)) {
      const rateMarks = byRate.filter((mark) => mark["data-variant"] === variant.name);
      const epochMarks = byEpochs.filter((mark) => mark["data-variant"] === variant.name);
      expect(rateMarks.map((mark) => Number(mark["data-x"])), variant.name).toEqual(variant.results.map(() => variant.learningRate));
      expect(epochMarks.map((mark) => Number(mark["data-x"])), variant.name).toEqual(variant.results.map(() => variant.epochs));
    }
  });

  it("loss marks carry each curve point", () => {
    const marks = marksOf(readFileSync(built.svgFiles["loss-curves"], "utf8"));
    for (const point of data.curves) {
      const mark = marks.find((entry) => entry["data-variant"] === point.variant && entry["data-epoch"] === String(point.epoch) && entry["data-metric"] === "heldOutLoss");
      expect(Number(mark?.["data-loss"]), `${point.variant} epoch ${point.epoch}`).toBe(point.heldOutLoss);
    }
    const scatter = marksOf(readFileSync(built.svgFiles["loss-scatter"], "utf8"));
    for (const variant of data.variants.filter((entry) => entry.losses !== undefined)) {
      const mark = scatter.find((entry) => entry["data-variant"] === variant.name);
      expect(Number(mark?.["data-x"]), variant.name).toBe(variant.losses?.fineTuning.after);
      expect(Number(mark?.["data-y"]), variant.name).toBe(variant.losses?.generalValidation.after);
    }
  });

  it("page shows the SVG of each chart", () => {
    for (const id of CHART_IDS) {
      const svg = readFileSync(built.svgFiles[id], "utf8").replace(/^<\?xml[^>]*>\n/, "");
      expect(html).toContain(`data-chart="${id}">${svg}</div>`);
    }
  });

  it("page is self-contained", () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    expect(html).not.toMatch(/<link[^>]*\shref="(?!data:)/);
    expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//);
    expect(html).toContain("https://d3js.org v7");
    expect(html.match(/<script\b/g)?.length).toBe(3);
  });

  it("page embeds the data as JSON", () => {
    const json = embeddedJson(html);
    expect(json).not.toContain("<");
    expect(JSON.parse(json)).toEqual(data);
    expect(html).toContain(`<meta name="report-version" content="${built.version}">`);
  });

  it("links each game to its KIF record", () => {
    for (const game of data.games) {
      const href = `../${game.kif}`;
      expect(html).toContain(`href="${href}"`);
      expect(existsSync(path.resolve(path.dirname(built.page), href))).toBe(true);
    }
  });

  it("states the resolution per budget", () => {
    for (const entry of data.resolution) {
      expect(html).toContain(`±${entry.eloHalfWidth.toFixed(1)} Elo: differences smaller than about ${entry.eloHalfWidth.toFixed(1)} Elo cannot be told apart from zero.`);
    }
  });

  it("writes elsewhere with outDir", () => {
    const outDir = path.join(runDir, "elsewhere", "page");
    const other = buildReport(runDir, { outDir });
    expect(other.page).toBe(path.join(outDir, "index.html"));
    expect(readFileSync(other.page, "utf8")).toContain(`href="../../${data.games[0].kif}"`);
  });
});

describe("buildReport before any results", () => {
  let runDir: string;
  beforeAll(() => {
    runDir = copyFixture();
    const data = readRunData(runDir);
    writeRunData(runDir, { ...data, variants: [], controls: [], curves: [], pool: [], games: [], resolution: [] });
  });
  afterAll(() => removeDir(runDir));

  it("draws empty charts and says so", () => {
    const built = buildReport(runDir);
    for (const id of CHART_IDS) {
      const svg = readFileSync(built.svgFiles[id], "utf8");
      expect(marksOf(svg), id).toEqual([]);
      expect(svg, id).toContain(MESSAGES_EN["chart.noData"]);
    }
    const html = readFileSync(built.page, "utf8");
    expect(html).toContain(MESSAGES_EN["summary.noResolution"]);
    expect(html).toContain(MESSAGES_EN["controls.none"]);
  });

  it("page script draws the empty charts", () => {
    const data = readRunData(runDir);
    const declarations = moduleDeclarations(BROWSER_MODULES).join("\n");
    const browser = new Function("d3", `${declarations}\nreturn { drawChart };`)(d3) as { drawChart: typeof drawChart };
    for (const id of CHART_IDS) expect(browser.drawChart(id, data, "ja"), id).toBe(drawChart(id, data, "ja"));
  });
});

describe("page script", () => {
  it("compiles as one script", () => {
    const script = buildClientScript();
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toMatch(/<\/script/i);
  });

  it("draws the same charts as Node", () => {
    const data = readRunData(fileURLToPath(new URL("../fixtures/run-data", import.meta.url)));
    const declarations = moduleDeclarations(BROWSER_MODULES).join("\n");
    const browser = new Function("d3", `${declarations}\nreturn { drawChart };`)(d3) as { drawChart: typeof drawChart };
    for (const id of CHART_IDS) {
      for (const language of ["en", "ja"] as const) expect(browser.drawChart(id, data, language), `${id} ${language}`).toBe(drawChart(id, data, language));
    }
  });

  it("rejects exports that clash", () => {
    expect(() => moduleDeclarations({ "a.ts": { size: 1 }, "b.ts": { size: 2 } })).toThrow(/export "size" of b\.ts clashes/);
  });

  it("rejects values JSON cannot carry", () => {
    expect(() => moduleDeclarations({ "a.ts": { limit: Infinity } })).toThrow(/does not survive JSON/);
  });
});

describe("escaping", () => {
  let runDir: string;
  let html: string;
  let data: RunData;
  let svgs: Record<ChartId, string>;

  beforeAll(() => {
    runDir = copyFixture();
    data = makeHostileRun(runDir);
    const built = buildReport(runDir);
    html = readFileSync(built.page, "utf8");
    svgs = Object.fromEntries(CHART_IDS.map((id) => [id, readFileSync(built.svgFiles[id], "utf8")])) as Record<ChartId, string>;
  });
  afterAll(() => removeDir(runDir));

  it("page contains no raw markup from names", () => {
    for (const name of Object.values(HOSTILE)) expect(html).not.toContain(name);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<iframe\b/i);
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).not.toMatch(/<b>long/);
    expect(html.match(/<script\b/g)?.length).toBe(3);
  });

  it("page shows names as escaped text", () => {
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;script&gt;window.__injected = &#39;variant&#39;&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(3)&gt;");
  });

  it("embedded JSON keeps names intact", () => {
    const json = embeddedJson(html);
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(data);
  });

  it("jsonForScript escapes closing tags and line separators", () => {
    expect(jsonForScript({ name: "</script>\u2028&" })).toBe('{"name":"\\u003c/script\\u003e\\u2028\\u0026"}');
  });

  it("SVG files contain no raw markup from names", () => {
    for (const id of CHART_IDS) {
      for (const name of Object.values(HOSTILE)) expect(svgs[id], id).not.toContain(name);
      expect(svgs[id], id).not.toMatch(/<(?:img|script|iframe|b)\b/i);
    }
    const marks = marksOf(svgs["elo-vs-base"]);
    expect(marks.some((mark) => mark["data-variant"] === HOSTILE.variant && mark["data-budget"] === HOSTILE.budget)).toBe(true);
  });
});

describe("shogi-lab report", () => {
  let runDir: string;
  beforeAll(() => {
    runDir = copyFixture();
  });
  afterAll(() => removeDir(runDir));

  it("prints the page path", () => {
    const child = spawnSync(process.execPath, ["bin/shogi-lab.js", "report", "--run", runDir], { cwd: ROOT, encoding: "utf8" });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(`${path.join(runDir, "report", "index.html")}\n`);
    expect(existsSync(path.join(runDir, "report", "loss-curves.svg"))).toBe(true);
  });

  it("fails clearly without run data", () => {
    const child = spawnSync(process.execPath, ["bin/shogi-lab.js", "report", "--run", path.join(runDir, "missing")], { cwd: ROOT, encoding: "utf8" });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain("cannot read the run data");
  });
});

describe("buildReport with general losses measured only at some epochs", () => {
  let runDir: string;
  beforeAll(() => {
    runDir = copyFixture();
    const data = readRunData(runDir);
    const curves = data.curves.map((point, i) => (i % 2 === 1 ? { ...point, generalValidationLoss: null } : point));
    writeRunData(runDir, { ...data, curves });
  });
  afterAll(() => removeDir(runDir));

  it("leaves the unmeasured points out of the general-loss line", () => {
    const built = buildReport(runDir);
    const data = readRunData(runDir);
    const marks = marksOf(readFileSync(built.svgFiles["loss-curves"], "utf8"));
    const general = marks.filter((mark) => mark["data-metric"] === "generalValidationLoss");
    expect(general.length).toBe(data.curves.filter((point) => point.generalValidationLoss !== null).length);
    expect(marks.length).toBe(expectedMarks(data)["loss-curves"]);
  });
});
