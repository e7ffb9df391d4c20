// Alpha-beta search: iterative deepening over a principal-variation search with a transposition
// table, quiescence search, null-move pruning, late-move reductions and pruning, killer and history
// ordering, mate-distance pruning, mate-in-one detection and shogi repetition rules.

import { MAX_MOVES, generateCaptures, generateLegal, hasLegalMove } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { checkRepetition } from "../shogi/rules.js";
import { MOVE_NONE, MOVE_NULL, type Move } from "../shogi/types.js";
import type { Evaluator } from "./evaluator.js";
import { OrderingTables, isTactical, pickBest, scoreMoves, tacticalGain } from "./move-order.js";
import { SEARCH_PARAMS as P } from "./params.js";
import {
  MAX_PLY, VALUE_INFINITE, VALUE_MATE, VALUE_MATE_IN_MAX_PLY, clampEval, isMateScore, mateIn, matedIn, scoreFromTT,
  scoreToTT,
} from "./score.js";
import { BOUND_EXACT, BOUND_LOWER, BOUND_UPPER, TranspositionTable } from "./tt.js";

/** Plies looked back for repetitions inside the search tree. */
const REPETITION_WINDOW = 16;

export interface SearchLimits {
  /** Deepest iteration, in plies. */
  depth?: number;
  /** Node budget; the search stops once it has visited this many nodes. */
  nodes?: number;
  /** Milliseconds after which no new iteration starts. */
  softMs?: number;
  /** Milliseconds after which the search stops at once. */
  hardMs?: number;
  multiPV?: number;
  /** Root moves to consider; all legal moves when absent or empty. */
  searchMoves?: Move[];
  /** Game plies (counted from the SFEN move number) at which the game is a draw; none when absent. */
  drawAtPly?: number;
}

export interface RootLine {
  multipv: number;
  depth: number;
  selDepth: number;
  score: number;
  /** "lower" or "upper" when the line's score is an aspiration bound, not exact. */
  bound: "exact" | "lower" | "upper";
  pv: Move[];
}

export interface SearchProgress {
  lines: RootLine[];
  nodes: number;
  ms: number;
  hashfull: number;
}

export interface SearchResult {
  bestMove: Move;
  ponderMove: Move;
  score: number;
  depth: number;
  nodes: number;
  ms: number;
  pv: Move[];
}

/** Tells the search to stop early; polled every few hundred nodes. */
export type StopPoll = () => boolean;

interface RootMove {
  move: Move;
  /** Whether the current iteration has searched this move to the end. */
  searched: boolean;
  score: number;
  previousScore: number;
  selDepth: number;
  pv: Move[];
}

export class Searcher {
  readonly tables = new OrderingTables();
  private readonly moveBuffers: Int32Array[] = [];
  private readonly scoreBuffers: Int32Array[] = [];
  private readonly pvTable = new Int32Array(MAX_PLY * MAX_PLY);
  private readonly pvLength = new Int32Array(MAX_PLY + 1);
  private pos!: Position;
  private nodes = 0;
  private selDepth = 0;
  private completedDepth = 0;
  private stopped = false;
  private started = 0;
  private limits: SearchLimits = {};
  private nextPoll = 0;
  private poll: StopPoll = () => false;

  constructor(
    readonly tt: TranspositionTable,
    readonly evaluator: Evaluator,
  ) {
    for (let ply = 0; ply <= MAX_PLY; ply++) {
      this.moveBuffers.push(new Int32Array(MAX_MOVES));
      this.scoreBuffers.push(new Int32Array(MAX_MOVES));
    }
  }

  /** Searches the position (left unchanged) and returns the best move; MOVE_NONE when there is no legal move. */
  search(pos: Position, limits: SearchLimits, onProgress?: (progress: SearchProgress) => void, poll?: StopPoll): SearchResult {
    this.begin(pos, limits, poll);
    const rootMoves = this.rootMoves(limits.searchMoves);
    if (rootMoves.length === 0) return this.result(rootMoves, 0);
    const maxDepth = Math.min(limits.depth ?? MAX_PLY - 1, MAX_PLY - 1);
    const lines = Math.max(1, Math.min(limits.multiPV ?? 1, rootMoves.length));
    let completed = 0;
    for (let depth = 1; depth <= maxDepth; depth++) {
      for (let index = 0; index < lines && !this.stopped; index++) this.searchLine(rootMoves, depth, index);
      if (this.stopped && depth > 1) break;
      completed = depth;
      this.completedDepth = depth;
      onProgress?.(this.progress(rootMoves, lines, depth));
      if (this.shouldStopAfterIteration(rootMoves)) break;
    }
    return this.result(rootMoves, completed);
  }

