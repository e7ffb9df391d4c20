import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SweepLine, type SweepResult, runSweep, sweepCells } from "../../finetune/sweep.js";
import { SweepPlanError, loadSweepPlan, parseSweepPlan } from "../../finetune/sweep-plan.js";
import { summarizeSweep } from "../../finetune/sweep-summary.js";
import { readModelFile } from "../../nn/onnx-reader.js";

const DATASETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../datasets");
const SHIPPED_PLAN = path.join(DATASETS, "sweep-plan.json");
const SOURCES = ["ranging-rook", "records", "gpsusi"];

let folder: string;
let first: SweepResult;

/**
 * Cuts the shipped plan down to two cells per source on the shipped data, with a tiny base that the
 * sweep trains on the general set first.
 */
function smallPlan(): unknown {
  const plan = JSON.parse(readFileSync(SHIPPED_PLAN, "utf8"));
  plan.name = "test-sweep";
  plan.base = { data: ["general/train.bin"], val: "general/val.bin", l1: 16, hidden: [8, 8], epochs: 1, lambda: 0.7 };
  plan.generalVal = "general/val.bin";
  plan.modes = [{ mode: "full" }, { mode: "lora", rank: 2 }];
  plan.learningRates = [1e-3];
  plan.epochs = [1];
  plan.searchVariants = [{ name: "depth-6", options: { DepthLimit: 6 } }];
  plan.out = path.join(folder, "out");
  return plan;
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "shogi-lab-sweep-"));
  first = await runSweep(parseSweepPlan(smallPlan(), DATASETS));
}, 300_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function lines<K extends SweepLine["kind"]>(kind: K): Array<Extract<SweepLine, { kind: K }>> {
  return first.lines.filter((line): line is Extract<SweepLine, { kind: K }> => line.kind === kind);
}

describe("fine-tuning sweep", () => {
  it("shipped plan lists the full grid", () => {
    const plan = loadSweepPlan(SHIPPED_PLAN);
    expect(typeof plan.base).toBe("string");
    expect(existsSync(plan.base as string)).toBe(true);
    expect(existsSync(plan.generalVal)).toBe(true);
    expect(plan.sources.map((source) => source.name)).toEqual(SOURCES);
    expect(plan.learningRates).toEqual([1e-5, 1e-4, 1e-3, 1e-2]);
    expect(sweepCells(plan)).toHaveLength(SOURCES.length * plan.modes.length * 4 * plan.epochs.length);
    for (const file of plan.sources.flatMap((source) => [...source.data, source.heldout])) expect(existsSync(file), file).toBe(true);
  });

  it("runs every line over the shipped data", () => {
    expect(first.interrupted).toBe(false);
    expect(lines("base").map((line) => line.source)).toEqual(SOURCES);
    expect(lines("variant")).toHaveLength(SOURCES.length * 2);
    expect(lines("surroundings").map((line) => line.name)).toEqual([...SOURCES.map((source) => `book-${source}`), "depth-6"]);
    for (const line of lines("variant")) {
      expect(existsSync(line.model), line.id).toBe(true);
      expect(readModelFile(line.model).card.provenance.parentModel?.contentHash).toBe(line.baseHash);
      expect(line.curves).toHaveLength(1);
      expect(line.measurements.general?.moveAgreement).not.toBeNull();
      expect(line.measurements.general?.scoreCorrelation).not.toBeNull();
      expect(Number.isFinite(line.measurements.finetune.loss), line.id).toBe(true);
      expect(Number.isFinite(line.measurements.heldout.loss), line.id).toBe(true);
      expect(line.distance.find((d) => d.tensor === "ft.weight")?.relative).toBeGreaterThan(0);
    }
  });

  it("source lambdas reach the cells", () => {
    const records = lines("variant").find((line) => line.source === "records");
    expect(records?.lambda).toBe(0);
    expect(readModelFile(records!.model).card.provenance.training).toMatchObject({ lambda: 0 });
    const other = lines("variant").find((line) => line.source === "ranging-rook");
    expect(other?.lambda).toBe(0.7);
  });

  it("builds a book per source with coverage", () => {
    for (const line of lines("surroundings").filter((l) => l.variant === "book")) {
      expect(existsSync(String(line.engineOptions.BookFile)), line.id).toBe(true);
      expect(line.book?.positions).toBeGreaterThan(0);
      expect(line.coverage?.positions).toBeGreaterThan(0);
    }
  });

  it("rerun skips finished lines", async () => {
    const plan = parseSweepPlan(JSON.parse(readFileSync(path.join(first.out, "plan.json"), "utf8")), first.out);
    const again = await runSweep(plan);
    expect(again.ran).toBe(0);
    expect(again.skipped).toBe(first.lines.length);
  });

  it("summary tables show every source", () => {
    const table = summarizeSweep(first.lines);
    for (const source of SOURCES) expect(table).toContain(`**${source}**`);
    expect(table).toContain("| full | 1e-3 |");
    expect(table).toContain("| lora-r2-a2 | 1e-3 |");
  });

  it("plan errors name the field", () => {
    expect(() => parseSweepPlan({ name: "x", base: "b.onnx", generalVal: "v.bin", sources: [] }, "/")).toThrow(SweepPlanError);
    expect(() => parseSweepPlan({ name: "x", base: "b.onnx", generalVal: "v.bin", sources: [{ name: "a", data: ["d"], heldout: "h", lambda: 2 }] }, "/"))
      .toThrow(/sources\[0\]\.lambda/);
    expect(() => parseSweepPlan({ name: "x", base: "b.onnx", generalVal: "v.bin", sources: [{ name: "a", data: ["d"], heldout: "h", lambda: 0 }], modes: [{ mode: "half" }] }, "/"))
      .toThrow(/modes/);
  });
});
