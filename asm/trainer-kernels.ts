// SIMD kernels of the trainer, in AssemblyScript, compiled to WebAssembly (asm/asconfig.json).
//
// Every argument named like an array is a byte address in the shared memory that the trainer
// allocates (distill/trainer/heap.ts). The callers in distill/trainer/simd.ts check the layout
// rules: widths that are multiples of 4 and arrays inside this memory. Sums are formed in float32,
// four lanes at a time, so they differ from the JavaScript kernels in the last bits.

/** Writes bias + the sum of `count` rows (of width l1) named by the int32 features into acc. */
export function accumulate(rows: usize, bias: usize, l1: i32, features: usize, count: i32, acc: usize): void {
  const width = <usize>l1 << 2;
  let j: usize = 0;
  // One 64-byte cache line of each row per pass.
  for (; j + 64 <= width; j += 64) {
    let a0 = v128.load(bias + j);
    let a1 = v128.load(bias + j + 16);
    let a2 = v128.load(bias + j + 32);
    let a3 = v128.load(bias + j + 48);
    for (let k = 0; k < count; k++) {
      const row = rows + <usize>load<i32>(features + (<usize>k << 2)) * width + j;
      a0 = f32x4.add(a0, v128.load(row));
      a1 = f32x4.add(a1, v128.load(row + 16));
      a2 = f32x4.add(a2, v128.load(row + 32));
      a3 = f32x4.add(a3, v128.load(row + 48));
    }
    v128.store(acc + j, a0);
    v128.store(acc + j + 16, a1);
    v128.store(acc + j + 32, a2);
    v128.store(acc + j + 48, a3);
  }
  for (; j < width; j += 16) {
    let a = v128.load(bias + j);
    for (let k = 0; k < count; k++) a = f32x4.add(a, v128.load(rows + <usize>load<i32>(features + (<usize>k << 2)) * width + j));
    v128.store(acc + j, a);
  }
}

function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** z = W x + b for four samples (xa..xd into za..zd), W row-major [outputs][inputs]. */
export function affine4(
  weights: usize, bias: usize, xa: usize, xb: usize, xc: usize, xd: usize,
  za: usize, zb: usize, zc: usize, zd: usize, inputs: i32, outputs: i32,
): void {
  const width = <usize>inputs << 2;
  for (let o = 0; o < outputs; o++) {
    const row = weights + <usize>o * width;
    let sa = f32x4.splat(0), sb = f32x4.splat(0), sc = f32x4.splat(0), sd = f32x4.splat(0);
    for (let i: usize = 0; i < width; i += 16) {
      const w = v128.load(row + i);
      sa = f32x4.add(sa, f32x4.mul(w, v128.load(xa + i)));
      sb = f32x4.add(sb, f32x4.mul(w, v128.load(xb + i)));
      sc = f32x4.add(sc, f32x4.mul(w, v128.load(xc + i)));
      sd = f32x4.add(sd, f32x4.mul(w, v128.load(xd + i)));
    }
    const b = load<f32>(bias + (<usize>o << 2));
    const at = <usize>o << 2;
    store<f32>(za + at, b + horizontalSum(sa));
    store<f32>(zb + at, b + horizontalSum(sb));
    store<f32>(zc + at, b + horizontalSum(sc));
    store<f32>(zd + at, b + horizontalSum(sd));
  }
}

/** grad += the outer products dz (x) x of four samples, skipping outputs whose four dz are zero. */
export function addOuter4(
  grad: usize, dza: usize, dzb: usize, dzc: usize, dzd: usize,
  xa: usize, xb: usize, xc: usize, xd: usize, inputs: i32, outputs: i32,
): void {
  const width = <usize>inputs << 2;
  for (let o = 0; o < outputs; o++) {
    const at = <usize>o << 2;
    const ga = load<f32>(dza + at), gb = load<f32>(dzb + at), gc = load<f32>(dzc + at), gd = load<f32>(dzd + at);
    if (ga == 0 && gb == 0 && gc == 0 && gd == 0) continue;
    const va = f32x4.splat(ga), vb = f32x4.splat(gb), vc = f32x4.splat(gc), vd = f32x4.splat(gd);
    const row = grad + <usize>o * width;
    for (let i: usize = 0; i < width; i += 16) {
      let sum = f32x4.add(f32x4.mul(va, v128.load(xa + i)), f32x4.mul(vb, v128.load(xb + i)));
      sum = f32x4.add(sum, f32x4.add(f32x4.mul(vc, v128.load(xc + i)), f32x4.mul(vd, v128.load(xd + i))));
      v128.store(row + i, f32x4.add(v128.load(row + i), sum));
    }
  }
}

/** dx = W^T dz for four samples, four inputs per pass. */
export function transposedProduct4(
  weights: usize, dza: usize, dzb: usize, dzc: usize, dzd: usize,
  dxa: usize, dxb: usize, dxc: usize, dxd: usize, inputs: i32, outputs: i32,
): void {
  const width = <usize>inputs << 2;
  for (let i: usize = 0; i < width; i += 16) {
    let sa = f32x4.splat(0), sb = f32x4.splat(0), sc = f32x4.splat(0), sd = f32x4.splat(0);
    for (let o = 0; o < outputs; o++) {
      const w = v128.load(weights + <usize>o * width + i);
      const at = <usize>o << 2;
      sa = f32x4.add(sa, f32x4.mul(w, v128.load32_splat(dza + at)));
      sb = f32x4.add(sb, f32x4.mul(w, v128.load32_splat(dzb + at)));
      sc = f32x4.add(sc, f32x4.mul(w, v128.load32_splat(dzc + at)));
      sd = f32x4.add(sd, f32x4.mul(w, v128.load32_splat(dzd + at)));
    }
    v128.store(dxa + i, sa);
    v128.store(dxb + i, sb);
    v128.store(dxc + i, sc);
    v128.store(dxd + i, sd);
  }
}

