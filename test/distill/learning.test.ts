import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateModel, initialWeights, trainModel } from "../../distill/trainer.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";

// A tiny "p" network learns the material teacher of the synthetic data: material is a sum of
// per-piece values, which the transformer can represent directly.
let data: TestData;

beforeAll(async () => {
  data = await makeTestData("learning", 6000, 1000, 21);
});

afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

describe("trainer learning", () => {
  it("learns material scores: loss falls, agreement rises", async () => {
    const options = tinyOptions(data, { epochs: 8, patience: 0, architecture: { featureSet: "p", l1: 16, hidden: [8, 8] } });
    const before = await evaluateModel(initialWeights(makeArchitecture({ featureSet: "p", l1: 16, hidden: [8, 8] }), 1), data.val, { lambda: 1 });
    const result = await trainModel(options);
    const after = result.best;

    // The initial output layer is zero, so every prediction starts at 0.5 and the loss at ln 2.
    expect(before.loss).toBeCloseTo(Math.LN2, 6);
    const excessBefore = before.loss - before.lossFloor;
    const excessAfter = after.valLoss - after.valLossFloor;
    expect(excessAfter, `excess loss ${excessBefore} -> ${excessAfter}`).toBeLessThan(0.6 * excessBefore);
    expect(after.moveAgreement as number).toBeGreaterThan((before.moveAgreement as number) + 0.3);
    expect(after.scoreCorrelation as number).toBeGreaterThan(0.6);
    expect(result.history[result.history.length - 1].trainLoss).toBeLessThan(result.history[0].trainLoss);
  });
});
