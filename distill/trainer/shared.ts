// Shared memory of a training run, as the main thread allocates it and every worker receives it:
// parameter values, optimiser state, one gradient slot per worker, and two batch buffers (one is
// filled while the workers compute on the other).
//
// Gradient slot s belongs to the worker that runs slice s of a batch. For a sparse-rows tensor of
// an extension the slot also keeps a stamp per row (the step that last touched it) and the list of
// rows touched in the current step. So no work proportional to the tensor's size is done per step. The transformer weights have no table in the slots: their row gradients are formed in the
// update phase from per-sample accumulator gradients (transformer-rows.ts).

import type { Architecture } from "../../nn/architecture.js";
import { type SlotArrays, SlotStore } from "./dataset.js";
import { featureSet } from "../../nn/features.js";
import type { ExtensionSpec } from "./extensions.js";
import { FT_WEIGHT_INDEX } from "./network.js";
import type { TransformerRowInputs } from "./transformer-rows.js";
import { type OptimizerSettings, stateTensorCount } from "./optimizer.js";
import { type ParameterSpec, sharedInts } from "./parameters.js";
import { type SharedHeap, allocationBytes, createHeap, heapFloats, heapInts } from "./heap.js";
import { denseShapes } from "../../nn/architecture.js";
import { GROUP_SIZE } from "./kernels.js";
import { RowIndex } from "./transformer-rows.js";

/** Per-sample results that workers write and the main thread sums in sample order. */
export interface BatchOutputs {
  loss: Float64Array;
  entropy: Float64Array;
  /** Student score in centipawns of the side to move. */
  student: Float64Array;
  teacher: Float64Array;
  /** 1 when the student's 1-ply best move equals the record's move, 0 when not, -1 without a record move. */
  agree: Int8Array;
}

export interface SharedBatch {
  slots: SlotArrays;
  outputs: BatchOutputs;
}

export interface GradientSlot {
  /** Gradient per parameter; null for frozen ones. */
  grads: Array<Float32Array | null>;
  /** Sparse-rows parameters: step that last touched each row. */
  stamps: Array<Int32Array | null>;
  /** Sparse-rows parameters: rows touched in the current step, counts[p] of them. */
  touched: Array<Int32Array | null>;
  counts: Int32Array;
}

export interface SharedLayout {
  architecture: Architecture;
  specs: ParameterSpec[];
  values: Float32Array[];
  /** Optimiser state per parameter (Adam: m, v; SGD: velocity); empty for frozen ones. */
  state: Float32Array[][];
  optimizer: OptimizerSettings;
  slots: GradientSlot[];
  /** Sparse-rows parameters: step in which each row was last updated. */
  rowDone: Array<Int32Array | null>;
  batches: SharedBatch[];
  /** Inputs of the transformer-row update when ft.weight is trained, else null (see transformer-rows.ts). */
  transformerRows: TransformerRowInputs | null;
  extensions: ExtensionSpec[];
  /** Memory of the SIMD kernels, containing the tensors above and each thread's scratch, or null when it could not be created. */
  heap: SharedHeap | null;
}

export const BATCH_BUFFERS = 2;

function sharedBatch(capacity: number): { store: SlotStore; shared: SharedBatch } {
  const store = new SlotStore(capacity, true);
  const f64 = () => new Float64Array(new SharedArrayBuffer(8 * capacity));
  const outputs = { loss: f64(), entropy: f64(), student: f64(), teacher: f64(), agree: new Int8Array(new SharedArrayBuffer(capacity)) };
  return { store, shared: { slots: store.arrays(), outputs } };
}

/** Tells whether parameter p gets a gradient table in each slot; the transformer weights never do. */
function hasSlotGradient(spec: ParameterSpec, p: number): boolean {
  return spec.trainable && p !== FT_WEIGHT_INDEX;
}

function gradientSlot(specs: readonly ParameterSpec[], heap: SharedHeap | null): GradientSlot {
  return {
    grads: specs.map((spec, p) => (hasSlotGradient(spec, p) ? heapFloats(heap, spec.rows * spec.cols) : null)),
    stamps: specs.map((spec, p) => (hasSlotGradient(spec, p) && spec.sparseRows ? sharedInts(spec.rows) : null)),
    touched: specs.map((spec, p) => (hasSlotGradient(spec, p) && spec.sparseRows ? sharedInts(spec.rows) : null)),
    counts: sharedInts(specs.length),
  };
}

