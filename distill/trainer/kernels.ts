// Inner loops of the forward and backward pass on Float32Arrays.
//
// Speed notes, an estimate from micro-benchmarks with Node 20 on a 2-core AMD EPYC machine. A loop
// that adds into an array element by element costs about 1.6 ns per element. A loop that keeps
// several sums in local variables and stores them once costs 0.4-0.9 ns. So the kernels sum
// columns in registers, and the "4" variants process four samples per pass, loading each weight
// once for all four. Sums are formed in double precision and rounded to float32 when stored.
//
// When a thread has bound the SIMD kernels (simd.ts) and a call's arrays lie in their heap, the
// 4-sample kernels and accumulate run in WebAssembly instead. In micro-benchmarks on the same
// machine the dense kernels ran about 5 times faster and accumulate about 2 times (an estimate).

import { MAX_ACTIVE } from "../../nn/features.js";
import type { SimdKernels } from "./simd.js";

/** Samples per group in the 4-sample kernels. */
export const GROUP_SIZE = 4;

/** Row offsets of one sample's features, both perspectives. */
const rowOffsets = new Int32Array(2 * MAX_ACTIVE);

/** SIMD kernels of this thread, or null. */
let simd: SimdKernels | null = null;

/** Binds this thread's SIMD kernels. With null, every call runs the JavaScript kernels. */
export function useSimdKernels(kernels: SimdKernels | null): void {
  simd = kernels;
}

export function clip01(x: number): number {
  if (x < 0) return 0;
  if (x > 1) return 1;
  return x;
}

/**
 * Writes bias + the sum of the rows (of width l1) of `count` features from features[offset] into
 * acc[base..], summing eight columns at a time over all rows.
 */
export function accumulate(
  rows: Float32Array, bias: Float32Array, l1: number, features: Int32Array, offset: number, count: number, acc: Float32Array, base: number,
): void {
  if (simd?.accumulate(rows, bias, l1, features, offset, count, acc, base)) return;
  for (let k = 0; k < count; k++) rowOffsets[k] = features[offset + k] * l1;
  let j = 0;
  for (; j + 8 <= l1; j += 8) {
    let a0 = bias[j], a1 = bias[j + 1], a2 = bias[j + 2], a3 = bias[j + 3];
    let a4 = bias[j + 4], a5 = bias[j + 5], a6 = bias[j + 6], a7 = bias[j + 7];
    for (let k = 0; k < count; k++) {
      const r = rowOffsets[k] + j;
      a0 += rows[r]; a1 += rows[r + 1]; a2 += rows[r + 2]; a3 += rows[r + 3];
      a4 += rows[r + 4]; a5 += rows[r + 5]; a6 += rows[r + 6]; a7 += rows[r + 7];
    }
    acc[base + j] = a0; acc[base + j + 1] = a1; acc[base + j + 2] = a2; acc[base + j + 3] = a3;
    acc[base + j + 4] = a4; acc[base + j + 5] = a5; acc[base + j + 6] = a6; acc[base + j + 7] = a7;
  }
  for (; j < l1; j++) {
    let a = bias[j];
    for (let k = 0; k < count; k++) a += rows[rowOffsets[k] + j];
    acc[base + j] = a;
  }
}

/** Adds grad[base..base+l1) to the rows (of width l1) of `count` features from features[offset]. */
export function addToRows(
  rowGrad: Float32Array, l1: number, features: Int32Array, offset: number, count: number, grad: Float32Array, base: number,
): void {
  for (let k = 0; k < count; k++) rowOffsets[k] = features[offset + k] * l1;
  let j = 0;
  for (; j + 8 <= l1; j += 8) {
    const d0 = grad[base + j], d1 = grad[base + j + 1], d2 = grad[base + j + 2], d3 = grad[base + j + 3];
    const d4 = grad[base + j + 4], d5 = grad[base + j + 5], d6 = grad[base + j + 6], d7 = grad[base + j + 7];
    if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) continue;
    for (let k = 0; k < count; k++) {
      const r = rowOffsets[k] + j;
      rowGrad[r] += d0; rowGrad[r + 1] += d1; rowGrad[r + 2] += d2; rowGrad[r + 3] += d3;
      rowGrad[r + 4] += d4; rowGrad[r + 5] += d5; rowGrad[r + 6] += d6; rowGrad[r + 7] += d7;
    }
  }
  for (; j < l1; j++) {
    const d = grad[base + j];
    if (d === 0) continue;
    for (let k = 0; k < count; k++) rowGrad[rowOffsets[k] + j] += d;
  }
}

/** z = W x + b for a row-major W [outputs][inputs], with four partial sums. */
export function affine(weights: Float32Array, bias: Float32Array, x: Float32Array, z: Float32Array): void {
  const inputs = x.length;
  const blocked = inputs - (inputs % 4);
  for (let o = 0; o < z.length; o++) {
    const row = o * inputs;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < blocked; i += 4) {
      s0 += weights[row + i] * x[i];
      s1 += weights[row + i + 1] * x[i + 1];
      s2 += weights[row + i + 2] * x[i + 2];
      s3 += weights[row + i + 3] * x[i + 3];
    }
    for (let i = blocked; i < inputs; i++) s0 += weights[row + i] * x[i];
    z[o] = bias[o] + (s0 + s1) + (s2 + s3);
  }
}

