import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planMode } from "../../finetune/modes.js";
import { runFinetune } from "../../finetune/run.js";
import { runControls } from "../../finetune/controls.js";
import { exportModel, trainModel } from "../../distill/trainer.js";
import { writeSyntheticData } from "../../distill/trainer/synthetic.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { readModelFile } from "../../nn/onnx-reader.js";
import { weightTensors } from "../../nn/weights.js";
import { TINY_ARCHITECTURE, type ToyData, makeToyData } from "./helpers.js";

const ARCH = makeArchitecture(TINY_ARCHITECTURE);
let data: ToyData;

beforeAll(async () => {
  data = await makeToyData("modes");
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

function tune(overrides: Partial<Parameters<typeof runFinetune>[0]> & { out: string }) {
  return runFinetune({ base: data.base, data: [data.tune], val: data.tuneHeldout, mode: "full", lr: 0.01, epochs: 2, lambda: 1, batch: 128, ...overrides });
}

describe("fine-tuning modes", () => {
  it("plans freeze the right tensors", () => {
    expect(planMode({ mode: "full" }, ARCH).freeze).toEqual([]);
    expect(planMode({ mode: "head" }, ARCH).freeze).toEqual(["ft.weight", "ft.bias"]);
    expect(planMode({ mode: "head", headLayers: 1 }, ARCH).freeze).toEqual(["ft.weight", "ft.bias", "fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias"]);
    expect(() => planMode({ mode: "head", headLayers: 4 }, ARCH)).toThrow(/head layers/);
    const lora = planMode({ mode: "lora", rank: 2 }, ARCH);
    expect(lora.freeze).toHaveLength(8);
    expect(lora.settings).toMatchObject({ rank: 2, alpha: 2, scale: 1, targets: ["ft", "fc0", "fc1", "out"] });
  });

  it("head mode leaves the transformer unchanged", async () => {
    const result = await tune({ mode: "head", headLayers: 1, out: path.join(data.folder, "head.onnx") });
    const before = weightTensors(readModelFile(data.base).weights);
    const after = weightTensors(readModelFile(result.out).weights);
    for (let t = 0; t < 6; t++) expect(Array.from(after[t])).toEqual(Array.from(before[t]));
    expect(Array.from(after[6])).not.toEqual(Array.from(before[6]));
    expect(result.distance.map((d) => d.tensor)).toEqual(["ft.weight", "ft.bias", "fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias", "out.weight", "out.bias"]);
    expect(result.distance[0].absolute).toBe(0);
    expect(result.distance[6].relative).toBeGreaterThan(0);
  });

  it("card names the parent and the settings", async () => {
    const out = path.join(data.folder, "full.onnx");
    const result = await tune({ out, lr: 1e-3, epochs: 2, generalVal: data.baseVal });
    const card = readModelFile(out).card;
    const parent = readModelFile(data.base).card;
    expect(card.provenance.source).toBe("fine-tuned");
    expect(card.provenance.parentModel).toEqual({ name: "base.onnx", contentHash: parent.contentHash });
    expect(card.provenance.fineTuning).toMatchObject({ mode: "full", parentFile: "base.onnx", keepWeights: "last", heldout: { file: `${path.basename(data.folder)}/tune-heldout.bin` } });
    expect(card.provenance.training).toMatchObject({ learningRate: 1e-3, epochs: 2, lambda: 1, initialWeights: parent.contentHash });
    expect(result.contentHash).toBe(card.contentHash);
    expect(result.history).toHaveLength(2);
    expect(result.measurements.general?.samples).toBeGreaterThan(0);
    expect(result.measurements.general?.moveAgreement).not.toBeNull();
  });

  it("keeps the last epoch or the best", async () => {
    const common = { lr: 0.05, epochs: 6 };
    const last = await tune({ ...common, out: path.join(data.folder, "last.onnx") });
    const best = await tune({ ...common, keepWeights: "best", out: path.join(data.folder, "best.onnx") });
    expect(last.kept.epoch).toBe(6);
    expect(best.kept.valLoss).toBe(Math.min(...best.history.map((m) => m.valLoss)));
  });

  it("lambda 0 learns from results only", async () => {
    const result = await tune({ lambda: 0, out: path.join(data.folder, "results-only.onnx") });
    expect(readModelFile(result.out).card.provenance.training).toMatchObject({ lambda: 0 });
    expect(Number.isFinite(result.measurements.heldout.loss)).toBe(true);
  });
});

describe("controls", () => {
  // The controls need a base that generalises: 20,000 synthetic records, unlike the 2,000 above.
  const TEACHER_RECORDS = 20_000;
  const UNDER_TRAINED_SHARE = 0.02;

  it("positive improves and negative degrades", async () => {
    const teacher = path.join(data.folder, "teacher.bin");
    await writeSyntheticData(teacher, { records: TEACHER_RECORDS, seed: 11, maxPlies: 80 });
    const trained = await trainModel({
      data: [teacher], val: data.baseVal, architecture: TINY_ARCHITECTURE, batch: 128, epochs: 3, lr: 0.01, lambda: 1, seed: 7, moveAgreement: false,
    });
    const base = path.join(data.folder, "controls-base.onnx");
    exportModel(base, trained);
    const result = await runControls({
      base, val: data.baseVal, teacherData: [teacher], shuffleData: [data.tune], workDir: path.join(data.folder, "controls"),
      underTrainedShare: UNDER_TRAINED_SHARE, lr: 0.01, epochs: 2, lambda: 1, batch: 128,
    });
    expect(result.positive.underTrainedRecords).toBe(TEACHER_RECORDS * UNDER_TRAINED_SHARE);
    expect(result.positive.freshRecords).toBe(TEACHER_RECORDS * (1 - UNDER_TRAINED_SHARE));
    expect(result.positive.valAfter).toBeLessThan(result.positive.valBefore);
    expect(result.positive.passed).toBe(true);
    expect(result.negative.shuffledRecords).toBe(1000);
    expect(result.negative.valAfter).toBeGreaterThan(result.negative.valBefore);
    expect(result.negative.passed).toBe(true);
  });
});
