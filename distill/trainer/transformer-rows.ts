// Gradients of the transformer's weight rows, formed in the update phase instead of the gradient
// phase.
//
// The gradient of row r is the sum of dLoss/dAccumulator over every (sample, perspective) whose
// active features include r. Workers store each sample's accumulator gradient (2 * l1 floats) and
// features in shared memory. In the update phase the owner of a row lists the row's occurrences
// with a counting sort, sums their gradients in registers and applies the optimiser. Compared with
// adding into a gradient table per worker, this needs no table (128 MB per worker for HalfKP at
// width 256), and the sums run in sample order, so they do not depend on the number of workers.
// Its speed was about the same as the table's in the trainer benchmark (bench/train.ts).

/** Shared inputs of the row update: per sample, the features and the accumulator gradient. */
export interface TransformerRowInputs {
  /** Features of each sample of the batch: the side to move's maxActive, then the other side's. */
  features: Int32Array;
  /** dLoss/dAccumulator of each sample: the side to move's l1 values, then the other side's. */
  accumulatorGrads: Float32Array;
}

/** Scratch of one thread for listing row occurrences; sized by the number of features. */
export class RowIndex {
  private readonly counts: Int32Array;
  private readonly starts: Int32Array;
  /** Rows with occurrences in the current batch, in order of first occurrence. */
  readonly rows: Int32Array;
  rowCount = 0;
  /** Occurrences grouped by row: each is the index of a (sample, perspective) half of the batch. */
  readonly occurrences: Int32Array;

  /** First and end index into `occurrences` of the row that selectRow chose. */
  rangeFirst = 0;
  rangeEnd = 0;

  /** `ints` allocates the arrays; the SIMD row update needs them in its heap. */
  constructor(dimensions: number, maxEntries: number, ints: (length: number) => Int32Array = (length) => new Int32Array(length)) {
    this.counts = ints(dimensions);
    this.starts = ints(dimensions);
    this.rows = ints(RowIndex.rowCapacity(dimensions, maxEntries));
    this.occurrences = ints(maxEntries);
  }

  /** Returns the length of the `rows` array. */
  static rowCapacity(dimensions: number, maxEntries: number): number {
    return Math.min(dimensions, maxEntries);
  }

  /**
   * Lists the occurrences of the rows r with r % parts === part among the first `entries`
   * features, where every `maxActive` consecutive features form one (sample, perspective) half.
   */
  build(features: Int32Array, entries: number, maxActive: number, part: number, parts: number): void {
    const counts = this.counts;
    this.rowCount = 0;
    for (let e = 0; e < entries; e++) {
      const row = features[e];
      if (row % parts !== part) continue;
      if (counts[row]++ === 0) this.rows[this.rowCount++] = row;
    }
    let position = 0;
    for (let i = 0; i < this.rowCount; i++) {
      const row = this.rows[i];
      this.starts[row] = position;
      position += counts[row];
      counts[row] = 0;
    }
    for (let e = 0; e < entries; e++) {
      const row = features[e];
      if (row % parts !== part) continue;
      this.occurrences[this.starts[row] + counts[row]++] = (e / maxActive) | 0;
    }
  }

  /** Sets rangeFirst and rangeEnd to the row's occurrences and clears its count. */
  selectRow(row: number): void {
    this.rangeFirst = this.starts[row];
    this.rangeEnd = this.rangeFirst + this.counts[row];
    this.counts[row] = 0;
  }

  /** Sums the accumulator gradients of row's occurrences into g[0..l1) and clears its count. */
  sumRow(row: number, accumulatorGrads: Float32Array, l1: number, g: Float64Array): void {
    this.selectRow(row);
    this.sumRange(accumulatorGrads, l1, g);
  }

  /** Sums the accumulator gradients of the occurrences that selectRow chose into g[0..l1). */
  sumRange(accumulatorGrads: Float32Array, l1: number, g: Float64Array): void {
    const first = this.rangeFirst;
    const end = this.rangeEnd;
    let j = 0;
    for (; j + 8 <= l1; j += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let k = first; k < end; k++) {
        const base = this.occurrences[k] * l1 + j;
        a0 += accumulatorGrads[base]; a1 += accumulatorGrads[base + 1];
        a2 += accumulatorGrads[base + 2]; a3 += accumulatorGrads[base + 3];
        a4 += accumulatorGrads[base + 4]; a5 += accumulatorGrads[base + 5];
        a6 += accumulatorGrads[base + 6]; a7 += accumulatorGrads[base + 7];
      }
      g[j] = a0; g[j + 1] = a1; g[j + 2] = a2; g[j + 3] = a3;
      g[j + 4] = a4; g[j + 5] = a5; g[j + 6] = a6; g[j + 7] = a7;
    }
    for (; j < l1; j++) {
      let a = 0;
      for (let k = first; k < end; k++) a += accumulatorGrads[this.occurrences[k] * l1 + j];
      g[j] = a;
    }
  }
}