function transformerRowInputs(architecture: Architecture, batchCapacity: number, heap: SharedHeap | null): TransformerRowInputs {
  const maxActive = featureSet(architecture.featureSet).maxActive;
  return { features: heapInts(heap, batchCapacity * 2 * maxActive), accumulatorGrads: heapFloats(heap, batchCapacity * 2 * architecture.l1) };
}

/** Returns the bytes of one thread's scratch: its group of workspaces, group features and row index. */
export function threadScratchBytes(architecture: Architecture, batchCapacity: number): number {
  const set = featureSet(architecture.featureSet);
  const floats = (n: number) => allocationBytes(n, 4);
  const layers = denseShapes(architecture).reduce((sum, { inputs, outputs }) => sum + 2 * floats(inputs) + 2 * floats(outputs), 0);
  const workspace = 2 * floats(2 * architecture.l1) + layers;
  const entries = batchCapacity * 2 * set.maxActive;
  const rowIndex = 2 * floats(set.dimensions) + floats(RowIndex.rowCapacity(set.dimensions, entries)) + floats(entries);
  return GROUP_SIZE * workspace + floats(GROUP_SIZE * 2 * set.maxActive) + rowIndex;
}

/** Returns the heap bytes of a layout: values, state, dense gradients, row inputs and per-thread scratch. */
function heapBytes(architecture: Architecture, specs: readonly ParameterSpec[], stateCount: number, workers: number, batchCapacity: number): number {
  let bytes = 0;
  specs.forEach((spec, p) => {
    const size = allocationBytes(spec.rows * spec.cols, 4);
    bytes += size * (1 + (spec.trainable ? stateCount : 0) + (hasSlotGradient(spec, p) ? workers : 0));
  });
  if (specs[FT_WEIGHT_INDEX].trainable) {
    const maxActive = featureSet(architecture.featureSet).maxActive;
    bytes += allocationBytes(batchCapacity * 2 * maxActive, 4) + allocationBytes(batchCapacity * 2 * architecture.l1, 4);
  }
  return bytes + workers * threadScratchBytes(architecture, batchCapacity);
}

/** Environment variable that selects the trainer's kernels: "js" turns the WebAssembly SIMD kernels off. */
export const KERNELS_VARIABLE = "SHOGI_LAB_KERNELS";

function simdRequested(): boolean {
  return process.env[KERNELS_VARIABLE] !== "js";
}

/** Allocates the shared memory; returns it with the main thread's SlotStores of the batch buffers. */
export function createLayout(
  architecture: Architecture, specs: ParameterSpec[], optimizer: OptimizerSettings, workers: number, batchCapacity: number,
  extensions: ExtensionSpec[],
): { layout: SharedLayout; batchStores: SlotStore[] } {
  const batches = Array.from({ length: BATCH_BUFFERS }, () => sharedBatch(batchCapacity));
  const stateCount = stateTensorCount(optimizer.kind);
  const heap = simdRequested() ? createHeap(heapBytes(architecture, specs, stateCount, workers, batchCapacity)) : null;
  const floats = (length: number) => heapFloats(heap, length);
  const layout: SharedLayout = {
    architecture,
    specs,
    values: specs.map((spec) => floats(spec.rows * spec.cols)),
    state: specs.map((spec) => (spec.trainable ? Array.from({ length: stateCount }, () => floats(spec.rows * spec.cols)) : [])),
    optimizer,
    slots: Array.from({ length: workers }, () => gradientSlot(specs, heap)),
    rowDone: specs.map((spec, p) => (hasSlotGradient(spec, p) && spec.sparseRows ? sharedInts(spec.rows) : null)),
    batches: batches.map((batch) => batch.shared),
    transformerRows: specs[FT_WEIGHT_INDEX].trainable ? transformerRowInputs(architecture, batchCapacity, heap) : null,
    extensions,
    heap,
  };
  return { layout, batchStores: batches.map((batch) => batch.store) };
}
