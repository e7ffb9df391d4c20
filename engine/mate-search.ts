// Depth-first proof-number search (df-pn) for tsume. The attacker, the side to move at the root,
// gives check with every move (OR nodes), and the defender plays every legal evasion (AND nodes).
// Proof and disproof numbers are counted for "the attacker mates" at every node.
//
// Beyond plain df-pn:
// - Child thresholds use the 1+epsilon trick: a child may grow to (1 + epsilon) times the
//   second-best number, so the search does not switch back and forth between two close children.
// - Every node may carry a ply budget `remaining`. The main search runs without one (LEN_INF);
//   a limited search proves or disproves "mate within r plies", which the mate-line extraction
//   uses to find the shortest mate. With a budget, the line after a futile interposition (see
//   isFutileDrop) must still end in mate, without a ply limit, but adds nothing to the length.
// - Repetition: a position that repeats one on the current path is disproven, because perpetual
//   check loses for the checker and a mate never needs to revisit a position. Such a disproof
//   holds only on this path (the graph history interaction problem), so a result that relies on
//   a repetition with an ancestor is kept in the parent's frame and never stored in the table.
//   The frames record the ply of the ancestor that each disproof relies on. Once the search
//   returns above that ply, the disproof is path-independent and is stored.
// - Each node keeps its children's numbers in a frame while it is being searched, so results
//   that cannot be stored still steer the search.

import { MAX_MOVES, generateLegal } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { type Color, type Move, isDrop } from "../shogi/types.js";
import { generateChecks, isFutileDrop, singleChecker } from "./mate-moves.js";
import { LEN_INF, MateTable, PN_INF, PN_MAX, boardKeyHi, boardKeyLo, packHand } from "./mate-table.js";

/** Deepest search ply; an attacker node at this ply counts as "no mate within the limit". */
export const MAX_MATE_PLY = 1000;
/** repPly value of a result that relies on no repetition. */
const NO_REPETITION = 0x7fff;
/** Nodes between two checks of the clock and the stop callback. */
const CLOCK_INTERVAL = 1024;
/** The epsilon of the 1+epsilon trick, as a right shift: 1/4. */
const EPSILON_SHIFT = 2;

/** Outcome of one search call. */
export type Verdict = "proven" | "disproven" | "unknown";

/** Children of one node while it is searched: moves and their numbers, flat per ply. */
class Frame {
  readonly moves = new Int32Array(MAX_MOVES);
  readonly pn = new Int32Array(MAX_MOVES);
  readonly dn = new Int32Array(MAX_MOVES);
  readonly len = new Int16Array(MAX_MOVES);
  readonly repPly = new Int16Array(MAX_MOVES);
  /** 1 for a futile interposition, which adds nothing to the mate length of a limited search. */
  readonly futile = new Uint8Array(MAX_MOVES);
  count = 0;
}

export interface SearchLimits {
  maxNodes: number;
  /** Absolute time (performance.now()) after which the search stops. */
  deadline: number;
  shouldStop?: () => boolean;
}

export class MateSearch {
  readonly table: MateTable;
  readonly attacker: Color;
  nodes = 0;
  /** Set when a limit stopped the search; results are then incomplete. */
  aborted = false;
  /** Mate length bound of the last decided search: `hi` when proven, `lo` when disproven. */
  resultLen = 0;

  private limits: SearchLimits = { maxNodes: Infinity, deadline: Infinity };
  private readonly frames: Frame[] = [];
  /** pos.ply at search ply 0; repetitions are looked for from here on. */
  private readonly basePly: number;
  /** Buffer for counting evasions, apart from the frames. */
  private readonly evasions = new Int32Array(MAX_MOVES);
  // Results of the last mid() call.
  private outPn = 0;
  private outDn = 0;
  private outLen = 0;
  private outRepPly = NO_REPETITION;

  constructor(readonly pos: Position, table: MateTable) {
    this.table = table;
    this.attacker = pos.turn;
    this.basePly = pos.ply;
  }

  setLimits(limits: SearchLimits): void {
    this.limits = limits;
    this.aborted = false;
  }

