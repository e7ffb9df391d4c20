// Limits, statistics and results of the PUCT tree search (mcts-search.ts), and the estimate of
// the tree's memory that the memory budget is checked against.

import type { Move } from "../shogi/types.js";
import type { MctsNode, TreeSize } from "./mcts-node.js";

/**
 * Memory of a tree node and of an edge, for the memory budget. Measured with Node 20 on x64 over
 * 100,000-node trees: heapUsed grows by about 330 bytes per node and arrayBuffers by 8 bytes per
 * edge. The resident size of the process grows about twice as fast, because of the garbage
 * collector's headroom.
 */
export const NODE_BYTES = 330;
export const EDGE_BYTES = 8;

export interface MctsLimits {
  /** Playouts (`go nodes`); a playout is one leaf value backed up to the root. */
  playouts?: number;
  /** Mean depth of this search's playouts at which it stops (`go depth`). */
  depth?: number;
  /** Milliseconds after which the search stops. */
  softMs?: number;
  /** Milliseconds after which the search stops even when it would go on (ponderhit deadlines). */
  hardMs?: number;
  /** Root moves to consider; all legal moves when absent or empty. */
  searchMoves?: Move[];
  /** Leaves per batch. */
  batchSize: number;
  /** Memory budget of the tree in bytes; the search stops when the tree reaches it. */
  memoryBytes: number;
  /**
   * Estimated memory of a root kept from an earlier search, in bytes. When absent the tree is
   * walked to measure it, which takes about 0.4 ms per 1,000 nodes.
   */
  keptBytes?: number;
}

export type StopReason = "stop" | "time" | "playouts" | "depth" | "solved" | "memory" | "forced" | "early";

export interface MctsStats {
  /** Playouts of this search, terminal leaves included. */
  playouts: number;
  /** Leaves evaluated by the network. */
  evaluated: number;
  batches: number;
  collisions: number;
  /** Milliseconds the network spent, summed over batches; 0 where the evaluator does not measure it. */
  networkMs: number;
  depthSum: number;
  maxDepth: number;
  ms: number;
  /** Estimated tree memory in bytes, and in permille of the budget. */
  treeBytes: number;
  memoryPermille: number;
}

export interface MctsOutcome {
  root: MctsNode;
  /** Root edges that `searchmoves` allows, or null when all are. */
  allowed: Uint8Array | null;
  bestMove: Move;
  /** Principal variation from the root, starting with bestMove. */
  pv: Move[];
  /** A mate line proven by the root mate solver, attacker's moves first. */
  mateLine?: Move[];
  reason: StopReason;
  stats: MctsStats;
}

export interface MctsHooks {
  /** Polled between batches and every pollMs while a batch is evaluated; true stops the search. */
  shouldStop?(): boolean;
  /** Called after each batch is backed up. */
  onBatch?(): void;
}

/** Estimated memory of a tree of the given size, in bytes. */
export function treeBytes(size: TreeSize): number {
  return size.nodes * NODE_BYTES + size.edges * EDGE_BYTES;
}
