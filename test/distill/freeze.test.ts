import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialWeights, trainModel } from "../../distill/trainer.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { weightTensors } from "../../nn/weights.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";

// What the fine-tuning lab builds on: starting from given weights, freezing tensors by name, and
// extensions that add their own trained tensors through the forward and backward hooks.
const ARCH = makeArchitecture({ featureSet: "p", l1: 16, hidden: [8, 8] });
const OFFSET_EXTENSION = fileURLToPath(new URL("./fixtures/output-offset-extension.mjs", import.meta.url));
let data: TestData;

beforeAll(async () => {
  data = await makeTestData("freeze", 1000, 200, 71);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

describe("trainer freezing and extensions", () => {
  it("leaves frozen tensors unchanged", async () => {
    const start = initialWeights(ARCH, 3);
    start.layers[2].weights.fill(0.01);
    const frozen = ["ft.weight", "ft.bias", "fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias"];
    const result = await trainModel(tinyOptions(data, { epochs: 1, freeze: frozen }), start);
    const before = weightTensors(start);
    const after = weightTensors(result.weights);
    for (let t = 0; t < 6; t++) expect(Array.from(after[t]), frozen[t]).toEqual(Array.from(before[t]));
    expect(Array.from(after[6])).not.toEqual(Array.from(before[6]));
  });

  it("trains an extension's tensor through the hooks", async () => {
    const start = initialWeights(ARCH, 3);
    const frozen = ["ft.weight", "ft.bias", "fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias", "out.weight", "out.bias"];
    const extensions = [{ module: OFFSET_EXTENSION }];
    const inline = await trainModel(tinyOptions(data, { epochs: 2, freeze: frozen, extensions, lr: 0.05 }), start);
    const pooled = await trainModel(tinyOptions(data, { epochs: 2, freeze: frozen, extensions, lr: 0.05, workers: 2 }), start);
    const offset = inline.parameters.find((p) => p.name === "offset.value")?.value[0] as number;
    expect(Math.abs(offset)).toBeGreaterThan(0.01);
    expect(pooled.parameters.find((p) => p.name === "offset.value")?.value[0]).toBeCloseTo(offset, 5);
    // The extension folds its offset into out.bias on export.
    expect(inline.weights.layers[2].bias[0]).toBeCloseTo(start.layers[2].bias[0] + offset, 6);
  });
});