  private begin(pos: Position, limits: SearchLimits, poll?: StopPoll): void {
    this.pos = pos;
    this.limits = limits;
    this.poll = poll ?? (() => false);
    this.nodes = 0;
    this.stopped = false;
    this.started = performance.now();
    this.nextPoll = P.checkInterval;
    this.tt.newSearch();
    this.tables.killers.fill(0);
    this.evaluator.reset(pos);
  }

  private rootMoves(searchMoves: Move[] | undefined): RootMove[] {
    const buffer = this.moveBuffers[0];
    const count = generateLegal(this.pos, buffer, 0);
    const wanted = searchMoves && searchMoves.length > 0 ? new Set(searchMoves.map((m) => m & 0xffff)) : null;
    const moves: RootMove[] = [];
    for (let i = 0; i < count; i++) {
      if (wanted && !wanted.has(buffer[i] & 0xffff)) continue;
      moves.push({ move: buffer[i], searched: false, score: -VALUE_INFINITE, previousScore: -VALUE_INFINITE, selDepth: 0, pv: [buffer[i]] });
    }
    return moves;
  }

  /** Searches one iteration of the MultiPV line `index`, with an aspiration window once deep enough. */
  private searchLine(rootMoves: RootMove[], depth: number, index: number): void {
    for (const rootMove of rootMoves) rootMove.previousScore = rootMove.score;
    let delta = P.aspirationDelta;
    const previous = rootMoves[index].previousScore;
    const useWindow = depth >= P.aspirationMinDepth && !isMateScore(previous) && previous > -VALUE_INFINITE;
    let alpha = useWindow ? Math.max(previous - delta, -VALUE_INFINITE) : -VALUE_INFINITE;
    let beta = useWindow ? Math.min(previous + delta, VALUE_INFINITE) : VALUE_INFINITE;
    for (;;) {
      this.selDepth = 0;
      const score = this.searchRoot(rootMoves, index, alpha, beta, depth);
      sortFrom(rootMoves, index, this.stopped);
      if (this.stopped) return;
      if (score <= alpha) {
        beta = Math.floor((alpha + beta) / 2);
        alpha = Math.max(score - delta, -VALUE_INFINITE);
      } else if (score >= beta) {
        beta = Math.min(score + delta, VALUE_INFINITE);
      } else {
        return;
      }
      delta += delta / 2;
    }
  }

  private searchRoot(rootMoves: RootMove[], first: number, alpha: number, beta: number, depth: number): number {
    const pos = this.pos;
    let best = -VALUE_INFINITE;
    for (const rootMove of rootMoves) rootMove.searched = false;
    for (let i = first; i < rootMoves.length; i++) {
      const rootMove = rootMoves[i];
      this.evaluator.push(pos, rootMove.move);
      pos.doMove(rootMove.move);
      let score: number;
      if (pos.inCheck() && !hasLegalMove(pos)) {
        score = mateIn(1);
        this.pvLength[1] = 0;
      } else if (i === first) {
        score = -this.pvs(-beta, -alpha, depth - 1, 1, false);
      } else {
        score = -this.pvs(-alpha - 1, -alpha, depth - 1, 1, true);
        if (score > alpha && score < beta) score = -this.pvs(-beta, -alpha, depth - 1, 1, false);
      }
      pos.undoMove();
      this.evaluator.pop();
      if (this.stopped) return best;
      rootMove.searched = true;
      if (i === first || score > alpha) {
        rootMove.score = score;
        rootMove.selDepth = this.selDepth;
        rootMove.pv = [rootMove.move, ...this.pvFrom(1)];
      } else {
        rootMove.score = -VALUE_INFINITE;
      }
      if (score > best) best = score;
      if (score > alpha) alpha = score;
      if (alpha >= beta) break;
    }
    return best;
  }

