// Hash table of the mate search.
//
// Entries are grouped in clusters chosen by the board key (the position key without the hands),
// so every stored hand of one board sits in one cluster. A lookup can then use hand superiority.
// A mate proven with some attacker hand is also a mate with any hand that has at least as many
// pieces of each type, and a position without mate stays without mate when the attacker has fewer.
// Within one search the pieces on the board and in both hands always add up to the same set, so
// the board and the attacker's hand fix the defender's hand too.
//
// Each entry keeps bounds on the mate length instead of a single proven or disproven state:
// `hi` (mate within hi plies) and `lo` (no mate within lo plies). A depth-limited search asks
// whether a node is proven or disproven within r plies, and the two bounds settle that for every r.

import type { Position } from "../shogi/position.js";
import { GOLD, PAWN, type Color, type Move } from "../shogi/types.js";
import { HAND_COUNT_NB, ZOBRIST_HAND_HI, ZOBRIST_HAND_LO } from "../shogi/zobrist.js";

/** Proof and disproof numbers at or above this mean infinite. */
export const PN_INF = 0x7fffffff;
/** Largest finite proof or disproof number; sums saturate here. */
export const PN_MAX = PN_INF - 1;
/** A length bound meaning "no bound": no proof known as `hi`, no mate at all as `lo`. */
export const LEN_INF = 0x7fff;
/** `lo` of an entry without any disproof. */
const LO_NONE = -1;

const ENTRIES_PER_CLUSTER = 4;
/** Bytes per entry: keys 8, hand 4, pn 4, dn 4, lo 2, hi 2, move 4, work 4. */
const ENTRY_BYTES = 32;
const MIN_CLUSTERS = 1 << 8;

// Attacker hands packed into one integer, one field per piece type with a guard bit above it, so
// that one subtraction compares all fields at once (see handCovers).
const HAND_SHIFT = [0, 0, 6, 10, 14, 22, 25, 18];
const HAND_GUARDS = (1 << 5) | (1 << 9) | (1 << 13) | (1 << 17) | (1 << 21) | (1 << 24) | (1 << 27);

/** Packs the hand of one colour (see HAND_SHIFT) into an integer with clear guard bits. */
export function packHand(pos: Position, color: Color): number {
  let packed = 0;
  for (let type = PAWN; type <= GOLD; type++) packed |= pos.hands[color * 8 + type] << HAND_SHIFT[type];
  return packed;
}

/** Tells whether hand a has at least as many pieces of every type as hand b. */
export function handCovers(a: number, b: number): boolean {
  return (((a | HAND_GUARDS) - b) & HAND_GUARDS) === HAND_GUARDS;
}

/** Low half of the position key with both hands taken out. */
export function boardKeyLo(pos: Position): number {
  let key = pos.keyLo;
  for (let index = 0; index < 16; index++) {
    const count = pos.hands[index];
    if (count !== 0) key ^= ZOBRIST_HAND_LO[index * HAND_COUNT_NB + Math.min(count, HAND_COUNT_NB - 1)];
  }
  return key;
}

/** High half of the position key with both hands taken out. */
export function boardKeyHi(pos: Position): number {
  let key = pos.keyHi;
  for (let index = 0; index < 16; index++) {
    const count = pos.hands[index];
    if (count !== 0) key ^= ZOBRIST_HAND_HI[index * HAND_COUNT_NB + Math.min(count, HAND_COUNT_NB - 1)];
  }
  return key;
}

export class MateTable {
  /** Results of the last lookup. */
  pn = 1;
  dn = 1;
  /** Mate length bound of a decided lookup: `hi` when proven, `lo` when disproven. */
  len = 0;
  move: Move = 0;

  private mask = 0;
  private keyLo = new Int32Array(0);
  private keyHi = new Int32Array(0);
  private hand = new Int32Array(0);
  private pns = new Int32Array(0);
  private dns = new Int32Array(0);
  private los = new Int16Array(0);
  private his = new Int16Array(0);
  private moves = new Int32Array(0);
  /** Nodes searched below the entry, for replacement; 0 marks an empty entry. */
  private work = new Int32Array(0);

