// Extraction of the mate line once the root is proven.
//
// The line follows the tsume conventions. The attacker mates as fast as possible and the defender
// resists as long as possible. Futile interpositions (see isFutileDrop) add nothing to the length,
// so the defender plays one only when nothing else is legal. The line still goes on to the real
// checkmate: after a futile drop the attacker captures and the line continues.
//
// Exact lengths come from depth-limited searches: a node has mate length exactly L when it is
// proven within L plies and disproven within L - 2. When the refinement budget runs out, the
// line falls back to proven upper bounds, which are correct mates that may not be the shortest.

import { MAX_MOVES, generateLegal } from "../shogi/movegen.js";
import { type Move, MOVE_NONE, isDrop } from "../shogi/types.js";
import { generateChecks, isFutileDrop, singleChecker } from "./mate-moves.js";
import { type MateSearch, type SearchLimits } from "./mate-search.js";
import { LEN_INF } from "./mate-table.js";

export interface MateLine {
  moves: Move[];
  /** Plies to mate with futile interpositions and their captures left out. */
  mateLength: number;
  /** True when every length on the line was proven shortest (attacker) or longest (defender). */
  exact: boolean;
}

/** Mate length of a node, with whether it is proven exact or only an upper bound. */
interface Value {
  len: number;
  exact: boolean;
}

/** Builds the mate line from the searched position (an attacker node, proven within `bound`). */
export function extractMateLine(
  search: MateSearch, bound: number, refine: SearchLimits, completion: SearchLimits,
): MateLine | null {
  const extractor = new LineExtractor(search, refine, completion);
  const pos = search.pos;
  const startPly = pos.ply;
  const line = extractor.build(bound);
  while (pos.ply > startPly) pos.undoMove();
  return line;
}

class LineExtractor {
  private exact = true;
  private completing = false;

  constructor(private readonly search: MateSearch, refine: SearchLimits, private readonly completion: SearchLimits) {
    search.setLimits(refine);
  }

  build(bound: number): MateLine | null {
    const pos = this.search.pos;
    const moves: Move[] = [];
    let mateLength = -1;
    let value = this.shortest(bound);
    while (true) {
      const check = this.matingMove(value);
      if (check === MOVE_NONE) return null;
      pos.doMove(check);
      moves.push(check);
      const reply = this.longestReply(value - 1);
      if (reply === null) return null;
      if (reply.move === MOVE_NONE) break;
      if (reply.futileOnly && mateLength < 0) mateLength = moves.length;
      pos.doMove(reply.move);
      moves.push(reply.move);
      value = reply.value;
    }
    return { moves, mateLength: mateLength < 0 ? moves.length : mateLength, exact: this.exact };
  }

  /** Shortens a proven bound of the current attacker node to its exact mate length. */
  private shortest(bound: number): number {
    let len = bound;
    while (len >= 3 && this.exact) {
      const verdict = this.solve(len - 2);
      if (verdict === "proven") len = this.search.resultLen;
      else if (verdict === "disproven") break;
      else this.exact = false;
    }
    return len;
  }

  /** Returns a check after which the defender is mated within value - 1 plies, the shortest found. */
  private matingMove(value: number): Move {
    const checks = this.listMoves(true);
    const limit = this.exact ? value - 1 : LEN_INF;
    let best: Move = MOVE_NONE;
    let bestLen = LEN_INF;
    for (const move of checks) {
      const len = this.provenLength(move, limit, false);
      if (len < bestLen) {
        best = move;
        bestLen = len;
      }
    }
    if (best !== MOVE_NONE) return best;
    for (const move of checks) if (this.provenLength(move, limit, true) < LEN_INF) return move;
    // The bound was not exact after all, because a search stopped early: take any proven check.
    if (this.exact) {
      this.exact = false;
      return this.matingMove(value);
    }
    return MOVE_NONE;
  }

