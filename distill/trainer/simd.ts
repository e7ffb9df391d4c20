// The WebAssembly SIMD kernels (asm/trainer-kernels.ts) bound to one shared heap. Each method runs
// the kernel and returns true when its arrays lie in the heap and its widths are multiples of 4;
// otherwise it returns false and the caller runs the JavaScript kernel.

import { readFileSync } from "node:fs";
import type { OptimizerSettings, StepFactors } from "./optimizer.js";
import { type WasmModule, wasmApi } from "../../nn/wasm-api.js";
import { type SharedHeap, inHeap } from "./heap.js";

interface KernelExports {
  accumulate(rows: number, bias: number, l1: number, features: number, count: number, acc: number): void;
  affine4(w: number, b: number, xa: number, xb: number, xc: number, xd: number, za: number, zb: number, zc: number, zd: number, inputs: number, outputs: number): void;
  addOuter4(g: number, da: number, db: number, dc: number, dd: number, xa: number, xb: number, xc: number, xd: number, inputs: number, outputs: number): void;
  transposedProduct4(w: number, da: number, db: number, dc: number, dd: number, xa: number, xb: number, xc: number, xd: number, inputs: number, outputs: number): void;
  rowUpdate(
    occurrences: number, first: number, end: number, accumulatorGrads: number, l1: number, value: number, m: number, v: number, kind: number,
    lr: number, beta1: number, beta2: number, epsilon: number, firstCorrection: number, secondCorrection: number, momentum: number,
  ): number;
}

const KERNELS_URL = new URL("../../asm/trainer-kernels.wasm", import.meta.url);
const KIND_ADAM = 0;
const KIND_SGD = 1;

let compiled: WasmModule | null | undefined;

/** Compiles the kernels once per thread; returns null when the file is missing or the platform lacks SIMD. */
function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = wasmApi ? new wasmApi.Module(readFileSync(KERNELS_URL)) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export class SimdKernels {
  private constructor(
    readonly heap: SharedHeap,
    private readonly k: KernelExports,
  ) {}

  /** Binds the kernels to a heap, or returns null when they cannot run here. */
  static create(heap: SharedHeap): SimdKernels | null {
    const module = kernelModule();
    if (!module || !wasmApi) return null;
    try {
      const instance = new wasmApi.Instance(module, { env: { memory: heap.memory } });
      return new SimdKernels(heap, instance.exports as unknown as KernelExports);
    } catch {
      return null;
    }
  }

  accumulate(rows: Float32Array, bias: Float32Array, l1: number, features: Int32Array, offset: number, count: number, acc: Float32Array, base: number): boolean {
    if (l1 % 4 !== 0 || !inHeap(this.heap, rows, bias, features, acc)) return false;
    this.k.accumulate(rows.byteOffset, bias.byteOffset, l1, features.byteOffset + 4 * offset, count, acc.byteOffset + 4 * base);
    return true;
  }

  affine4(w: Float32Array, b: Float32Array, x: readonly Float32Array[], z: readonly Float32Array[]): boolean {
    const inputs = x[0].length;
    if (inputs % 4 !== 0 || !inHeap(this.heap, w, b, ...x, ...z)) return false;
    this.k.affine4(w.byteOffset, b.byteOffset, x[0].byteOffset, x[1].byteOffset, x[2].byteOffset, x[3].byteOffset,
      z[0].byteOffset, z[1].byteOffset, z[2].byteOffset, z[3].byteOffset, inputs, z[0].length);
    return true;
  }

  addOuter4(grad: Float32Array, dz: readonly Float32Array[], x: readonly Float32Array[]): boolean {
    return this.outputsByInputs(this.k.addOuter4, grad, dz, x);
  }

  transposedProduct4(w: Float32Array, dz: readonly Float32Array[], dx: readonly Float32Array[]): boolean {
    return this.outputsByInputs(this.k.transposedProduct4, w, dz, dx);
  }

  /** Runs a kernel on a [outputs][inputs] matrix, four output-sized and four input-sized arrays. */
  private outputsByInputs(
    kernel: KernelExports["addOuter4"], matrix: Float32Array, byOutput: readonly Float32Array[], byInput: readonly Float32Array[],
  ): boolean {
    const inputs = byInput[0].length;
    if (inputs % 4 !== 0 || !inHeap(this.heap, matrix, ...byOutput, ...byInput)) return false;
    kernel(matrix.byteOffset, byOutput[0].byteOffset, byOutput[1].byteOffset, byOutput[2].byteOffset, byOutput[3].byteOffset,
      byInput[0].byteOffset, byInput[1].byteOffset, byInput[2].byteOffset, byInput[3].byteOffset, inputs, byOutput[0].length);
    return true;
  }

  /**
   * Sums the accumulator gradients of occurrences [first, end) and applies the optimiser to the row
   * at `offset` (elements) of value and state. Returns the first non-finite index, -1, or null
   * when the arrays or the width do not suit the kernel.
   */
  rowUpdate(
    occurrences: Int32Array, first: number, end: number, accumulatorGrads: Float32Array, l1: number,
    value: Float32Array, state: readonly Float32Array[], offset: number, settings: OptimizerSettings, factors: StepFactors, lr: number,
  ): number | null {
    if (l1 % 4 !== 0 || !inHeap(this.heap, occurrences, accumulatorGrads, value, ...state)) return null;
    const byte = 4 * offset;
    const m = state[0].byteOffset + byte;
    const v = settings.kind === "adam" ? state[1].byteOffset + byte : 0;
    return this.k.rowUpdate(occurrences.byteOffset, first, end, accumulatorGrads.byteOffset, l1, value.byteOffset + byte, m, v,
      settings.kind === "adam" ? KIND_ADAM : KIND_SGD, lr, settings.beta1, settings.beta2, settings.epsilon,
      factors.firstCorrection, factors.secondCorrection, settings.momentum);
  }
}
