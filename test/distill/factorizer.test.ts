import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_ROWS, createExtension, factorizerSpec, kindRow } from "../../distill/trainer/factorizer.js";
import { Workspace, backward, backwardPlan, forward } from "../../distill/trainer/network.js";
import { networkTensorCount } from "../../distill/trainer/parameters.js";
import { initialWeights, trainModel } from "../../distill/trainer.js";
import { makeArchitecture } from "../../nn/architecture.js";
import { featureSet } from "../../nn/features.js";
import type { NetworkWeights } from "../../nn/weights.js";
import type { Position } from "../../shogi/position.js";
import { type TestData, makeTestData, tinyOptions } from "./helpers.js";
import { randomGamePositions } from "../helpers/random.js";

const P_ARCH = makeArchitecture({ featureSet: "p", l1: 8, hidden: [4, 4] });
const HALFKP_ARCH = makeArchitecture({ featureSet: "halfkp", l1: 8, hidden: [4, 4] });
/** Merged and hooked logits may differ by this much (float32 rounding of the merged sums). */
const MERGE_TOLERANCE = 1e-5;

function featuresOf(arch: typeof P_ARCH, pos: Position): { features: Int32Array; count: number } {
  const set = featureSet(arch.featureSet);
  const features = new Int32Array(2 * set.maxActive);
  set.activeFeatures(pos, pos.turn, features, 0);
  set.activeFeatures(pos, (pos.turn ^ 1) as 0 | 1, features, set.maxActive);
  return { features, count: set.maxActive };
}

function randomFactors(arch: typeof P_ARCH, seed: number): Float32Array[] {
  let state = seed;
  return createExtension().parameters(arch).map(({ rows, cols }) =>
    Float32Array.from({ length: rows * cols }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return 0.2 * (state / 4294967296 - 0.5);
    }),
  );
}

function cloneWeights(weights: NetworkWeights): NetworkWeights {
  return {
    ...weights,
    ftWeights: weights.ftWeights.slice(),
    ftBias: weights.ftBias.slice(),
    layers: weights.layers.map((layer) => ({ ...layer, weights: layer.weights.slice(), bias: layer.bias.slice() })),
  };
}

describe("feature factorisation", () => {
  it("maps BonaPieces to piece kinds", () => {
    expect(KIND_ROWS).toBe(32);
    expect(kindRow(0)).toBe(-1);
    expect([1, 19, 20, 38, 39, 43, 44, 88, 89].map(kindRow)).toEqual([0, 0, 1, 1, 2, 2, 3, 13, 13]);
    // Board pieces: own pawns on squares 90..170, enemy pawns from 171, enemy dragons up to 1547.
    expect([90, 170, 171, 251, 252, 1466, 1467, 1547].map(kindRow)).toEqual([14, 14, 15, 15, 16, 30, 31, 31]);
  });

  for (const arch of [P_ARCH, HALFKP_ARCH]) {
    it(`merged ${arch.featureSet} weights evaluate as the hooked network`, () => {
      const weights = initialWeights(arch, 3);
      weights.layers[2].weights.fill(0.3);
      const values = randomFactors(arch, 17);
      const extension = createExtension();
      const hooks = extension.hooks(values, networkTensorCount(arch), arch);
      const merged = cloneWeights(weights);
      extension.merge?.(merged, values);
      const ws = new Workspace(weights);
      let largest = 0;
      for (const pos of randomGamePositions(60, 5)) {
        const { features, count } = featuresOf(arch, pos);
        const hooked = forward(weights, ws, features, 0, count, hooks);
        const plain = forward(merged, ws, features, 0, count);
        const without = forward(weights, ws, features, 0, count);
        largest = Math.max(largest, Math.abs(hooked - without));
        expect(Math.abs(hooked - plain)).toBeLessThan(MERGE_TOLERANCE);
      }
      // The factors must change the output, or the comparison above proves nothing.
      expect(largest).toBeGreaterThan(1e-3);
    });
  }

  it("gradients of the factor rows match finite differences", () => {
    const arch = HALFKP_ARCH;
    const weights = initialWeights(arch, 9);
    weights.layers[2].weights.fill(0.3);
    const values = randomFactors(arch, 23);
    const first = networkTensorCount(arch);
    const hooks = createExtension().hooks(values, first, arch);
    const pos = randomGamePositions(30, 8)[29];
    const { features, count } = featuresOf(arch, pos);
    const ws = new Workspace(weights);
    const grads: Array<Float32Array | null> = [...Array.from({ length: first }, () => null), ...values.map((v) => new Float32Array(v.length))];
    const sink = { grads, markRow: () => undefined };
    const trainable = [...Array.from({ length: first }, () => false), true, true];
    forward(weights, ws, features, 0, count, hooks);
    backward(weights, ws, features, 0, count, 1, sink, backwardPlan(arch, trainable, hooks), hooks);
    const kind = kindRow(features[0] % 1548);
    for (const [tensor, index] of [[0, kind * arch.l1 + 2], [1, (features[0] % 1548) * arch.l1 + 5]]) {
      const saved = values[tensor][index];
      const h = 1e-3;
      values[tensor][index] = saved + h;
      const up = forward(weights, ws, features, 0, count, hooks);
      values[tensor][index] = saved - h;
      const down = forward(weights, ws, features, 0, count, hooks);
      values[tensor][index] = saved;
      expect(grads[first + tensor]![index]).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });
});

describe("training with factorised features", () => {
  let data: TestData;
  beforeAll(async () => {
    data = await makeTestData("factorize", 3000, 500, 4);
  });
  afterAll(() => rmSync(data.folder, { recursive: true, force: true }));

  it("learns material scores faster than the plain network and exports a plain model", async () => {
    const options = tinyOptions(data, { epochs: 2, workers: 1, moveAgreement: false });
    const plain = await trainModel(options);
    const factored = await trainModel({ ...options, extensions: [factorizerSpec()] });
    expect(factored.parameters.map((p) => p.name)).toContain("factor.kind");
    expect(factored.weights.ftWeights.length).toBe(plain.weights.ftWeights.length);
    expect(factored.best.valLoss).toBeLessThan(plain.best.valLoss);
  });
});
