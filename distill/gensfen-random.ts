// Seeded random numbers for teacher self-play. Every game draws from its own generator, seeded
// from the run's seed and the game's index, so a game plays the same moves whichever worker plays
// it and in whatever order games finish.
//
// Generator: SplitMix32, a Weyl sequence (state += golden-ratio constant) through a 32-bit
// integer mixer. Its state is one unsigned 32-bit integer.

const GOLDEN_RATIO_32 = 0x9e3779b9;
const MIX_1 = 0x21f0aaad;
const MIX_2 = 0x735a2d97;
const TWO_POW_32 = 4294967296;

/** Mixes a 32-bit value into a well-spread 32-bit value (a bijection). */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), MIX_1);
  x = Math.imul(x ^ (x >>> 15), MIX_2);
  return (x ^ (x >>> 15)) >>> 0;
}

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + GOLDEN_RATIO_32) >>> 0;
    return mix32(this.state);
  }

  /** Returns an integer in [0, bound), for bound up to 2^32. */
  below(bound: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * bound);
  }

  /** Returns one element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** Seed of game `gameIndex` (0-based) of a run with seed `runSeed`. */
export function gameSeed(runSeed: number, gameIndex: number): number {
  return mix32(mix32(runSeed >>> 0) ^ mix32((gameIndex + GOLDEN_RATIO_32) >>> 0));
}