  constructor(megabytes: number) {
    const clusters = Math.max(MIN_CLUSTERS, Math.floor((megabytes * 1024 * 1024) / (ENTRY_BYTES * ENTRIES_PER_CLUSTER)));
    const size = 2 ** Math.floor(Math.log2(clusters)) * ENTRIES_PER_CLUSTER;
    this.mask = size / ENTRIES_PER_CLUSTER - 1;
    this.keyLo = new Int32Array(size);
    this.keyHi = new Int32Array(size);
    this.hand = new Int32Array(size);
    this.pns = new Int32Array(size);
    this.dns = new Int32Array(size);
    this.los = new Int16Array(size);
    this.his = new Int16Array(size);
    this.moves = new Int32Array(size);
    this.work = new Int32Array(size);
  }

  /** Entry count, for sizing checks. */
  get size(): number {
    return this.work.length;
  }

  clear(): void {
    this.work.fill(0);
  }

  /**
   * Looks up a node for a search allowed `remaining` plies and fills pn, dn, len and move.
   * Returns false when nothing is stored. A stored proof or disproof of the same board with a
   * weaker or stronger attacker hand counts when superiority carries it over.
   */
  lookup(lo: number, hi: number, hand: number, remaining: number): boolean {
    const first = (lo & this.mask) * ENTRIES_PER_CLUSTER;
    let exact = -1;
    for (let slot = first; slot < first + ENTRIES_PER_CLUSTER; slot++) {
      if (this.work[slot] === 0 || this.keyLo[slot] !== lo || this.keyHi[slot] !== hi) continue;
      const stored = this.hand[slot];
      const proofLen = this.his[slot];
      if (proofLen !== LEN_INF && proofLen <= remaining && handCovers(hand, stored)) return this.setProven(slot);
      if (this.los[slot] >= remaining && handCovers(stored, hand)) return this.setDisproven(slot);
      if (stored === hand) exact = slot;
    }
    if (exact < 0) return false;
    // The bounds do not decide this query. The stored numbers may come from a search with another
    // ply budget that ended in a proof or disproof, so they are clamped to the finite range.
    this.pn = Math.min(PN_MAX, Math.max(1, this.pns[exact]));
    this.dn = Math.min(PN_MAX, Math.max(1, this.dns[exact]));
    this.move = this.moves[exact];
    return true;
  }

  /**
   * Stores a search result. `lo` and `hi` narrow the bounds already stored for the same board
   * and hand, and -1 and LEN_INF pass no bound. `work` is the number of nodes the result cost.
   */
  store(keyLo: number, keyHi: number, hand: number, pn: number, dn: number, lo: number, hi: number, move: Move, work: number): void {
    const first = (keyLo & this.mask) * ENTRIES_PER_CLUSTER;
    let victim = first;
    for (let slot = first; slot < first + ENTRIES_PER_CLUSTER; slot++) {
      if (this.work[slot] !== 0 && this.keyLo[slot] === keyLo && this.keyHi[slot] === keyHi && this.hand[slot] === hand) {
        this.update(slot, pn, dn, lo, hi, move, work);
        return;
      }
      if (this.priority(slot) < this.priority(victim)) victim = slot;
    }
    this.keyLo[victim] = keyLo;
    this.keyHi[victim] = keyHi;
    this.hand[victim] = hand;
    this.los[victim] = LO_NONE;
    this.his[victim] = LEN_INF;
    this.moves[victim] = 0;
    this.work[victim] = 0;
    this.update(victim, pn, dn, lo, hi, move, work);
  }

  private update(slot: number, pn: number, dn: number, lo: number, hi: number, move: Move, work: number): void {
    this.pns[slot] = pn;
    this.dns[slot] = dn;
    if (lo > this.los[slot]) this.los[slot] = lo;
    if (hi < this.his[slot]) {
      this.his[slot] = hi;
      this.moves[slot] = move;
    } else if (this.his[slot] === LEN_INF && move !== 0) {
      this.moves[slot] = move;
    }
    this.work[slot] = Math.min(PN_MAX, this.work[slot] + Math.max(1, work));
  }

  /** Replacement order: empty entries first, then those that cost the least; decided ones last. */
  private priority(slot: number): number {
    const work = this.work[slot];
    if (work === 0) return -1;
    const decided = this.his[slot] !== LEN_INF || this.los[slot] === LEN_INF;
    return decided ? work * 4 : work;
  }

  private setProven(slot: number): boolean {
    this.pn = 0;
    this.dn = PN_INF;
    this.len = this.his[slot];
    this.move = this.moves[slot];
    return true;
  }

  private setDisproven(slot: number): boolean {
    this.pn = PN_INF;
    this.dn = 0;
    this.len = this.los[slot];
    this.move = 0;
    return true;
  }
}
