// Transposition table: one entry per slot in parallel typed arrays, indexed by the low bits of the
// position key and verified by the high 32 bits.

export const BOUND_NONE = 0;
export const BOUND_UPPER = 1;
export const BOUND_LOWER = 2;
export const BOUND_EXACT = 3;

/** Bytes per entry: key check 4, move 4, score 2, static eval 2, depth 1, bound and age 1. */
const ENTRY_BYTES = 14;
const MIN_ENTRIES = 1 << 10;
const AGE_STEP = 4;

export class TranspositionTable {
  private mask = 0;
  private keys = new Int32Array(0);
  private moves = new Int32Array(0);
  private scores = new Int16Array(0);
  private evals = new Int16Array(0);
  private depths = new Int8Array(0);
  /** Low 2 bits: bound; upper 6 bits: the search generation that wrote the entry. */
  private flags = new Uint8Array(0);
  private generation = AGE_STEP;
  private used = 0;

  constructor(megabytes: number) {
    this.resize(megabytes);
  }

  /** Reallocates to the largest power-of-two entry count that fits in `megabytes` MiB. */
  resize(megabytes: number): void {
    const wanted = Math.max(MIN_ENTRIES, Math.floor((megabytes * 1024 * 1024) / ENTRY_BYTES));
    const entries = 2 ** Math.floor(Math.log2(wanted));
    this.mask = entries - 1;
    this.keys = new Int32Array(entries);
    this.moves = new Int32Array(entries);
    this.scores = new Int16Array(entries);
    this.evals = new Int16Array(entries);
    this.depths = new Int8Array(entries);
    this.flags = new Uint8Array(entries);
    this.used = 0;
  }

  clear(): void {
    this.keys.fill(0);
    this.moves.fill(0);
    this.flags.fill(0);
    this.used = 0;
  }

  /** Starts a new search, so entries from older searches are replaced first. */
  newSearch(): void {
    // Generation 0 is skipped, so a written entry never has flags 0 (the empty marker).
    this.generation = (this.generation + AGE_STEP) & 0xfc || AGE_STEP;
  }

  /** Returns the slot holding this key, or -1 when none does. */
  probe(keyLo: number, keyHi: number): number {
    const slot = keyLo & this.mask;
    return this.keys[slot] === keyHi && this.flags[slot] !== 0 ? slot : -1;
  }

  move(slot: number): number {
    return this.moves[slot];
  }
  score(slot: number): number {
    return this.scores[slot];
  }
  staticEval(slot: number): number {
    return this.evals[slot];
  }
  depth(slot: number): number {
    return this.depths[slot];
  }
  bound(slot: number): number {
    return this.flags[slot] & 3;
  }

  /** Stores a result unless the slot contains a deeper result of the same position from this search. */
  store(keyLo: number, keyHi: number, move: number, score: number, staticEval: number, depth: number, bound: number): void {
    const slot = keyLo & this.mask;
    const same = this.keys[slot] === keyHi;
    const current = (this.flags[slot] & 0xfc) === this.generation;
    if (same && current && bound !== BOUND_EXACT && depth < this.depths[slot] - 2) return;
    if (this.flags[slot] === 0) this.used++;
    this.keys[slot] = keyHi;
    if (move !== 0 || !same) this.moves[slot] = move;
    this.scores[slot] = score;
    this.evals[slot] = staticEval;
    this.depths[slot] = Math.max(-128, Math.min(127, depth));
    this.flags[slot] = this.generation | bound;
  }

  /** Permille of slots in use, as USI's `info hashfull` reports it. */
  hashfull(): number {
    return Math.min(1000, Math.floor((this.used * 1000) / (this.mask + 1)));
  }
}