  /**
   * Searches the current position (which must lie on a line played from the root) for a mate
   * within `remaining` plies, LEN_INF for no limit, and returns the verdict.
   */
  solve(remaining: number): Verdict {
    if (this.aborted) return "unknown";
    this.mid(this.pos.ply - this.basePly, PN_INF, PN_INF, remaining);
    this.resultLen = this.outLen;
    // A disproof that relies on a repetition with an earlier position of the line is valid for
    // this line, which is the one the caller asks about.
    if (this.outPn === 0) return "proven";
    return this.outDn === 0 ? "disproven" : "unknown";
  }

  /** Looks up the current position for a search with `remaining` plies; see MateTable.lookup. */
  probe(remaining: number): boolean {
    return this.table.lookup(boardKeyLo(this.pos), boardKeyHi(this.pos), packHand(this.pos, this.attacker), remaining);
  }

  /**
   * The main df-pn step: searches the current node at `ply` until its proof number reaches
   * thPn or its disproof number reaches thDn, then stores and reports the numbers.
   */
  private mid(ply: number, thPn: number, thDn: number, remaining: number): void {
    const before = this.nodes;
    this.countNode();
    const frame = this.frameAt(ply);
    const isOr = this.pos.turn === this.attacker;
    if (isOr ? !this.expandOr(frame, ply, remaining) : !this.expandAnd(frame, remaining)) return;

    while (true) {
      const best = isOr ? this.sumOr(frame, ply) : this.sumAnd(frame, ply);
      if (this.outPn >= thPn || this.outDn >= thDn || this.aborted) break;
      const pn = this.outPn;
      const dn = this.outDn;
      const second = this.secondBest(frame, best, isOr);
      const childThPn = isOr ? Math.min(thPn, widen(second)) : subtractOthers(thPn, pn, frame.pn[best]);
      const childThDn = isOr ? subtractOthers(thDn, dn, frame.dn[best]) : Math.min(thDn, widen(second));
      const childRemaining = frame.futile[best] === 1 ? LEN_INF : below(remaining);
      this.searchChild(frame, best, ply, childThPn, childThDn, childRemaining);
    }
    this.storeResult(frame, this.nodes - before);
  }

  private searchChild(frame: Frame, index: number, ply: number, thPn: number, thDn: number, remaining: number): void {
    const pos = this.pos;
    pos.doMove(frame.moves[index]);
    const repeated = this.repetitionPly();
    if (repeated >= 0) {
      this.outPn = PN_INF;
      this.outDn = 0;
      this.outLen = LEN_INF;
      this.outRepPly = repeated;
    } else {
      this.mid(ply + 1, thPn, thDn, remaining);
    }
    pos.undoMove();
    frame.pn[index] = this.outPn;
    frame.dn[index] = this.outDn;
    frame.len[index] = this.outLen;
    frame.repPly[index] = this.outRepPly;
  }

  /** Search ply of an earlier occurrence of the current position on the path, or -1. */
  private repetitionPly(): number {
    const pos = this.pos;
    for (let i = pos.ply - 4; i >= this.basePly; i -= 2) {
      if (pos.stackKeyLo[i] === pos.keyLo && pos.stackKeyHi[i] === pos.keyHi) return i - this.basePly;
    }
    return -1;
  }

  /** Generates the checks of an attacker node and reads their numbers; false when terminal. */
  private expandOr(frame: Frame, ply: number, remaining: number): boolean {
    if (remaining <= 0 || ply >= MAX_MATE_PLY) return this.finishTerminal(PN_INF, 0, 0);
    const pos = this.pos;
    const count = generateChecks(pos, frame.moves, 0);
    if (count === 0) {
      this.storeDecided(PN_INF, 0, LEN_INF, LEN_INF, 1);
      return this.finishTerminal(PN_INF, 0, LEN_INF);
    }
    frame.count = count;
    const childRemaining = below(remaining);
    for (let i = 0; i < count; i++) {
      pos.doMove(frame.moves[i]);
      this.initAndChild(frame, i, childRemaining);
      pos.undoMove();
    }
    return true;
  }

