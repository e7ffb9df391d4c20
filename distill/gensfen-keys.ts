// A growable hash set of 64-bit position keys (the Zobrist keys of shogi/position.ts), for
// dropping repeated positions from teacher data. Open addressing with linear probing over typed
// arrays, because a JavaScript Set stores at most 2^24 entries and costs far more memory per key.

import { Position } from "../shogi/position.js";
import type { Setup } from "../shogi/sfen.js";

const INITIAL_CAPACITY = 1 << 16;
/** The table grows when it would be more than this full. */
const MAX_LOAD = 0.5;
/** Slots of the all-zero key, which marks an empty slot, are tracked apart. */
const EMPTY = 0;

export class PositionKeySet {
  private low = new Int32Array(INITIAL_CAPACITY);
  private high = new Int32Array(INITIAL_CAPACITY);
  private count = 0;
  private hasZeroKey = false;

  get size(): number {
    return this.count;
  }

  /** Adds a key; returns false when it was already present. */
  add(keyLo: number, keyHi: number): boolean {
    if (keyLo === EMPTY && keyHi === EMPTY) {
      if (this.hasZeroKey) return false;
      this.hasZeroKey = true;
      this.count++;
      return true;
    }
    if (this.count + 1 > this.low.length * MAX_LOAD) this.grow();
    const added = insert(this.low, this.high, keyLo, keyHi);
    if (added) this.count++;
    return added;
  }

  has(keyLo: number, keyHi: number): boolean {
    if (keyLo === EMPTY && keyHi === EMPTY) return this.hasZeroKey;
    const mask = this.low.length - 1;
    for (let slot = slotOf(keyLo, keyHi, mask); ; slot = (slot + 1) & mask) {
      if (this.low[slot] === EMPTY && this.high[slot] === EMPTY) return false;
      if (this.low[slot] === keyLo && this.high[slot] === keyHi) return true;
    }
  }

  private grow(): void {
    const oldLow = this.low;
    const oldHigh = this.high;
    this.low = new Int32Array(oldLow.length * 2);
    this.high = new Int32Array(oldHigh.length * 2);
    for (let i = 0; i < oldLow.length; i++) {
      if (oldLow[i] !== EMPTY || oldHigh[i] !== EMPTY) insert(this.low, this.high, oldLow[i], oldHigh[i]);
    }
  }
}

/** Zobrist keys are sums of random numbers, so their low bits already spread evenly. */
function slotOf(keyLo: number, keyHi: number, mask: number): number {
  return (keyLo ^ keyHi) & mask;
}

function insert(low: Int32Array, high: Int32Array, keyLo: number, keyHi: number): boolean {
  const mask = low.length - 1;
  for (let slot = slotOf(keyLo, keyHi, mask); ; slot = (slot + 1) & mask) {
    if (low[slot] === EMPTY && high[slot] === EMPTY) {
      low[slot] = keyLo;
      high[slot] = keyHi;
      return true;
    }
    if (low[slot] === keyLo && high[slot] === keyHi) return false;
  }
}

/** Computes the position key of a setup; scratch is reused between calls. */
export function setupKey(setup: Setup, scratch: Position): [number, number] {
  scratch.setSetup(setup);
  return [scratch.keyLo, scratch.keyHi];
}
