// PUCT tree search over batched network evaluations (USI option SearchMode mcts).
//
// Each descent walks from the root by PUCT (mcts-node.ts), adding a virtual loss to every node on
// its path so that the next descents spread over other lines. A new leaf is expanded on the spot
// (mcts-expand.ts). Leaves that end the game are backed up at once, and the others join the batch
// being gathered. Up to batchesInFlight batches are with the evaluator at a time: while the oldest
// one is evaluated, the next is gathered, and with the default evaluator the network runs in
// another thread, so the tree search and the network work at the same time. A descent that reaches a leaf
// still waiting for its value is a collision; it gives back its virtual loss and is not counted.

import { SCORE_SCALE } from "../nn/architecture.js";
import type { Position } from "../shogi/position.js";
import { type Color, type Move, MOVE_NONE, move16 } from "../shogi/types.js";
import { solveMate } from "./mate.js";
export type { MctsHooks, MctsLimits, MctsOutcome, MctsStats, StopReason } from "./mcts-limits.js";
import type { BatchResult, LeafBatch, LeafEvaluator } from "./mcts-eval.js";
import { type LeafRules, LeafExpander } from "./mcts-expand.js";
import {
  type MctsNode, NODE_EXPANDED, NODE_NEW, NODE_PENDING, PROOF_LOSS, PROOF_NONE, PROOF_WIN, addVirtualLoss, backup,
  measureTree, principalVariation, propagateProof, rankedChildren, selectChild, setEdges, settledValue, updateProof,
} from "./mcts-node.js";
import { type MctsHooks, type MctsLimits, type MctsOutcome, type MctsStats, type StopReason, treeBytes } from "./mcts-limits.js";
import { MCTS_PARAMS, type MctsParams } from "./mcts-params.js";
import { POLICY_SIZE, policyPriors } from "./mcts-priors.js";

/** Maximum length of a reported principal variation. */
const MAX_PV_LENGTH = 64;

/** One pending leaf: its path from the root and the node itself at the end of it. */
type PendingLeaf = MctsNode[];

interface Flight {
  batch: LeafBatch;
  leaves: PendingLeaf[];
  promise: Promise<BatchResult>;
}

export class MctsSearch {
  private pos!: Position;
  private root!: MctsNode;
  private limits!: MctsLimits;
  private hooks: MctsHooks = {};
  private expander!: LeafExpander;
  private allowed: Uint8Array | null = null;
  private started = 0;
  private stats!: MctsStats;
  /** Leaves sent to the evaluator and not yet backed up. */
  private pendingLeaves = 0;
  /** Memory of the tree as the search found it, and the nodes and edges added since. */
  private keptBytes = 0;
  private treeNodes = 0;
  private treeEdges = 0;
  private rootExhausted = false;
  private mateLine: Move[] | undefined;
  /** Batches back from the evaluator, ready for reuse while the batch size stays the same. */
  private readonly idle: LeafBatch[] = [];

  constructor(
    private readonly evaluator: LeafEvaluator,
    private readonly params: MctsParams = MCTS_PARAMS,
  ) {}