  /**
   * The defender's reply at a node with mate length `value`: a non-futile evasion that keeps the
   * mate as far as possible, or a futile drop when nothing else is legal. Returns move MOVE_NONE
   * at checkmate and null when a search ran out of budget while completing the line.
   */
  private longestReply(value: number): { move: Move; value: number; futileOnly: boolean } | null {
    const evasions = this.listMoves(false);
    if (evasions.length === 0) return { move: MOVE_NONE, value: 0, futileOnly: false };
    const checker = singleChecker(this.search.pos);
    const candidates = evasions.filter((move) => checker < 0 || !isFutileDrop(this.search.pos, checker, move));
    if (candidates.length === 0) {
      const next = this.afterMove(evasions[0], () => this.boundHere());
      return next < 0 ? null : { move: evasions[0], value: next, futileOnly: true };
    }
    if (this.exact) {
      const defence = this.longestDefence(this.byStoredLength(candidates), value);
      if (defence !== MOVE_NONE) return { move: defence, value: value - 1, futileOnly: false };
    }
    return this.longestByBounds(candidates);
  }

  /**
   * Orders evasions by their stored mate length bound, longest first, so that the likely longest
   * defence is tried first. The sort is stable, so board moves still come before drops.
   */
  private byStoredLength(candidates: Move[]): Move[] {
    const stored = candidates.map((move) =>
      this.afterMove(move, () => (this.search.probe(LEN_INF) && this.search.table.pn === 0 ? this.search.table.len : 0)),
    );
    const order = candidates.map((_, i) => i).sort((a, b) => stored[b] - stored[a]);
    return order.map((i) => candidates[i]);
  }

  /** Returns the first candidate not mated within value - 3 plies, whose exact length is value - 1. */
  private longestDefence(candidates: Move[], value: number): Move {
    if (value - 3 < 1) return candidates[0];
    for (const move of candidates) {
      const verdict = this.afterMove(move, () => this.verdictWithin(value - 3));
      if (verdict === "disproven") return move;
      if (verdict === "unknown") {
        this.exact = false;
        return MOVE_NONE;
      }
    }
    this.exact = false;
    return MOVE_NONE;
  }

  /** Fallback: the candidate with the longest proven mate bound. */
  private longestByBounds(candidates: Move[]): { move: Move; value: number; futileOnly: boolean } | null {
    let best: Move = MOVE_NONE;
    let bestLen = -1;
    for (const move of candidates) {
      const len = this.afterMove(move, () => this.boundHere());
      if (len < 0) return null;
      if (len > bestLen) {
        best = move;
        bestLen = len;
      }
    }
    return { move: best, value: bestLen, futileOnly: false };
  }

  /** Mate length bound of the current attacker node, shortened when the budget allows. */
  private boundHere(): number {
    const search = this.search;
    if (search.probe(LEN_INF) && search.table.pn === 0) return this.shortest(search.table.len);
    return this.solve(LEN_INF) === "proven" ? this.shortest(search.resultLen) : -1;
  }

  private verdictWithin(remaining: number): "proven" | "disproven" | "unknown" {
    const search = this.search;
    if (search.probe(remaining)) {
      if (search.table.pn === 0) return "proven";
      if (search.table.dn === 0) return "disproven";
    }
    return this.solve(remaining);
  }

  /**
   * Proven mate length of the defender node after `move`, when within `limit`; LEN_INF when not
   * proven. Searches only when `searching` is set, else reads the table.
   */
  private provenLength(move: Move, limit: number, searching: boolean): number {
    return this.afterMove(move, () => {
      const search = this.search;
      if (search.probe(limit) && search.table.pn === 0) return search.table.len;
      if (!searching) return LEN_INF;
      return this.solve(limit) === "proven" ? search.resultLen : LEN_INF;
    });
  }

  private afterMove<T>(move: Move, evaluate: () => T): T {
    const pos = this.search.pos;
    pos.doMove(move);
    const result = evaluate();
    pos.undoMove();
    return result;
  }

  /** Runs a search; once the refinement budget is spent, switches to the completion budget. */
  private solve(remaining: number): "proven" | "disproven" | "unknown" {
    const verdict = this.search.solve(remaining);
    if (!this.search.aborted) return verdict;
    this.exact = false;
    if (this.completing) return "unknown";
    this.completing = true;
    this.search.setLimits(this.completion);
    return remaining >= LEN_INF ? this.search.solve(remaining) : "unknown";
  }

  private listMoves(checks: boolean): Move[] {
    const buffer = new Int32Array(MAX_MOVES);
    const pos = this.search.pos;
    const count = checks ? generateChecks(pos, buffer, 0) : generateLegal(pos, buffer, 0);
    const moves = Array.from(buffer.subarray(0, count));
    // Board moves first, so that among equally long defences the line prefers them to drops.
    return checks ? moves : moves.filter((move) => !isDrop(move)).concat(moves.filter(isDrop));
  }
}