/** affine for four samples: each weight is loaded once and used four times. */
export function affine4(
  weights: Float32Array, bias: Float32Array, xa: Float32Array, xb: Float32Array, xc: Float32Array, xd: Float32Array,
  za: Float32Array, zb: Float32Array, zc: Float32Array, zd: Float32Array,
): void {
  if (simd?.affine4(weights, bias, [xa, xb, xc, xd], [za, zb, zc, zd])) return;
  const inputs = xa.length;
  for (let o = 0; o < za.length; o++) {
    const row = o * inputs;
    let sa = 0, sb = 0, sc = 0, sd = 0;
    for (let i = 0; i < inputs; i++) {
      const w = weights[row + i];
      sa += w * xa[i];
      sb += w * xb[i];
      sc += w * xc[i];
      sd += w * xd[i];
    }
    za[o] = bias[o] + sa;
    zb[o] = bias[o] + sb;
    zc[o] = bias[o] + sc;
    zd[o] = bias[o] + sd;
  }
}

/** grad += dz (outer) x, skipping zero entries of dz. */
export function addOuter(grad: Float32Array, dz: Float32Array, x: Float32Array): void {
  const inputs = x.length;
  for (let o = 0; o < dz.length; o++) {
    const g = dz[o];
    if (g === 0) continue;
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) grad[row + i] += g * x[i];
  }
}

/** addOuter for four samples: each gradient element is read and written once for all four. */
export function addOuter4(
  grad: Float32Array, dza: Float32Array, dzb: Float32Array, dzc: Float32Array, dzd: Float32Array,
  xa: Float32Array, xb: Float32Array, xc: Float32Array, xd: Float32Array,
): void {
  if (simd?.addOuter4(grad, [dza, dzb, dzc, dzd], [xa, xb, xc, xd])) return;
  const inputs = xa.length;
  for (let o = 0; o < dza.length; o++) {
    const ga = dza[o], gb = dzb[o], gc = dzc[o], gd = dzd[o];
    if (ga === 0 && gb === 0 && gc === 0 && gd === 0) continue;
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) grad[row + i] += ga * xa[i] + gb * xb[i] + gc * xc[i] + gd * xd[i];
  }
}

/** dx = W^T dz, four inputs at a time summed in registers over the outputs. */
export function transposedProduct(weights: Float32Array, dz: Float32Array, dx: Float32Array): void {
  const inputs = dx.length;
  const outputs = dz.length;
  const blocked = inputs - (inputs % 4);
  for (let i = 0; i < blocked; i += 4) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let o = 0; o < outputs; o++) {
      const g = dz[o];
      const w = o * inputs + i;
      a0 += g * weights[w];
      a1 += g * weights[w + 1];
      a2 += g * weights[w + 2];
      a3 += g * weights[w + 3];
    }
    dx[i] = a0;
    dx[i + 1] = a1;
    dx[i + 2] = a2;
    dx[i + 3] = a3;
  }
  for (let i = blocked; i < inputs; i++) {
    let a = 0;
    for (let o = 0; o < outputs; o++) a += dz[o] * weights[o * inputs + i];
    dx[i] = a;
  }
}

/** transposedProduct for four samples, two inputs at a time: each weight is loaded once for all four. */
export function transposedProduct4(
  weights: Float32Array, dza: Float32Array, dzb: Float32Array, dzc: Float32Array, dzd: Float32Array,
  dxa: Float32Array, dxb: Float32Array, dxc: Float32Array, dxd: Float32Array,
): void {
  if (simd?.transposedProduct4(weights, [dza, dzb, dzc, dzd], [dxa, dxb, dxc, dxd])) return;
  const inputs = dxa.length;
  const outputs = dza.length;
  let i = 0;
  for (; i + 2 <= inputs; i += 2) {
    let a0 = 0, b0 = 0, c0 = 0, d0 = 0, a1 = 0, b1 = 0, c1 = 0, d1 = 0;
    for (let o = 0; o < outputs; o++) {
      const w = o * inputs + i;
      const w0 = weights[w];
      const w1 = weights[w + 1];
      const ga = dza[o], gb = dzb[o], gc = dzc[o], gd = dzd[o];
      a0 += ga * w0; b0 += gb * w0; c0 += gc * w0; d0 += gd * w0;
      a1 += ga * w1; b1 += gb * w1; c1 += gc * w1; d1 += gd * w1;
    }
    dxa[i] = a0; dxb[i] = b0; dxc[i] = c0; dxd[i] = d0;
    dxa[i + 1] = a1; dxb[i + 1] = b1; dxc[i + 1] = c1; dxd[i + 1] = d1;
  }
  if (i < inputs) {
    transposedTail(weights, dza, dxa, i);
    transposedTail(weights, dzb, dxb, i);
    transposedTail(weights, dzc, dxc, i);
    transposedTail(weights, dzd, dxd, i);
  }
}

function transposedTail(weights: Float32Array, dz: Float32Array, dx: Float32Array, i: number): void {
  let a = 0;
  for (let o = 0; o < dz.length; o++) a += dz[o] * weights[o * dx.length + i];
  dx[i] = a;
}
