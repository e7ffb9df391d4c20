import { describe, expect, it } from "vitest";
import { RowIndex } from "../../distill/trainer/transformer-rows.js";
import { seededRandom } from "../helpers/random.js";

// The update-phase row gradients must equal adding each sample's accumulator gradient into the
// rows of its features, the definition used by the finite-difference test.
const DIMENSIONS = 50;
const MAX_ACTIVE = 5;
const L1 = 6;
const SAMPLES = 9;

function inputs(seed: number): { features: Int32Array; accumulatorGrads: Float32Array } {
  const random = seededRandom(seed);
  const features = Int32Array.from({ length: SAMPLES * 2 * MAX_ACTIVE }, () => Math.floor(random() * DIMENSIONS));
  const accumulatorGrads = Float32Array.from({ length: SAMPLES * 2 * L1 }, () => random() - 0.5);
  return { features, accumulatorGrads };
}

/** Row gradients by direct addition, in float64. */
function directSums(features: Int32Array, accumulatorGrads: Float32Array): Float64Array {
  const sums = new Float64Array(DIMENSIONS * L1);
  for (let e = 0; e < features.length; e++) {
    const half = Math.floor(e / MAX_ACTIVE);
    for (let j = 0; j < L1; j++) sums[features[e] * L1 + j] += accumulatorGrads[half * L1 + j];
  }
  return sums;
}

describe("transformer row gradients", () => {
  for (const parts of [1, 2, 3]) {
    it(`equal direct sums with ${parts} part(s)`, () => {
      const { features, accumulatorGrads } = inputs(parts);
      const expected = directSums(features, accumulatorGrads);
      const index = new RowIndex(DIMENSIONS, features.length);
      const seen = new Set<number>();
      const g = new Float64Array(L1);
      for (let part = 0; part < parts; part++) {
        index.build(features, features.length, MAX_ACTIVE, part, parts);
        for (let i = 0; i < index.rowCount; i++) {
          const row = index.rows[i];
          expect(row % parts).toBe(part);
          expect(seen.has(row)).toBe(false);
          seen.add(row);
          index.sumRow(row, accumulatorGrads, L1, g);
          for (let j = 0; j < L1; j++) expect(g[j]).toBeCloseTo(expected[row * L1 + j], 6);
        }
      }
      expect(seen).toEqual(new Set(features));
    });
  }

  it("lists only the given samples", () => {
    const { features, accumulatorGrads } = inputs(4);
    const index = new RowIndex(DIMENSIONS, features.length);
    const entries = 3 * 2 * MAX_ACTIVE;
    index.build(features, entries, MAX_ACTIVE, 0, 1);
    const rows = Array.from(index.rows.subarray(0, index.rowCount));
    expect(new Set(rows)).toEqual(new Set(features.subarray(0, entries)));
    const expected = directSums(features.subarray(0, entries), accumulatorGrads);
    const g = new Float64Array(L1);
    index.sumRow(rows[0], accumulatorGrads, L1, g);
    for (let j = 0; j < L1; j++) expect(g[j]).toBeCloseTo(expected[rows[0] * L1 + j], 6);
  });
});