  /** Principal-variation search of a non-root node; returns the score from the side to move's view. */
  private pvs(alpha: number, beta: number, depth: number, ply: number, cutNode: boolean): number {
    if (depth <= 0) return this.quiescence(alpha, beta, ply, 0);
    const pos = this.pos;
    const pvNode = beta - alpha > 1;
    this.pvLength[ply] = 0;
    if (this.visitNode(ply)) return 0;

    // Step 1. Draws and wins by repetition, the ply limit, and mate-distance pruning.
    const repetition = this.repetitionScore(ply);
    if (repetition !== null) return repetition;
    if (this.limits.drawAtPly !== undefined && pos.moveNumber - 1 >= this.limits.drawAtPly) return 0;
    if (ply >= MAX_PLY - 1) return this.evaluate();
    alpha = Math.max(alpha, matedIn(ply));
    beta = Math.min(beta, mateIn(ply + 1));
    if (alpha >= beta) return alpha;

    // Step 2. Transposition table.
    const slot = this.tt.probe(pos.keyLo, pos.keyHi);
    const hashMove = slot >= 0 ? this.tt.move(slot) : MOVE_NONE;
    if (slot >= 0 && !pvNode && this.tt.depth(slot) >= depth) {
      const score = scoreFromTT(this.tt.score(slot), ply);
      const bound = this.tt.bound(slot);
      if (bound === BOUND_EXACT || (bound === BOUND_LOWER && score >= beta) || (bound === BOUND_UPPER && score <= alpha)) return score;
    }

    // Step 3. Static evaluation and the pruning it allows.
    const inCheck = pos.inCheck();
    const staticEval = inCheck ? -VALUE_INFINITE : slot >= 0 ? this.tt.staticEval(slot) : this.evaluate();
    if (!pvNode && !inCheck) {
      const pruned = this.pruneBeforeMoves(beta, depth, ply, staticEval, cutNode);
      if (pruned !== null) return pruned;
    }

    // Step 4. The move loop.
    return this.searchMoves(alpha, beta, depth, ply, cutNode, hashMove, staticEval, inCheck);
  }

  /** Reverse futility and null-move pruning; returns a score when the node can be cut. */
  private pruneBeforeMoves(beta: number, depth: number, ply: number, staticEval: number, cutNode: boolean): number | null {
    if (depth <= P.reverseFutilityMaxDepth && staticEval - P.reverseFutilityMargin * depth >= beta && !isMateScore(beta)) {
      return staticEval;
    }
    const pos = this.pos;
    if (depth >= P.nullMoveMinDepth && staticEval >= beta && pos.lastMove() !== MOVE_NULL && !isMateScore(beta)) {
      const reduction = P.nullMoveBaseReduction + Math.floor(depth / P.nullMoveDepthDivisor);
      this.evaluator.pushNull();
      pos.doNullMove();
      const score = -this.pvs(-beta, -beta + 1, depth - 1 - reduction, ply + 1, !cutNode);
      pos.undoNullMove();
      this.evaluator.pop();
      if (this.stopped) return 0;
      if (score >= beta) return score >= VALUE_MATE_IN_MAX_PLY ? beta : score;
    }
    return null;
  }

  private searchMoves(
    alpha: number, beta: number, depth: number, ply: number, cutNode: boolean, hashMove: Move, staticEval: number,
    inCheck: boolean,
  ): number {
    const pos = this.pos;
    const pvNode = beta - alpha > 1;
    const moves = this.moveBuffers[ply];
    const scores = this.scoreBuffers[ply];
    const count = generateLegal(pos, moves, 0);
    if (count === 0) return matedIn(ply);
    scoreMoves(pos, this.tables, moves, scores, 0, count, hashMove, ply);
    const originalAlpha = alpha;
    let best = -VALUE_INFINITE;
    let bestMove = MOVE_NONE;
    let quietsTried = 0;
    for (let i = 0; i < count; i++) {
      const move = pickBest(moves, scores, i, count);
      const quiet = !isTactical(pos, move);
      this.evaluator.push(pos, move);
      pos.doMove(move);
      const givesCheck = pos.inCheck();
      if (quiet && !givesCheck && this.lateMovePrunable(pvNode, inCheck, depth, quietsTried, best)) {
        pos.undoMove();
        this.evaluator.pop();
        continue;
      }
      const score = givesCheck && !hasLegalMove(pos)
        ? mateIn(ply + 1)
        : this.searchChild(alpha, beta, depth, ply, i, quiet && !givesCheck && !inCheck, cutNode, move);
      if (givesCheck && score === mateIn(ply + 1)) this.pvLength[ply + 1] = 0;
      pos.undoMove();
      this.evaluator.pop();
      if (this.stopped) return 0;
      if (quiet) quietsTried++;
      if (score > best) {
        best = score;
        if (score > alpha) {
          bestMove = move;
          this.updatePv(ply, move);
          if (score >= beta) {
            if (quiet) this.rewardQuiet(move, ply, depth, moves, i);
            break;
          }
          alpha = score;
        }
      }
    }
    const bound = best >= beta ? BOUND_LOWER : pvNode && best > originalAlpha ? BOUND_EXACT : BOUND_UPPER;
    this.tt.store(pos.keyLo, pos.keyHi, bestMove, scoreToTT(best, ply), inCheck ? 0 : staticEval, depth, bound);
    return best;
  }

