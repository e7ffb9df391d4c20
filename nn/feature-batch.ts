// Batches of positions as the graph's int64 inputs: the active features of the side to move
// ("us") and of the other side ("them"), one row of maxActive indices per position. Rows shorter
// than maxActive are padded with the feature set's dimensions, the index of the zero row.

import type { Position } from "../shogi/position.js";
import type { Color } from "../shogi/types.js";
import type { FeatureSet } from "./features.js";

export interface FeatureBatch {
  size: number;
  maxActive: number;
  /** size * maxActive indices, row-major. */
  us: BigInt64Array;
  them: BigInt64Array;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function createFeatureBatch(size: number, maxActive: number): FeatureBatch {
  return { size, maxActive, us: new BigInt64Array(size * maxActive), them: new BigInt64Array(size * maxActive) };
}

/**
 * Writes the features of positions into a batch (allocated when not given, or too small) and
 * returns it with size = positions.length.
 */
export function encodeFeatureBatch(set: FeatureSet, positions: readonly Position[], batch?: FeatureBatch): FeatureBatch {
  const maxActive = set.maxActive;
  const reuse = batch !== undefined && batch.maxActive === maxActive && batch.us.length >= positions.length * maxActive;
  const target = reuse ? batch : createFeatureBatch(positions.length, maxActive);
  target.size = positions.length;
  const scratch = new Int32Array(maxActive);
  const usWords = int64Words(target.us);
  const themWords = int64Words(target.them);
  positions.forEach((pos, row) => {
    writeRow(set, pos, pos.turn, scratch, target.us, usWords, row * maxActive);
    writeRow(set, pos, (pos.turn ^ 1) as Color, scratch, target.them, themWords, row * maxActive);
  });
  return target;
}

/** Returns a 32-bit view of int64 values on little-endian hosts, where word 2i is the low half of value i. */
function int64Words(values: BigInt64Array): Int32Array | undefined {
  return HOST_IS_LITTLE_ENDIAN ? new Int32Array(values.buffer, values.byteOffset, 2 * values.length) : undefined;
}

function writeRow(
  set: FeatureSet, pos: Position, perspective: Color, scratch: Int32Array, out: BigInt64Array, words: Int32Array | undefined, offset: number,
): void {
  const count = set.activeFeatures(pos, perspective, scratch, 0);
  scratch.fill(set.dimensions, count);
  if (words) {
    // Indices are non-negative and below 2^31, so each int64 is the index and a zero high word.
    for (let i = 0; i < scratch.length; i++) {
      words[2 * (offset + i)] = scratch[i];
      words[2 * (offset + i) + 1] = 0;
    }
    return;
  }
  for (let i = 0; i < scratch.length; i++) out[offset + i] = BigInt(scratch[i]);
}