/** Optimiser kind of rowUpdate for Adam. Kind 1 is SGD with momentum. */
const ADAM = 0;

/**
 * Sums the accumulator gradients (rows of width l1) of the occurrences [first, end) into one
 * gradient, and applies Adam (kind 0) or SGD with momentum (kind 1) to value, with state m (and v)
 * at the same addresses. Returns the index of the first element that became non-finite, or -1.
 */
export function rowUpdate(
  occurrences: usize, first: i32, end: i32, accumulatorGrads: usize, l1: i32,
  value: usize, m: usize, v: usize, kind: i32,
  lr: f32, beta1: f32, beta2: f32, epsilon: f32, firstCorrection: f32, secondCorrection: f32, momentum: f32,
): i32 {
  const width = <usize>l1 << 2;
  let j: usize = 0;
  // Sums one 64-byte cache line of every occurrence per pass, then updates those 16 elements.
  for (; j + 64 <= width; j += 64) {
    let g0 = f32x4.splat(0), g1 = f32x4.splat(0), g2 = f32x4.splat(0), g3 = f32x4.splat(0);
    for (let k = first; k < end; k++) {
      const row = accumulatorGrads + <usize>load<i32>(occurrences + (<usize>k << 2)) * width + j;
      g0 = f32x4.add(g0, v128.load(row));
      g1 = f32x4.add(g1, v128.load(row + 16));
      g2 = f32x4.add(g2, v128.load(row + 32));
      g3 = f32x4.add(g3, v128.load(row + 48));
    }
    updateLanes(value + j, m + j, v + j, g0, kind, lr, beta1, beta2, epsilon, firstCorrection, secondCorrection, momentum);
    updateLanes(value + j + 16, m + j + 16, v + j + 16, g1, kind, lr, beta1, beta2, epsilon, firstCorrection, secondCorrection, momentum);
    updateLanes(value + j + 32, m + j + 32, v + j + 32, g2, kind, lr, beta1, beta2, epsilon, firstCorrection, secondCorrection, momentum);
    updateLanes(value + j + 48, m + j + 48, v + j + 48, g3, kind, lr, beta1, beta2, epsilon, firstCorrection, secondCorrection, momentum);
  }
  for (; j < width; j += 16) {
    let g = f32x4.splat(0);
    for (let k = first; k < end; k++) g = f32x4.add(g, v128.load(accumulatorGrads + <usize>load<i32>(occurrences + (<usize>k << 2)) * width + j));
    updateLanes(value + j, m + j, v + j, g, kind, lr, beta1, beta2, epsilon, firstCorrection, secondCorrection, momentum);
  }
  return firstNonFinite(value, l1);
}

/** Applies the optimiser to four elements with gradient g. */
// @ts-ignore: decorator
@inline
function updateLanes(
  value: usize, m: usize, v: usize, g: v128, kind: i32,
  lr: f32, beta1: f32, beta2: f32, epsilon: f32, firstCorrection: f32, secondCorrection: f32, momentum: f32,
): void {
  const x = v128.load(value);
  if (kind == ADAM) {
    const m1 = f32x4.add(f32x4.mul(f32x4.splat(beta1), v128.load(m)), f32x4.mul(f32x4.splat(1 - beta1), g));
    const v1 = f32x4.add(f32x4.mul(f32x4.splat(beta2), v128.load(v)), f32x4.mul(f32x4.splat(1 - beta2), f32x4.mul(g, g)));
    v128.store(m, m1);
    v128.store(v, v1);
    const denominator = f32x4.add(f32x4.sqrt(f32x4.mul(v1, f32x4.splat(secondCorrection))), f32x4.splat(epsilon));
    v128.store(value, f32x4.sub(x, f32x4.div(f32x4.mul(m1, f32x4.splat(lr * firstCorrection)), denominator)));
  } else {
    const velocity = f32x4.add(f32x4.mul(f32x4.splat(momentum), v128.load(m)), g);
    v128.store(m, velocity);
    v128.store(value, f32x4.sub(x, f32x4.mul(f32x4.splat(lr), velocity)));
  }
}

/** Returns the index of the first infinite or NaN element of the row, or -1. */
function firstNonFinite(value: usize, l1: i32): i32 {
  const zero = f32x4.splat(0);
  let bad = zero;
  // x - x is NaN exactly when x is infinite or NaN.
  for (let i = 0; i < l1; i += 4) {
    const x = v128.load(value + (<usize>i << 2));
    bad = v128.or(bad, f32x4.ne(f32x4.sub(x, x), zero));
  }
  if (!v128.any_true(bad)) return -1;
  for (let i = 0; i < l1; i++) {
    const x = load<f32>(value + (<usize>i << 2));
    if (x - x != 0) return i;
  }
  return -1;
}
