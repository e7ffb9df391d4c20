import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaterialEvaluator } from "../../engine/evaluator.js";
import { fitMaterialScale, materialStart } from "../../distill/trainer/material-init.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { NativeEvaluator } from "../../nn/native-evaluator.js";
import { type TestData, makeTestData } from "./helpers.js";
import { randomGamePositions } from "../helpers/random.js";

/** Float32 sums of about 40 rows at 1/50,000 per centipawn round to about this many centipawns. */
const CENTIPAWN_TOLERANCE = 0.5;

describe("material start", () => {
  for (const featureSet of ["p", "halfkp"] as const) {
    it(`evaluates ${featureSet} as scaled material`, () => {
      const arch = makeArchitecture({ featureSet, l1: 16, hidden: [8, 8] });
      const network = new NativeEvaluator(materialStart(arch, 3, 0.5));
      const material = new MaterialEvaluator();
      for (const pos of randomGamePositions(120, 11)) {
        network.reset(pos);
        expect(Math.abs(network.evaluate(pos) - 0.5 * material.evaluate(pos))).toBeLessThan(CENTIPAWN_TOLERANCE);
      }
    });
  }
});

describe("material scale fit", () => {
  let data: TestData;
  beforeAll(async () => {
    data = await makeTestData("material-scale", 2000, 10, 6);
  });
  afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

  it("finds scale 1 on material-labelled data", async () => {
    // The synthetic teacher scores are material centipawns, so with lambda 1 the best scale is 1.
    expect(await fitMaterialScale([data.train], 1, 600)).toBe(1);
  });
});
