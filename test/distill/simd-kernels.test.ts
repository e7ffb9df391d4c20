import { afterEach, describe, expect, it } from "vitest";
import { type SharedHeap, createHeap, heapFloats, heapInts } from "../../distill/trainer/heap.js";
import { accumulate, addOuter4, affine4, transposedProduct4, useSimdKernels } from "../../distill/trainer/kernels.js";
import { type OptimizerSettings, applyUpdate, stepFactors } from "../../distill/trainer/optimizer.js";
import { SimdKernels } from "../../distill/trainer/simd.js";
import { RowIndex } from "../../distill/trainer/transformer-rows.js";
import { seededRandom } from "../helpers/random.js";

// The WebAssembly SIMD kernels must compute what the JavaScript kernels compute, up to float32
// rounding: each case runs both on the same inputs and compares every element.
const TOLERANCE = 1e-5;
const ADAM: OptimizerSettings = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8, momentum: 0 };
const SGD: OptimizerSettings = { kind: "sgd", beta1: 0.9, beta2: 0.999, epsilon: 1e-8, momentum: 0.9 };

function setup(seed: number): { heap: SharedHeap; simd: SimdKernels; floats: (n: number) => Float32Array; random: () => number } {
  const heap = createHeap(8 << 20);
  if (!heap) throw new Error("shared WebAssembly memory is not available");
  const simd = SimdKernels.create(heap);
  if (!simd) throw new Error("the SIMD kernels did not load: run `npm run build` to compile asm/trainer-kernels.ts");
  const random = seededRandom(seed);
  const floats = (n: number) => {
    const array = heapFloats(heap, n);
    for (let i = 0; i < n; i++) array[i] = random() - 0.5;
    return array;
  };
  return { heap, simd, floats, random };
}

/** Runs `kernel` with the SIMD kernels bound and then without, on copies of `outputs`, and returns both results. */
function bothWays(outputs: Float32Array[], kernel: () => void): { simd: Float32Array[]; plain: Float32Array[] } {
  const initial = outputs.map((array) => array.slice());
  kernel();
  const simd = outputs.map((array) => array.slice());
  outputs.forEach((array, i) => array.set(initial[i]));
  useSimdKernels(null);
  kernel();
  return { simd, plain: outputs.map((array) => array.slice()) };
}

/** Makes every element non-negative in place, as Adam's second moment is. */
function absolute(array: Float32Array): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = Math.abs(array[i]);
  return array;
}

function expectClose(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((array, k) => {
    for (let i = 0; i < array.length; i++) expect(Math.abs(array[i] - expected[k][i])).toBeLessThan(TOLERANCE * (1 + Math.abs(expected[k][i])));
  });
}

afterEach(() => useSimdKernels(null));

describe("SIMD trainer kernels", () => {
  it("accumulate equals the JavaScript sum", () => {
    const { heap, simd, floats, random } = setup(1);
    const l1 = 24;
    const rows = floats(50 * l1);
    const bias = floats(l1);
    const features = heapInts(heap, 14);
    for (let i = 0; i < features.length; i++) features[i] = Math.floor(random() * 50);
    const acc = floats(2 * l1);
    useSimdKernels(simd);
    const result = bothWays([acc], () => {
      accumulate(rows, bias, l1, features, 0, 7, acc, 0);
      accumulate(rows, bias, l1, features, 7, 7, acc, l1);
    });
    expectClose(result.simd, result.plain);
    expect(result.simd[0][0]).not.toBe(0);
  });

  it("dense kernels equal the JavaScript ones", () => {
    const { simd, floats } = setup(2);
    const inputs = 36;
    const outputs = 8;
    const w = floats(inputs * outputs);
    const b = floats(outputs);
    const x = [0, 1, 2, 3].map(() => floats(inputs));
    const dz = [0, 1, 2, 3].map(() => floats(outputs));
    const z = [0, 1, 2, 3].map(() => floats(outputs));
    const dx = [0, 1, 2, 3].map(() => floats(inputs));
    const grad = floats(inputs * outputs);
    useSimdKernels(simd);
    const forward = bothWays(z, () => affine4(w, b, x[0], x[1], x[2], x[3], z[0], z[1], z[2], z[3]));
    expectClose(forward.simd, forward.plain);
    useSimdKernels(simd);
    const outer = bothWays([grad], () => addOuter4(grad, dz[0], dz[1], dz[2], dz[3], x[0], x[1], x[2], x[3]));
    expectClose(outer.simd, outer.plain);
    useSimdKernels(simd);
    const transposed = bothWays(dx, () => transposedProduct4(w, dz[0], dz[1], dz[2], dz[3], dx[0], dx[1], dx[2], dx[3]));
    expectClose(transposed.simd, transposed.plain);
  });

  for (const settings of [ADAM, SGD]) {
    it(`row update equals sumRow and ${settings.kind}`, () => {
      const { heap, simd, floats, random } = setup(3);
      const dimensions = 20;
      const maxActive = 3;
      // One 16-element block and one 4-element tail.
      const l1 = 20;
      const features = heapInts(heap, 10 * 2 * maxActive);
      for (let i = 0; i < features.length; i++) features[i] = Math.floor(random() * dimensions);
      const grads = floats(10 * 2 * l1);
      const value = floats(dimensions * l1);
      const state = [floats(dimensions * l1), absolute(floats(dimensions * l1))];
      const factors = stepFactors(settings, 3, 0.01);
      const index = new RowIndex(dimensions, features.length, (n) => heapInts(heap, n));
      const row = features[0];
      const expected = [value.slice(), ...state.map((s) => s.slice())];
      const before = value[row * l1];
      const g = new Float64Array(l1);
      index.build(features, features.length, maxActive, 0, 1);
      index.sumRow(row, grads, l1, g);
      applyUpdate(settings, factors, 1, expected[0], expected.slice(1), row * l1, g, l1);
      index.build(features, features.length, maxActive, 0, 1);
      index.selectRow(row);
      const bad = simd.rowUpdate(index.occurrences, index.rangeFirst, index.rangeEnd, grads, l1, value, state, row * l1, settings, factors, factors.lr);
      expect(bad).toBe(-1);
      expectClose([value, ...state], expected);
      expect(value[row * l1]).not.toBe(before);
    });
  }

  it("row update reports the first non-finite element", () => {
    const { heap, simd, floats } = setup(4);
    const l1 = 8;
    const features = heapInts(heap, 2);
    const grads = floats(2 * l1);
    grads[5] = Number.POSITIVE_INFINITY;
    const value = floats(l1);
    const state = [floats(l1), absolute(floats(l1))];
    const index = new RowIndex(1, 2, (n) => heapInts(heap, n));
    index.build(features, 2, 1, 0, 1);
    index.selectRow(0);
    const bad = simd.rowUpdate(index.occurrences, index.rangeFirst, index.rangeEnd, grads, l1, value, state, 0, SGD, stepFactors(SGD, 1, 0.1), 0.1);
    expect(bad).toBe(5);
  });

  it("arrays outside the heap fall back to JavaScript", () => {
    const { simd } = setup(5);
    const plain = new Float32Array(8);
    expect(simd.accumulate(plain, plain, 8, new Int32Array(1), 0, 1, plain, 0)).toBe(false);
  });
});