  private lateMovePrunable(pvNode: boolean, inCheck: boolean, depth: number, quietsTried: number, best: number): boolean {
    if (pvNode || inCheck || depth > P.lateMovePruningMaxDepth || best <= -VALUE_MATE_IN_MAX_PLY) return false;
    return quietsTried >= P.lateMovePruningBase + depth * depth;
  }

  /** Searches one child with late-move reduction and the null-window re-search scheme of PVS. */
  private searchChild(
    alpha: number, beta: number, depth: number, ply: number, index: number, reducible: boolean, cutNode: boolean,
    move: Move,
  ): number {
    const pvNode = beta - alpha > 1;
    const newDepth = depth - 1;
    if (index === 0) return -this.pvs(-beta, -alpha, newDepth, ply + 1, !pvNode && !cutNode);
    let score: number;
    let reduction = 0;
    if (reducible && depth >= P.lmrMinDepth && index > (pvNode ? 3 : 1)) {
      reduction = Math.floor(P.lmrBase + (Math.log(depth) * Math.log(index + 1)) / P.lmrDivisor);
      if (!pvNode) reduction++;
      if (this.tables.isKiller(ply, move)) reduction--;
      reduction = Math.max(0, Math.min(reduction, newDepth - 1));
    }
    score = -this.pvs(-alpha - 1, -alpha, newDepth - reduction, ply + 1, true);
    if (score > alpha && reduction > 0) score = -this.pvs(-alpha - 1, -alpha, newDepth, ply + 1, !cutNode);
    if (pvNode && score > alpha && score < beta) score = -this.pvs(-beta, -alpha, newDepth, ply + 1, false);
    return score;
  }

  private rewardQuiet(move: Move, ply: number, depth: number, moves: Int32Array, index: number): void {
    this.tables.addKiller(ply, move);
    this.tables.addHistory(move, depth);
    for (let j = 0; j < index; j++) {
      if (!isTactical(this.pos, moves[j])) this.tables.penalizeHistory(moves[j], depth);
    }
  }

  /** Quiescence search: captures and promotions, or every evasion when in check. */
  private quiescence(alpha: number, beta: number, ply: number, qply: number): number {
    const pos = this.pos;
    this.pvLength[ply] = 0;
    if (this.visitNode(ply)) return 0;
    if (ply >= MAX_PLY - 1) return this.evaluate();
    const inCheck = pos.inCheck();
    let best = matedIn(ply);
    let standPat = 0;
    if (!inCheck) {
      standPat = this.evaluate();
      if (standPat >= beta || qply >= P.quiescenceMaxPlies) return standPat;
      if (standPat > alpha) alpha = standPat;
      best = standPat;
    }
    const moves = this.moveBuffers[ply];
    const scores = this.scoreBuffers[ply];
    const count = this.quiescenceMoves(moves, inCheck, standPat, alpha);
    if (inCheck && count === 0 && !hasLegalMove(pos)) return matedIn(ply);
    scoreMoves(pos, this.tables, moves, scores, 0, count, MOVE_NONE, ply);
    for (let i = 0; i < count; i++) {
      const move = pickBest(moves, scores, i, count);
      this.evaluator.push(pos, move);
      pos.doMove(move);
      const score = -this.quiescence(-beta, -alpha, ply + 1, qply + 1);
      pos.undoMove();
      this.evaluator.pop();
      if (this.stopped) return 0;
      if (score <= best) continue;
      best = score;
      if (score > alpha) {
        this.updatePv(ply, move);
        if (score >= beta) break;
        alpha = score;
      }
    }
    return best;
  }

