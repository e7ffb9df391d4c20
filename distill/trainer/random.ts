// Seeded random numbers whose whole state is one unsigned 32-bit integer, so a checkpoint can store
// it and a resumed run continues the same sequence.
//
// Generator: a Weyl sequence (the state advances by the golden-ratio constant) passed through the
// 32-bit finaliser of MurmurHash3. Its period is 2^32 draws.

const WEYL_INCREMENT = 0x9e3779b9;
const MIX_MULTIPLIER_1 = 0x85ebca6b;
const MIX_MULTIPLIER_2 = 0xc2b2ae35;
const TWO_POW_32 = 4294967296;

export class Random {
  /** The generator state; assign it to continue a stored sequence. */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Draws an unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + WEYL_INCREMENT) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 16), MIX_MULTIPLIER_1);
    x = Math.imul(x ^ (x >>> 13), MIX_MULTIPLIER_2);
    return (x ^ (x >>> 16)) >>> 0;
  }

  /** Draws a number in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Draws an integer in [0, bound), for bound up to 2^32. */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Draws a standard normal number (Box-Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles an array in place (Fisher-Yates). */
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
  }
}
