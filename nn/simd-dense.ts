// Dense layers of the native evaluator in WebAssembly SIMD (f32x4). The JavaScript loops of the
// first layer (512 x 32 multiply-adds) took most of the evaluation time in a do/undo walk, so
// this small module computes every layer's y = W x + b in four-lane dot products.
//
// The module is encoded below by hand, so it needs no WebAssembly toolchain. It exports its
// memory and one function:
//   affine(x, w, b, out, inputs, outputs)   out[o] = b[o] + dot(W row o, x) for o < outputs
// Pointers are byte offsets into the memory, W is row-major [outputs][inputs] and `inputs` must be
// a multiple of 4. The evaluator keeps all weights and activations in that memory.

import { type WasmApi, type WasmMemory, type WasmModule, wasmApi } from "./wasm-api.js";
import type { DenseLayer } from "./weights.js";

const LANES = 4;
const FLOAT_BYTES = 4;
const PAGE_BYTES = 65_536;

// Opcodes used by the function body.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const F32_LOAD = 0x2a;
const F32_STORE = 0x38;
const F32_ADD = 0x92;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const EMPTY_BLOCK = 0x40;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00, 4, 0];
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_EXTRACT_LANE = [SIMD, 0x1f];

// Parameters 0-5: x, w, b, out, inputs, outputs. Locals: 6 o, 7 i (bytes), 8 row pointer,
// 9 row length in bytes, 10 the v128 accumulator.
const [X, W, B, OUT, INPUTS, OUTPUTS, O, I, ROW, ROW_BYTES, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function get(local: number): number[] {
  return [LOCAL_GET, local];
}

function set(local: number): number[] {
  return [LOCAL_SET, local];
}

/** Instructions that push the byte address base + index * 4. */
function floatAddress(base: number, index: number): number[] {
  return [...get(base), ...get(index), I32_CONST, 2, I32_SHL, I32_ADD];
}

function affineBody(): number[] {
  const innerLoop = [
    BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK,
    ...get(I), ...get(ROW_BYTES), I32_GE_U, BR_IF, 1,
    ...get(ACC),
    ...get(X), ...get(I), I32_ADD, ...V128_LOAD,
    ...get(ROW), ...get(I), I32_ADD, ...V128_LOAD,
    ...F32X4_MUL, ...F32X4_ADD, ...set(ACC),
    ...get(I), I32_CONST, 16, I32_ADD, ...set(I),
    BR, 0, END, END,
  ];
  const laneSum = [0, 1, 2, 3].flatMap((lane) => [...get(ACC), ...F32X4_EXTRACT_LANE, lane, ...(lane > 0 ? [F32_ADD] : [])]);
  const store = [...floatAddress(OUT, O), ...floatAddress(B, O), F32_LOAD, 2, 0, ...laneSum, F32_ADD, F32_STORE, 2, 0];
  const outerLoop = [
    BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK,
    ...get(O), ...get(OUTPUTS), I32_GE_U, BR_IF, 1,
    ...V128_ZERO, ...set(ACC),
    I32_CONST, 0, ...set(I),
    ...innerLoop,
    ...store,
    ...get(ROW), ...get(ROW_BYTES), I32_ADD, ...set(ROW),
    ...get(O), I32_CONST, 1, I32_ADD, ...set(O),
    BR, 0, END, END,
  ];
  const prologue = [...get(INPUTS), I32_CONST, 2, I32_SHL, ...set(ROW_BYTES), ...get(W), ...set(ROW), I32_CONST, 0, ...set(O)];
  const locals = [2, 4, 0x7f, 1, 0x7b];
  return [...locals, ...prologue, ...outerLoop, END];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

function moduleBytes(): Uint8Array {
  const body = affineBody();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name("memory"), 0x02, 0, ...name("affine"), 0x00, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ]);
}

type AffineFunction = (x: number, w: number, b: number, out: number, inputs: number, outputs: number) => void;

let compiled: WasmModule | null | undefined;

/** Compiles the module once; null when this runtime lacks WebAssembly SIMD. */
function simdModule(): WasmModule | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasmApi && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  }
  return compiled;
}

interface LayerSlots {
  weights: number;
  bias: number;
  input: number;
  output: number;
  inputs: number;
  outputs: number;
}

/** Dense layers in WebAssembly memory; `input` is the first layer's input, written by the caller. */
export class SimdDense {
  readonly input: Float32Array;
  private readonly affine: AffineFunction;
  private readonly slots: LayerSlots[];
  private readonly outputs: Float32Array[];

  private constructor(api: WasmApi, module: WasmModule, layers: DenseLayer[]) {
    const instance = new api.Instance(module);
    const memory = instance.exports.memory as WasmMemory;
    this.affine = instance.exports.affine as AffineFunction;
    let offset = 0;
    const reserve = (floats: number): number => {
      const start = offset;
      offset += Math.ceil(floats / LANES) * LANES * FLOAT_BYTES;
      return start;
    };
    const inputSlot = reserve(layers[0].inputs);
    this.slots = layers.map((layer, i) => ({
      weights: reserve(layer.weights.length),
      bias: reserve(layer.bias.length),
      input: i === 0 ? inputSlot : 0,
      output: reserve(layer.outputs),
      inputs: layer.inputs,
      outputs: layer.outputs,
    }));
    this.slots.forEach((slot, i) => {
      if (i > 0) slot.input = this.slots[i - 1].output;
    });
    memory.grow(Math.ceil(offset / PAGE_BYTES));
    const view = (at: number, length: number): Float32Array => new Float32Array(memory.buffer, at, length);
    layers.forEach((layer, i) => {
      view(this.slots[i].weights, layer.weights.length).set(layer.weights);
      view(this.slots[i].bias, layer.bias.length).set(layer.bias);
    });
    this.input = view(inputSlot, layers[0].inputs);
    this.outputs = this.slots.map((slot) => view(slot.output, slot.outputs));
  }

  /** Returns SIMD dense layers, or undefined when SIMD is missing or a layer's input width is not a multiple of 4. */
  static create(layers: DenseLayer[]): SimdDense | undefined {
    const module = simdModule();
    if (!wasmApi || !module || layers.some((layer) => layer.inputs % LANES !== 0)) return undefined;
    return new SimdDense(wasmApi, module, layers);
  }

  /** Runs all layers on `input`, with a clipped ReLU after each hidden layer, and returns the output logit. */
  forward(): number {
    const last = this.slots.length - 1;
    for (let k = 0; k <= last; k++) {
      const slot = this.slots[k];
      this.affine(slot.input, slot.weights, slot.bias, slot.output, slot.inputs, slot.outputs);
      if (k < last) clipInPlace(this.outputs[k]);
    }
    return this.outputs[last][0];
  }
}

function clipInPlace(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x < 0) values[i] = 0;
    else if (x > 1) values[i] = 1;
  }
}