  /** Reads a defender child from the table, or counts its evasions (none means checkmate). */
  private initAndChild(frame: Frame, index: number, remaining: number): void {
    frame.futile[index] = 0;
    frame.repPly[index] = NO_REPETITION;
    if (this.probe(remaining)) {
      this.copyLookup(frame, index);
      return;
    }
    const evasions = generateLegal(this.pos, this.evasions, 0);
    if (evasions === 0) {
      this.storeDecided(0, PN_INF, -1, 0, 1);
      frame.pn[index] = 0;
      frame.dn[index] = PN_INF;
      frame.len[index] = 0;
      return;
    }
    // Stored, so that the next expansion of the parent reads the estimate instead of recounting.
    const pn = initialAndProof(evasions);
    this.storeDecided(pn, 1, -1, LEN_INF, 1);
    frame.pn[index] = pn;
    frame.dn[index] = 1;
    frame.len[index] = 0;
  }

  /** Generates the evasions of a defender node and reads their numbers; false when terminal. */
  private expandAnd(frame: Frame, remaining: number): boolean {
    const pos = this.pos;
    const count = generateLegal(pos, frame.moves, 0);
    if (count === 0) {
      this.storeDecided(0, PN_INF, -1, 0, 1);
      return this.finishTerminal(0, PN_INF, 0);
    }
    frame.count = count;
    const limited = remaining < LEN_INF;
    const checker = limited ? singleChecker(pos) : -1;
    const childRemaining = below(remaining);
    for (let i = 0; i < count; i++) {
      const move = frame.moves[i];
      const futile = checker >= 0 && isDrop(move) && this.isFutile(frame, i, checker);
      frame.futile[i] = futile ? 1 : 0;
      frame.repPly[i] = NO_REPETITION;
      pos.doMove(move);
      if (this.probe(futile ? LEN_INF : childRemaining)) {
        this.copyLookup(frame, i);
      } else {
        frame.pn[i] = 1;
        frame.dn[i] = 1;
        frame.len[i] = 0;
      }
      pos.undoMove();
    }
    return true;
  }

  /** Tells whether a drop is futile; drops on one square share the result of the first. */
  private isFutile(frame: Frame, index: number, checker: number): boolean {
    const move = frame.moves[index];
    if (index > 0 && isDrop(frame.moves[index - 1]) && ((frame.moves[index - 1] ^ move) & 0x7f) === 0) {
      return frame.futile[index - 1] === 1;
    }
    return isFutileDrop(this.pos, checker, move);
  }

  private copyLookup(frame: Frame, index: number): void {
    frame.pn[index] = this.table.pn;
    frame.dn[index] = this.table.dn;
    frame.len[index] = this.table.pn === 0 || this.table.dn === 0 ? this.table.len : 0;
  }

  /** Sums an attacker node: pn is the least child pn, dn the sum. Returns the child to search. */
  private sumOr(frame: Frame, ply: number): number {
    let pn = PN_INF;
    let dn = 0;
    let best = 0;
    let provenLen = LEN_INF;
    let disprovenLen = LEN_INF;
    let repPly = NO_REPETITION;
    for (let i = 0; i < frame.count; i++) {
      const childPn = frame.pn[i];
      dn += frame.dn[i];
      if (childPn < pn) {
        pn = childPn;
        best = i;
      }
      if (childPn === 0) provenLen = Math.min(provenLen, frame.len[i]);
      if (frame.dn[i] === 0) {
        disprovenLen = Math.min(disprovenLen, frame.len[i]);
        repPly = Math.min(repPly, frame.repPly[i]);
      }
    }
    this.outRepPly = NO_REPETITION;
    if (pn === 0) {
      this.setOut(0, PN_INF, plusOne(provenLen));
    } else if (dn === 0) {
      this.setOut(PN_INF, 0, plusOne(disprovenLen));
      this.outRepPly = repPly >= ply ? NO_REPETITION : repPly;
    } else {
      this.setOut(pn, Math.min(dn, PN_MAX), 0);
    }
    return best;
  }

  /** Sums a defender node: pn is the sum of child pns, dn the least. Returns the child to search. */
  private sumAnd(frame: Frame, ply: number): number {
    let pn = 0;
    let dn = PN_INF;
    let best = 0;
    let provenLen = -1;
    let refutation = -1;
    for (let i = 0; i < frame.count; i++) {
      const childDn = frame.dn[i];
      pn += frame.pn[i];
      if (childDn < dn) {
        dn = childDn;
        best = i;
      }
      if (frame.pn[i] === 0 && frame.futile[i] === 0) provenLen = Math.max(provenLen, frame.len[i]);
      if (childDn === 0 && (refutation < 0 || betterRefutation(frame, i, refutation))) refutation = i;
    }
    this.outRepPly = NO_REPETITION;
    if (pn === 0) {
      this.setOut(0, PN_INF, provenLen + 1);
    } else if (dn === 0) {
      this.setOut(PN_INF, 0, plusOne(frame.len[refutation]));
      const repPly = frame.repPly[refutation];
      this.outRepPly = repPly >= ply ? NO_REPETITION : repPly;
    } else {
      this.setOut(Math.min(pn, PN_MAX), dn, 0);
    }
    return best;
  }