  /** Writes the moves quiescence plays into `moves`; drops hopeless captures (delta pruning). */
  private quiescenceMoves(moves: Int32Array, inCheck: boolean, standPat: number, alpha: number): number {
    const pos = this.pos;
    const count = generateCaptures(pos, moves, 0);
    if (inCheck) return count;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const move = moves[i];
      if (!isTactical(pos, move)) continue;
      if (standPat + tacticalGain(pos, move) + P.deltaMargin <= alpha) continue;
      moves[kept++] = move;
    }
    return kept;
  }

  /** Counts a node and polls the limits; returns true when the search must stop. */
  private visitNode(ply: number): boolean {
    this.nodes++;
    if (ply > this.selDepth) this.selDepth = ply;
    if (this.nodes >= this.nextPoll) {
      this.nextPoll = this.nodes + P.checkInterval;
      if (this.limitReached()) this.stopped = true;
    }
    if (this.limits.nodes !== undefined && this.nodes >= this.limits.nodes) this.stopped = true;
    return this.stopped;
  }

  /** Sets the time limits counted from now, as when a ponder search becomes a timed search. */
  setDeadlinesFromNow(softMs: number | undefined, hardMs: number | undefined): void {
    const elapsed = performance.now() - this.started;
    this.limits = {
      ...this.limits,
      softMs: softMs === undefined ? undefined : elapsed + softMs,
      hardMs: hardMs === undefined ? undefined : elapsed + hardMs,
    };
  }

  private limitReached(): boolean {
    if (this.poll()) return true;
    const hard = this.limits.hardMs;
    return hard !== undefined && performance.now() - this.started >= hard;
  }

  private repetitionScore(ply: number): number | null {
    const repetition = checkRepetition(this.pos, 2, REPETITION_WINDOW);
    if (repetition.kind === "none") return null;
    if (repetition.kind === "draw") return 0;
    return repetition.kind === "win" ? mateIn(ply) : matedIn(ply);
  }

  private evaluate(): number {
    return clampEval(this.evaluator.evaluate(this.pos));
  }

  private updatePv(ply: number, move: Move): void {
    const base = ply * MAX_PLY;
    this.pvTable[base] = move;
    const childLength = this.pvLength[ply + 1];
    for (let i = 0; i < childLength && i + 1 < MAX_PLY; i++) this.pvTable[base + 1 + i] = this.pvTable[(ply + 1) * MAX_PLY + i];
    this.pvLength[ply] = Math.min(childLength + 1, MAX_PLY);
  }

  private pvFrom(ply: number): Move[] {
    return Array.from(this.pvTable.subarray(ply * MAX_PLY, ply * MAX_PLY + this.pvLength[ply]));
  }

  private shouldStopAfterIteration(rootMoves: RootMove[]): boolean {
    if (this.stopped) return true;
    const elapsed = performance.now() - this.started;
    if (this.limits.softMs !== undefined && elapsed >= this.limits.softMs) return true;
    // A mate score proven within the searched depth does not change with more depth.
    const best = rootMoves[0].score;
    if (isMateScore(best) && VALUE_MATE - Math.abs(best) <= this.completedDepth) return true;
    // With a clock running, a forced move needs no deeper search.
    return rootMoves.length === 1 && this.limits.softMs !== undefined;
  }

  private progress(rootMoves: RootMove[], lines: number, depth: number): SearchProgress {
    const result: RootLine[] = [];
    for (let i = 0; i < lines; i++) {
      const rootMove = rootMoves[i];
      result.push({ multipv: i + 1, depth, selDepth: rootMove.selDepth, score: rootMove.score, bound: "exact", pv: rootMove.pv });
    }
    return { lines: result, nodes: this.nodes, ms: performance.now() - this.started, hashfull: this.tt.hashfull() };
  }

  private result(rootMoves: RootMove[], depth: number): SearchResult {
    const ms = performance.now() - this.started;
    if (rootMoves.length === 0) {
      return { bestMove: MOVE_NONE, ponderMove: MOVE_NONE, score: matedIn(0), depth: 0, nodes: this.nodes, ms, pv: [] };
    }
    const best = rootMoves[0];
    return {
      bestMove: best.move, ponderMove: best.pv[1] ?? MOVE_NONE, score: best.score, depth, nodes: this.nodes, ms, pv: best.pv,
    };
  }
}

/**
 * Stable sort of rootMoves[from..], best first. After a stop only the moves this iteration finished
 * count, and when it finished none the order of the last full iteration stays.
 */
function sortFrom(rootMoves: RootMove[], from: number, stopped: boolean): void {
  if (stopped && !rootMoves.some((rootMove, i) => i >= from && rootMove.searched)) return;
  const key = (rootMove: RootMove): number => (!stopped || rootMove.searched ? rootMove.score : -VALUE_INFINITE);
  const tail = rootMoves.slice(from).sort((a, b) => key(b) - key(a));
  for (let i = 0; i < tail.length; i++) rootMoves[from + i] = tail[i];
}
