// One shared WebAssembly memory for the tensors that the SIMD kernels read and write: parameter
// values, optimiser state, dense gradients, the transformer-row inputs, and a scratch area per
// thread. Allocation moves a pointer kept in the memory itself, so every thread allocates from the
// same memory. Nothing is freed, so the trainer sizes the memory for one run.

import { type WasmMemory, wasmApi } from "../../nn/wasm-api.js";
import { sharedFloats, sharedInts } from "./parameters.js";

/** Bytes per WebAssembly page. */
const PAGE_BYTES = 65536;
/** Largest wasm32 memory in pages (4 GiB). */
const MAX_PAGES = 65536;
/** First byte of allocations. The bytes below contain the bump pointer and the compiled kernels' reserved area. */
const FIRST_BYTE = PAGE_BYTES;
/** Every allocation starts on a 16-byte boundary, the width of one SIMD vector. */
const ALIGN = 16;
/** Int32 index of the bump pointer, counted in ALIGN-byte units. */
const NEXT_INDEX = 0;

/** The shared memory and a byte view whose buffer every allocated array shares. */
export interface SharedHeap {
  memory: WasmMemory;
  bytes: Uint8Array;
}

/** Returns the bytes an allocation of n elements of the given size takes, padding included. */
export function allocationBytes(n: number, elementBytes: number): number {
  return Math.ceil((n * elementBytes) / ALIGN) * ALIGN;
}

/**
 * Creates a heap for `bytes` bytes of allocations, or returns null when a wasm32 memory is too
 * small for them or the platform has no shared WebAssembly memory.
 */
export function createHeap(bytes: number): SharedHeap | null {
  const pages = Math.ceil((FIRST_BYTE + bytes) / PAGE_BYTES);
  if (pages > MAX_PAGES) return null;
  if (!wasmApi) return null;
  let memory: WasmMemory;
  try {
    memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
  const heap = { memory, bytes: new Uint8Array(memory.buffer) };
  new Int32Array(heap.bytes.buffer)[NEXT_INDEX] = FIRST_BYTE / ALIGN;
  return heap;
}

/** Claims `size` bytes; returns the byte offset, or -1 when the heap is full. */
function claim(heap: SharedHeap, size: number): number {
  const units = Math.ceil(size / ALIGN);
  const next = new Int32Array(heap.bytes.buffer, 0, 1);
  const start = Atomics.add(next, NEXT_INDEX, units);
  const offset = start * ALIGN;
  if (offset + units * ALIGN > heap.bytes.length) {
    Atomics.sub(next, NEXT_INDEX, units);
    return -1;
  }
  return offset;
}

/** Allocates a float32 array in the heap, or in its own SharedArrayBuffer when the heap is absent or full. */
export function heapFloats(heap: SharedHeap | null, length: number): Float32Array {
  const offset = heap === null ? -1 : claim(heap, length * 4);
  return heap === null || offset < 0 ? sharedFloats(length) : new Float32Array(heap.bytes.buffer, offset, length);
}

/** Allocates an int32 array like heapFloats. */
export function heapInts(heap: SharedHeap | null, length: number): Int32Array {
  const offset = heap === null ? -1 : claim(heap, length * 4);
  return heap === null || offset < 0 ? sharedInts(length) : new Int32Array(heap.bytes.buffer, offset, length);
}

/** Tells whether every array lies in the heap's memory. */
export function inHeap(heap: SharedHeap, ...arrays: ArrayBufferView[]): boolean {
  const buffer = heap.bytes.buffer;
  for (const array of arrays) if (array.buffer !== buffer) return false;
  return true;
}
