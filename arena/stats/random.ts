// Seeded pseudo-random numbers, so that bootstrap results repeat exactly for a given seed.

/** Multiplier of the 32-bit linear congruential generator that spreads a seed over the state. */
const SEED_MULTIPLIER = 1664525;
const SEED_INCREMENT = 1013904223;
const TWO_TO_32 = 2 ** 32;
/** State words filled from the seed. The xorshift128 state must never be all zero. */
const STATE_WORDS = 4;

/**
 * Marsaglia's xorshift128 generator (period 2^128 - 1). Good enough for resampling, not for
 * cryptography.
 */
export class SeededRandom {
  private readonly state = new Uint32Array(STATE_WORDS);

  /** Seeds the generator; any integer seed works, and equal seeds give equal sequences. */
  constructor(seed: number) {
    let word = Math.trunc(seed) >>> 0;
    for (let i = 0; i < STATE_WORDS; i++) {
      word = (Math.imul(word, SEED_MULTIPLIER) + SEED_INCREMENT) >>> 0;
      this.state[i] = word;
    }
  }

  /** Returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    let t = s[3];
    t ^= t << 11;
    t ^= t >>> 8;
    s[3] = s[2];
    s[2] = s[1];
    s[1] = s[0];
    t ^= s[0] ^ (s[0] >>> 19);
    s[0] = t;
    return t >>> 0;
  }

  /** Returns a uniform integer in [0, bound); bound must be a positive integer below 2^32. */
  nextInt(bound: number): number {
    return Math.floor((this.nextUint32() / TWO_TO_32) * bound);
  }
}
