import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readRunData } from "../../reports/run-data.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUN = "test-quick-profile";
const runDir = path.join(root, "runs", RUN);
/** The quick profile takes about two minutes on two idle cores; CI shares them with other tests. */
const TIMEOUT_MS = 900_000;

describe("experiment, quick profile", () => {
  it("runs from the shipped base and data to the report, and a rerun resumes", () => {
    rmSync(runDir, { recursive: true, force: true });
    const first = spawnSync(process.execPath, ["bin/shogi-lab.js", "experiment", "--profile", "quick", "--run", RUN, "--json"], { cwd: root, encoding: "utf8", timeout: TIMEOUT_MS });
    expect(first.status, first.stderr).toBe(0);
    const data = readRunData(runDir);
    expect(data.variants.map((variant) => variant.mode).sort()).toEqual(["full", "head", "lora", "surroundings"]);
    for (const variant of data.variants) {
      expect(variant.results.map((result) => result.budget), variant.name).toEqual(["short", "long"]);
      expect(variant.verdict.evidence.text.length, variant.name).toBeGreaterThan(0);
    }
    expect(data.resolution.map((entry) => entry.budget)).toEqual(["short", "long"]);
    expect(existsSync(path.join(runDir, "report", "index.html"))).toBe(true);
    const summary = JSON.parse(readFileSync(path.join(runDir, "summary.json"), "utf8")) as { variants: unknown[] };
    expect(summary.variants.length).toBe(data.variants.length);
    for (const game of data.games) expect(existsSync(path.join(runDir, game.kif)), game.kif).toBe(true);

    // Everything is stored, so the rerun trains nothing and reports every game as already played.
    const again = spawnSync(process.execPath, ["bin/shogi-lab.js", "experiment", "--profile", "quick", "--run", RUN], { cwd: root, encoding: "utf8", timeout: TIMEOUT_MS });
    expect(again.status, again.stderr).toBe(0);
    const counts = [...again.stderr.matchAll(/(\d+)\/(\d+) games/g)];
    expect(counts.length).toBeGreaterThan(0);
    for (const [text, done, planned] of counts) expect(done, text).toBe(planned);
    rmSync(runDir, { recursive: true, force: true });
  }, TIMEOUT_MS * 2);
});