  /**
   * Searches from `root`, a new node or a subtree kept from an earlier search of the same position,
   * and leaves the position as it was. The position must have a legal move.
   */
  async search(pos: Position, root: MctsNode, limits: MctsLimits, rules: LeafRules, hooks: MctsHooks = {}): Promise<MctsOutcome> {
    this.begin(pos, root, limits, rules, hooks);
    this.prepareRoot();
    const inFlight: Flight[] = [];
    let reason = this.stopReason();
    while (reason === null) {
      const playoutsBefore = this.stats.playouts;
      this.fill(inFlight);
      if (inFlight.length === 0) {
        // Descents that only reached ends of the game still made progress; none at all means the tree is exhausted.
        reason = this.stopReason() ?? (this.stats.playouts === playoutsBefore || this.rootExhausted ? "solved" : null);
        continue;
      }
      const result = await this.waitForFirst(inFlight[0]);
      if (result !== null) {
        const flight = inFlight.shift()!;
        this.apply(flight, result);
        this.idle.push(flight.batch);
        this.hooks.onBatch?.();
      }
      reason = this.stopReason();
    }
    await this.finishFlights(inFlight, reason);
    return this.outcome(reason);
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

  /** Statistics so far, for `info` lines during the search. */
  snapshot(): MctsStats {
    this.stats.ms = performance.now() - this.started;
    this.stats.treeBytes = this.memoryBytes();
    this.stats.memoryPermille = Math.min(1000, Math.round((this.stats.treeBytes * 1000) / this.limits.memoryBytes));
    return { ...this.stats };
  }

  private begin(pos: Position, root: MctsNode, limits: MctsLimits, rules: LeafRules, hooks: MctsHooks): void {
    this.pos = pos;
    this.root = root;
    this.limits = limits;
    this.hooks = hooks;
    this.expander = new LeafExpander(rules);
    this.started = performance.now();
    this.stats = {
      playouts: 0, evaluated: 0, batches: 0, collisions: 0, networkMs: 0, depthSum: 0, maxDepth: 0, ms: 0, treeBytes: 0, memoryPermille: 0,
    };
    this.pendingLeaves = 0;
    this.rootExhausted = false;
    this.mateLine = undefined;
    this.keptBytes = limits.keptBytes ?? treeBytes(measureTree(root));
    this.treeNodes = 0;
    this.treeEdges = 0;
  }

  /** Expands a new root, applies `searchmoves`, and gives the root mate solver its budget. */
  private prepareRoot(): void {
    const root = this.root;
    if (root.status !== NODE_EXPANDED) {
      this.expander.expandRoot(root, this.pos);
      this.treeEdges += root.edgeCount();
    }
    this.allowed = allowedEdges(root, this.limits.searchMoves);
    if (root.proof === PROOF_NONE && this.allowed === null) this.solveRootMate();
  }

  /**
   * Runs the df-pn mate solver at the root within rootMateNodes and a time limit. The limit is
   * enforced through the stop poll as well, because solveMate may search on past its own time
   * limit to read back the mate line.
   */
  private solveRootMate(): void {
    if (this.params.rootMateNodes <= 0) return;
    const soft = this.limits.softMs;
    const timeMs = Math.min(this.params.rootMateMaxMs, soft === undefined ? Infinity : soft * this.params.rootMateTimeShare);
    const deadline = performance.now() + timeMs;
    const shouldStop = (): boolean => performance.now() >= deadline || this.hooks.shouldStop?.() === true;
    const result = solveMate(this.pos, { maxNodes: this.params.rootMateNodes, timeMs, shouldStop });
    if (result.kind !== "mate") return;
    this.mateLine = result.moves;
    this.root.proof = PROOF_WIN;
    this.root.proofPlies = result.moves.length;
    this.root.proofMove = result.moves[0];
  }

  /** Gathers and submits batches while fewer than batchesInFlight are out. */
  private fill(inFlight: Flight[]): void {
    while (inFlight.length < this.params.batchesInFlight) {
      const batch = this.idleBatch();
      const leaves = this.gather(batch);
      if (leaves.length === 0) {
        this.idle.push(batch);
        return;
      }
      const promise = batch.run();
      // A batch that is abandoned on stop may still fail later; that must not surface as an unhandled rejection.
      promise.catch(() => undefined);
      this.pendingLeaves += leaves.length;
      inFlight.push({ batch, leaves, promise });
      if (this.stopReason() !== null) return;
    }
  }

  private idleBatch(): LeafBatch {
    let batch = this.idle.pop();
    while (batch !== undefined && batch.capacity !== this.limits.batchSize) batch = this.idle.pop();
    if (batch === undefined) return this.evaluator.createBatch(this.limits.batchSize);
    batch.clear();
    return batch;
  }

  /** Fills a batch by descents from the root; leaves that end the game are backed up at once. */
  private gather(batch: LeafBatch): PendingLeaf[] {
    const leaves: PendingLeaf[] = [];
    const maxDescents = batch.capacity * this.params.descentsPerLeaf;
    const maxCollisions = Math.max(1, Math.floor(batch.capacity * this.params.collisionShare));
    let collisions = 0;
    for (let descent = 0; descent < maxDescents && leaves.length < batch.capacity && collisions < maxCollisions; descent++) {
      if (this.rootSolved() || this.playoutBudget() - leaves.length <= 0 || this.memoryFull()) break;
      const path = this.descend();
      if (path === null) {
        this.rootExhausted = true;
        break;
      }
      const outcome = this.settleLeaf(path, batch);
      this.undo(path.length - 1);
      if (outcome === "pending") leaves.push(path);
      if (outcome === "collision") collisions++;
    }
    this.stats.collisions += collisions;
    return leaves;
  }

  /**
   * Walks from the root to a node that is new, pending, terminal or proven, playing the moves on
   * the position and adding virtual loss. Returns the path, or null when the root has no edge left
   * to choose.
   */
  private descend(): MctsNode[] | null {
    const path: MctsNode[] = [this.root];
    let node = this.root;
    for (;;) {
      const solved = node === this.root ? this.rootSolved() : node.proof !== PROOF_NONE;
      if (node.status !== NODE_EXPANDED || solved) break;
      const child = selectChild(node, node === this.root ? this.allowed : null, this.params);
      if (child === null) {
        if (node === this.root) return null;
        break;
      }
      this.pos.doMove(child.move);
      path.push(child);
      node = child;
    }
    addVirtualLoss(path, this.params.virtualLoss);
    return path;
  }

  /** Tells whether the root is proven; a root restricted by `searchmoves` never counts as proven. */
  private rootSolved(): boolean {
    return this.allowed === null && this.root.proof !== PROOF_NONE;
  }

  private settleLeaf(path: MctsNode[], batch: LeafBatch): "pending" | "collision" | "settled" {
    const node = path[path.length - 1];
    if (node.status === NODE_PENDING) {
      addVirtualLoss(path, -this.params.virtualLoss);
      return "collision";
    }
    if (node.status === NODE_NEW) {
      const needsValue = this.expander.expandLeaf(node, this.pos);
      this.treeNodes++;
      this.treeEdges += node.edgeCount();
      if (needsValue) {
        batch.add(this.pos);
        return "pending";
      }
    }
    // A terminal or proven node, or an expanded one whose children are all proven.
    if (node.status === NODE_EXPANDED) updateProof(node);
    this.finishPlayout(path, settledValue(node));
    if (node.proof !== PROOF_NONE) propagateProof(path, path.length - 1, this.allowed !== null);
    return "settled";
  }

  private finishPlayout(path: MctsNode[], leafValue: number): void {
    backup(path, leafValue, this.params.virtualLoss);
    const depth = path.length - 1;
    this.stats.playouts++;
    this.stats.depthSum += depth;
    if (depth > this.stats.maxDepth) this.stats.maxDepth = depth;
  }

  private undo(plies: number): void {
    for (let i = 0; i < plies; i++) this.pos.undoMove();
  }

  /** Waits for the oldest batch, but at most pollMs; returns null when the wait timed out. */
  private async waitForFirst(flight: Flight): Promise<BatchResult | null> {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<null>((resolve) => {
      timer = setTimeout(resolve, this.params.pollMs, null);
    });
    try {
      return await Promise.race([flight.promise, tick]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Backs up the values of an evaluated batch. */
  private apply(flight: Flight, result: BatchResult): void {
    const scale = 2 * SCORE_SCALE;
    flight.leaves.forEach((path, row) => {
      const node = path[path.length - 1];
      node.status = NODE_EXPANDED;
      if (result.policy !== undefined) this.applyPolicy(node, path.length - 1, result.policy, row);
      // Win probability sigmoid(score / SCORE_SCALE) as a value in [-1, 1] is tanh(score / (2 * SCORE_SCALE)).
      this.finishPlayout(path, Math.tanh(result.scores[row] / scale));
    });
    this.pendingLeaves -= flight.leaves.length;
    this.stats.evaluated += flight.leaves.length;
    this.stats.batches++;
    if (result.networkMs !== undefined) this.stats.networkMs += result.networkMs;
  }

  /** Replaces a leaf's heuristic priors by the network's policy; the leaf has no children yet. */
  private applyPolicy(node: MctsNode, depth: number, policy: Float32Array, row: number): void {
    const count = node.edgeCount();
    const moves = node.edges!.slice(0, count);
    // Between descents the position is at the root, so the leaf's side to move follows from the depth.
    const turn = (this.pos.turn ^ (depth & 1)) as Color;
    const priors = new Float32Array(count);
    policyPriors(moves, count, turn, policy, row * POLICY_SIZE, priors);
    setEdges(node, moves, priors, count);
  }

  /** On a node or playout limit the batches out are awaited and counted; on any other stop they are dropped. */
  private async finishFlights(inFlight: Flight[], reason: StopReason): Promise<void> {
    const awaited = reason === "playouts" || reason === "depth";
    for (const flight of inFlight) {
      if (awaited) {
        this.apply(flight, await flight.promise);
        continue;
      }
      this.pendingLeaves -= flight.leaves.length;
      for (const path of flight.leaves) this.abandon(path);
    }
  }

  /** Takes a pending leaf back to new: its virtual loss is removed and its edges dropped. */
  private abandon(path: MctsNode[]): void {
    addVirtualLoss(path, -this.params.virtualLoss);
    const node = path[path.length - 1];
    this.treeEdges -= node.edgeCount();
    node.status = NODE_NEW;
    node.edges = null;
  }

  private stopReason(): StopReason | null {
    if (this.hooks.shouldStop?.() === true) return "stop";
    if (this.rootSolved()) return "solved";
    const elapsed = performance.now() - this.started;
    const { softMs, hardMs, playouts, depth } = this.limits;
    if ((softMs !== undefined && elapsed >= softMs) || (hardMs !== undefined && elapsed >= hardMs)) return "time";
    if (playouts !== undefined && this.stats.playouts >= playouts) return "playouts";
    if (depth !== undefined && this.stats.playouts > 0 && this.stats.depthSum / this.stats.playouts >= depth) return "depth";
    if (this.memoryFull()) return "memory";
    if (softMs === undefined) return null;
    if (this.stats.playouts > 0 && this.choosableEdges() === 1) return "forced";
    if (elapsed >= this.params.earlyStopMinMs && this.leaderIsSafe(softMs - elapsed, elapsed)) return "early";
    return null;
  }

  /** Tells whether no other root move can overtake the most visited one in the time left. */
  private leaderIsSafe(msLeft: number, elapsed: number): boolean {
    const [first, second] = rankedChildren(this.root, this.allowed);
    if (first === undefined || second === undefined) return false;
    const playoutsLeft = (this.stats.playouts / elapsed) * msLeft;
    return first.visits - second.visits > playoutsLeft;
  }

  private choosableEdges(): number {
    if (this.allowed === null) return this.root.edgeCount();
    return this.allowed.reduce((sum, flag) => sum + flag, 0);
  }

  /** Playouts that may still be started under `go nodes`. */
  private playoutBudget(): number {
    const limit = this.limits.playouts;
    return limit === undefined ? Infinity : limit - this.stats.playouts - this.pendingLeaves;
  }

  private memoryBytes(): number {
    return this.keptBytes + treeBytes({ nodes: this.treeNodes, edges: this.treeEdges });
  }

  private memoryFull(): boolean {
    return this.memoryBytes() >= this.limits.memoryBytes;
  }

  /** Returns the move and lines the search would report now; `reason` is "stop" while it still runs. */
  outcome(reason: StopReason = "stop"): MctsOutcome {
    const { bestMove, pv } = this.chooseMove();
    return { root: this.root, allowed: this.allowed, bestMove, pv, mateLine: this.mateLine, reason, stats: this.snapshot() };
  }

  private chooseMove(): { bestMove: Move; pv: Move[] } {
    if (this.mateLine !== undefined) return { bestMove: this.mateLine[0], pv: this.mateLine };
    const root = this.root;
    const best: MctsNode | undefined = rankedChildren(root, this.allowed)[0];
    // A root proven by a mate in one may have no child for the mating move yet.
    if (this.rootSolved() && root.proof === PROOF_WIN && root.proofMove !== MOVE_NONE && best?.proof !== PROOF_LOSS) {
      return { bestMove: root.proofMove, pv: [root.proofMove] };
    }
    if (best !== undefined) return { bestMove: best.move, pv: [best.move, ...principalVariation(best, MAX_PV_LENGTH)] };
    const fallback = firstAllowedMove(root, this.allowed);
    return { bestMove: fallback, pv: [fallback] };
  }
}

/** Marks the root edges whose moves `searchmoves` names; null when it names none, so all are allowed. */
function allowedEdges(root: MctsNode, searchMoves: Move[] | undefined): Uint8Array | null {
  if (searchMoves === undefined || searchMoves.length === 0) return null;
  const wanted = new Set(searchMoves.map(move16));
  const allowed = new Uint8Array(root.edgeCount());
  for (let i = 0; i < allowed.length; i++) allowed[i] = wanted.has(move16(root.edgeMove(i))) ? 1 : 0;
  return allowed.some((flag) => flag !== 0) ? allowed : null;
}

/** Returns the first root move that may be played, highest prior first, for a search without playouts. */
function firstAllowedMove(root: MctsNode, allowed: Uint8Array | null): Move {
  for (let i = 0; i < root.edgeCount(); i++) if (allowed === null || allowed[i] !== 0) return root.edgeMove(i);
  return root.edgeMove(0);
}