  /** Returns the second least pn (attacker node) or dn (defender node), skipping `best`. */
  private secondBest(frame: Frame, best: number, isOr: boolean): number {
    const numbers = isOr ? frame.pn : frame.dn;
    let second = PN_INF;
    for (let i = 0; i < frame.count; i++) if (i !== best && numbers[i] < second) second = numbers[i];
    return second;
  }

  private setOut(pn: number, dn: number, len: number): void {
    this.outPn = pn;
    this.outDn = dn;
    this.outLen = len;
  }

  private finishTerminal(pn: number, dn: number, len: number): false {
    this.setOut(pn, dn, len);
    this.outRepPly = NO_REPETITION;
    return false;
  }

  /** Stores the numbers of a searched node; a disproof that relies on an ancestor is not stored. */
  private storeResult(frame: Frame, work: number): void {
    const pn = this.outPn;
    const dn = this.outDn;
    if (dn === 0 && this.outRepPly !== NO_REPETITION) return;
    const bestMove = pn === 0 ? this.provingMove(frame) : 0;
    const lo = dn === 0 ? this.outLen : -1;
    const hi = pn === 0 ? this.outLen : LEN_INF;
    const pos = this.pos;
    this.table.store(boardKeyLo(pos), boardKeyHi(pos), packHand(pos, this.attacker), pn, dn, lo, hi, bestMove, work);
  }

  private storeDecided(pn: number, dn: number, lo: number, hi: number, work: number): void {
    const pos = this.pos;
    this.table.store(boardKeyLo(pos), boardKeyHi(pos), packHand(pos, this.attacker), pn, dn, lo, hi, 0, work);
  }

  /** Returns the child that fixes a proof's length: the shortest proof at an attacker node, the longest otherwise. */
  private provingMove(frame: Frame): Move {
    const isOr = this.pos.turn === this.attacker;
    let best = -1;
    for (let i = 0; i < frame.count; i++) {
      if (frame.pn[i] !== 0) continue;
      if (best < 0 || (isOr ? frame.len[i] < frame.len[best] : frame.len[i] > frame.len[best])) best = i;
    }
    return best < 0 ? 0 : frame.moves[best];
  }

  private frameAt(ply: number): Frame {
    while (this.frames.length <= ply) this.frames.push(new Frame());
    return this.frames[ply];
  }

  private countNode(): void {
    this.nodes++;
    if (this.nodes >= this.limits.maxNodes) this.aborted = true;
    if (this.nodes % CLOCK_INTERVAL !== 0) return;
    if (performance.now() >= this.limits.deadline || this.limits.shouldStop?.() === true) this.aborted = true;
  }
}

/** Initial proof number of a defender node from its evasion count (df-pn+ style). */
function initialAndProof(evasions: number): number {
  return 1 + (evasions >> 1);
}

/** Child threshold from the second-best number: (1 + epsilon) times it, and at least one more. */
function widen(second: number): number {
  if (second >= PN_MAX) return PN_INF;
  return second + Math.max(1, second >> EPSILON_SHIFT);
}

/** Threshold of a child of a summing node: the node's threshold less the other children's share. */
function subtractOthers(threshold: number, total: number, child: number): number {
  if (threshold >= PN_INF) return PN_INF;
  return Math.min(PN_INF, threshold - total + child);
}

function below(remaining: number): number {
  return remaining >= LEN_INF ? LEN_INF : remaining - 1;
}

function plusOne(len: number): number {
  return len >= LEN_INF ? LEN_INF : len + 1;
}

/** Prefers a refutation that relies on no ancestor, then the longer disproof. */
function betterRefutation(frame: Frame, candidate: number, current: number): boolean {
  if (frame.repPly[candidate] !== frame.repPly[current]) return frame.repPly[candidate] > frame.repPly[current];
  return frame.len[candidate] > frame.len[current];
}
