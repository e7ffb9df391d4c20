// The optimiser phase of a step on one thread: part `part` of `parts` of every trainable tensor.
// Dense tensors are split into contiguous ranges; rows of sparse-rows tensors go to part
// row % parts. The gradient of an element is the sum of the slots' gradients in slot order, so the
// result does not depend on which thread runs which part.

import type { DivergenceProblem, UpdateTask } from "./core.js";
import { type StepFactors, applyUpdate, applyUpdateFromGrads, stepFactors } from "./optimizer.js";
import { featureSet } from "../../nn/features.js";
import { FT_WEIGHT_INDEX } from "./network.js";
import type { SharedLayout } from "./shared.js";
import type { SimdKernels } from "./simd.js";
import { RowIndex, type TransformerRowInputs } from "./transformer-rows.js";

/** Elements of a dense tensor updated per gradient reduction. */
const DENSE_BLOCK = 4096;

export class ParameterUpdater {
  private readonly scratch: Float64Array;
  private readonly rowIndex: RowIndex | null;
  private readonly maxActive: number;

  /** `ints` allocates the row index; `simd` is this thread's SIMD kernels, or null. */
  constructor(
    private readonly layout: SharedLayout,
    private readonly simd: SimdKernels | null = null,
    ints?: (length: number) => Int32Array,
  ) {
    this.scratch = new Float64Array(Math.max(DENSE_BLOCK, ...layout.specs.map((spec) => spec.cols)));
    this.maxActive = featureSet(layout.architecture.featureSet).maxActive;
    const inputs = layout.transformerRows;
    this.rowIndex = inputs ? new RowIndex(layout.specs[FT_WEIGHT_INDEX].rows, inputs.features.length, ints) : null;
  }

  /** Updates this part of every trainable tensor; returns a problem when a value became non-finite. */
  run(task: UpdateTask): DivergenceProblem | undefined {
    const factors = stepFactors(this.layout.optimizer, task.step, task.lr);
    for (let p = 0; p < this.layout.specs.length; p++) {
      const spec = this.layout.specs[p];
      if (!spec.trainable) continue;
      let bad: number;
      if (p === FT_WEIGHT_INDEX) bad = this.updateTransformerRows(task, factors);
      else bad = spec.sparseRows ? this.updateRows(p, task, factors) : this.updateDense(p, task, factors);
      if (bad >= 0) {
        return { kind: "diverged", step: task.step, where: spec.name, detail: `the update made element ${bad} of ${spec.name} non-finite` };
      }
    }
    return undefined;
  }

  /**
   * Sums the slots' gradients of elements [offset, offset + n) into scratch, in slot order, and
   * zeroes them. For a row of a sparse-rows tensor (row >= 0), only slots that touched the row in
   * `step` count.
   */
  private reduce(p: number, offset: number, n: number, row: number, step: number): Float64Array {
    const g = this.scratch;
    let first = true;
    for (const slot of this.layout.slots) {
      if (row >= 0 && (slot.stamps[p] as Int32Array)[row] !== step) continue;
      const grad = slot.grads[p] as Float32Array;
      if (first) {
        for (let i = 0; i < n; i++) g[i] = grad[offset + i];
        first = false;
      } else {
        for (let i = 0; i < n; i++) g[i] += grad[offset + i];
      }
      grad.fill(0, offset, offset + n);
    }
    if (first) g.fill(0, 0, n);
    return g;
  }

  private updateDense(p: number, task: UpdateTask, factors: StepFactors): number {
    const spec = this.layout.specs[p];
    const length = spec.rows * spec.cols;
    const start = Math.floor((task.part * length) / task.parts);
    const end = Math.floor(((task.part + 1) * length) / task.parts);
    for (let offset = start; offset < end; offset += DENSE_BLOCK) {
      const n = Math.min(DENSE_BLOCK, end - offset);
      const g = this.reduce(p, offset, n, -1, task.step);
      const bad = applyUpdate(this.layout.optimizer, factors, spec.lrScale, this.layout.values[p], this.layout.state[p], offset, g, n);
      if (bad >= 0) return offset + bad;
    }
    return -1;
  }

  /** Updates the transformer rows r with r % parts === part that the batch's features use. */
  private updateTransformerRows(task: UpdateTask, factors: StepFactors): number {
    const inputs = this.layout.transformerRows as TransformerRowInputs;
    const index = this.rowIndex as RowIndex;
    const spec = this.layout.specs[FT_WEIGHT_INDEX];
    const l1 = spec.cols;
    index.build(inputs.features, task.samples * 2 * this.maxActive, this.maxActive, task.part, task.parts);
    const g = this.scratch;
    const value = this.layout.values[FT_WEIGHT_INDEX];
    const state = this.layout.state[FT_WEIGHT_INDEX];
    const lr = factors.lr * spec.lrScale;
    for (let i = 0; i < index.rowCount; i++) {
      const row = index.rows[i];
      index.selectRow(row);
      let bad = this.simd?.rowUpdate(
        index.occurrences, index.rangeFirst, index.rangeEnd, inputs.accumulatorGrads, l1, value, state, row * l1, this.layout.optimizer, factors, lr,
      ) ?? null;
      if (bad === null) {
        index.sumRange(inputs.accumulatorGrads, l1, g);
        bad = applyUpdate(this.layout.optimizer, factors, spec.lrScale, value, state, row * l1, g, l1);
      }
      if (bad >= 0) return row * l1 + bad;
    }
    return -1;
  }

  /** Updates the rows r with r % parts === part that any slot touched in this step. */
  private updateRows(p: number, task: UpdateTask, factors: StepFactors): number {
    const spec = this.layout.specs[p];
    const done = this.layout.rowDone[p] as Int32Array;
    for (const slot of this.layout.slots) {
      const touched = slot.touched[p] as Int32Array;
      for (let k = 0; k < slot.counts[p]; k++) {
        const row = touched[k];
        if (row % task.parts !== task.part || done[row] === task.step) continue;
        done[row] = task.step;
        const bad = this.updateRow(p, row, spec.cols, spec.lrScale, task.step, factors);
        if (bad >= 0) return row * spec.cols + bad;
      }
    }
    return -1;
  }

  /** Updates one row; rows touched by one or two slots take the fused one-pass update. */
  private updateRow(p: number, row: number, cols: number, lrScale: number, step: number, factors: StepFactors): number {
    const offset = row * cols;
    const value = this.layout.values[p];
    const state = this.layout.state[p];
    let first: Float32Array | null = null;
    let second: Float32Array | null = null;
    let contributors = 0;
    for (const slot of this.layout.slots) {
      if ((slot.stamps[p] as Int32Array)[row] !== step) continue;
      contributors++;
      if (contributors === 1) first = slot.grads[p];
      else second = slot.grads[p];
    }
    if (contributors <= 2) {
      return applyUpdateFromGrads(this.layout.optimizer, factors, lrScale, value, state, offset, cols, first as Float32Array, second);
    }
    const g = this.reduce(p, offset, cols, row, step);
    return applyUpdate(this.layout.optimizer, factors, lrScale, value, state, offset, g, cols);
  }
}
