// Nodes of the PUCT search tree: selection by PUCT with virtual loss, backup of playout values,
// and mate proofs (a solved node stays solved and is never evaluated again).
//
// Perspectives: visits and valueSum of a node are counted for the player who chose the move into
// it (the side to move at its parent), so a parent compares its children's Q directly. `proof` and
// `terminalValue` are for the side to move at the node itself. Values lie in [-1, 1].
//
// The edges of an expanded node (its legal moves and priors) are sorted by prior, highest first.
// They are kept in one Int32Array, moves first and then priors as integers in units of PRIOR_UNIT,
// which costs one array object per node instead of two. Child nodes exist only for edges that were
// selected; they form a singly linked list ordered by edge index, which costs no per-node array for
// the many edges that are never visited.

import type { Move } from "../shogi/types.js";
import { MOVE_NONE, move16 } from "../shogi/types.js";
import { MCTS_PARAMS, type MctsParams } from "./mcts-params.js";

/** Node status: not yet looked at, waiting for its evaluation, expanded with edges, or an end of the game. */
export const NODE_NEW = 0;
export const NODE_PENDING = 1;
export const NODE_EXPANDED = 2;
export const NODE_TERMINAL = 3;

/** Mate proofs, for the side to move at the node. */
export const PROOF_NONE = 0;
export const PROOF_WIN = 1;
export const PROOF_LOSS = 2;

/** A prior of 1 is stored as 2^30. */
const PRIOR_UNIT = 2 ** -30;
const PRIOR_SCALE = 2 ** 30;

export class MctsNode {
  visits = 0;
  valueSum = 0;
  /** Playouts through this node that wait for their evaluation. */
  virtualLoss = 0;
  status = NODE_NEW;
  proof = PROOF_NONE;
  /** Plies to the end of the game when proven: 0 for a side to move that has no legal move. */
  proofPlies = 0;
  /** The mating move of a node proven won by a mate in one, whose child may not exist. */
  proofMove: Move = MOVE_NONE;
  /** Value of a terminal node for its side to move: 0 for a draw by repetition or by the ply limit. */
  terminalValue = 0;
  /** Moves in [0, n), then their priors in units of PRIOR_UNIT in [n, 2n); null until expanded. */
  edges: Int32Array | null = null;
  firstChild: MctsNode | null = null;
  nextSibling: MctsNode | null = null;

  constructor(
    /** The move that leads here from the parent (MOVE_NONE at the root). */
    readonly move: Move,
    /** Index of that move in the parent's edges. */
    readonly edge: number,
  ) {}

  /** Q for the player who chose this node. */
  q(): number {
    return this.visits > 0 ? this.valueSum / this.visits : 0;
  }

  edgeCount(): number {
    return this.edges === null ? 0 : this.edges.length >> 1;
  }

  edgeMove(edge: number): Move {
    return this.edges![edge];
  }

  edgePrior(edge: number): number {
    const edges = this.edges!;
    return edges[(edges.length >> 1) + edge] * PRIOR_UNIT;
  }
}

/** Bits of an edge's index in the sort keys of setEdges; a move list has at most MAX_MOVES (600) entries. */
const INDEX_BITS = 10;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
/** Priors are ordered at a resolution of 2^-20, so a sort key fits an int32. */
const SORT_PRIOR_SCALE = 2 ** 20;
const sortKeys = new Int32Array(1 << INDEX_BITS);

/**
 * Sets the edges of a node, sorted by prior, highest first (priors closer than 2^-20 keep their
 * input order); the node must have no children.
 */
export function setEdges(node: MctsNode, moves: ArrayLike<Move>, priors: ArrayLike<number>, count: number): void {
  // Negated keys (prior << INDEX_BITS | index) sort ascending as "prior descending, then index" in
  // the native numeric sort, which is several times faster than a sort with a comparator.
  const keys = sortKeys.subarray(0, count);
  for (let i = 0; i < count; i++) keys[i] = -((Math.round(priors[i] * SORT_PRIOR_SCALE) << INDEX_BITS) | i);
  keys.sort();
  const edges = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const index = -keys[i] & INDEX_MASK;
    edges[i] = moves[index];
    edges[count + i] = Math.round(priors[index] * PRIOR_SCALE);
  }
  node.edges = edges;
}

/** Exploration constant at a node with `visits` visits. */
function explorationConstant(params: MctsParams, visits: number): number {
  return params.cpuct + params.cpuctFactor * Math.log((visits + params.cpuctBase) / params.cpuctBase);
}

/** Q of a child for the chooser, with each pending playout counted as a loss. */
function childQ(child: MctsNode): number {
  const visits = child.visits + child.virtualLoss;
  return visits > 0 ? (child.valueSum - child.virtualLoss) / visits : 0;
}

/**
 * Picks the child of an expanded node that PUCT scores highest and creates it if needed. A child
 * whose side to move is proven lost is taken at once; children proven won for their side to move
 * are skipped. `allowed` (root only) marks the edges that may be chosen. Returns null when no edge
 * can be chosen.
 */
export function selectChild(node: MctsNode, allowed: Uint8Array | null, params: MctsParams = MCTS_PARAMS): MctsNode | null {
  const edges = node.edges!;
  const count = edges.length >> 1;
  let visitedPrior = 0;
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.proof === PROOF_LOSS && (allowed === null || allowed[child.edge] !== 0)) return child;
    if (child.visits > 0) visitedPrior += edges[count + child.edge] * PRIOR_UNIT;
  }
  const parentVisits = node.visits + node.virtualLoss;
  const scale = explorationConstant(params, parentVisits) * Math.sqrt(Math.max(parentVisits, 1));
  const parentQ = node.visits > 0 ? -node.q() : 0;
  const fpu = parentQ - params.fpuReduction * Math.sqrt(visitedPrior);

  let bestScore = -Infinity;
  let bestEdge = -1;
  let bestChild: MctsNode | null = null;
  let child = node.firstChild;
  let freeEdgeScored = false;
  for (let edge = 0; edge < count; edge++) {
    if (child !== null && child.edge === edge) {
      const current = child;
      child = child.nextSibling;
      if (current.proof === PROOF_WIN || (allowed !== null && allowed[edge] === 0)) continue;
      const busy = current.visits + current.virtualLoss;
      const q = busy > 0 ? childQ(current) : fpu;
      const score = q + (scale * edges[count + edge] * PRIOR_UNIT) / (1 + busy);
      if (score > bestScore) {
        bestScore = score;
        bestEdge = edge;
        bestChild = current;
      }
      continue;
    }
    if (allowed !== null && allowed[edge] === 0) continue;
    if (freeEdgeScored) {
      // Edges without a child all have the FPU value and are sorted by prior, so only the first counts.
      if (child === null) break;
      edge = child.edge - 1;
      continue;
    }
    freeEdgeScored = true;
    const score = fpu + scale * edges[count + edge] * PRIOR_UNIT;
    if (score > bestScore) {
      bestScore = score;
      bestEdge = edge;
      bestChild = null;
    }
  }
  if (bestEdge < 0) return null;
  return bestChild ?? insertChild(node, bestEdge);
}

/** Creates the child of an edge and links it in edge order. */
function insertChild(node: MctsNode, edge: number): MctsNode {
  const created = new MctsNode(node.edges![edge], edge);
  if (node.firstChild === null || node.firstChild.edge > edge) {
    created.nextSibling = node.firstChild;
    node.firstChild = created;
    return created;
  }
  let before = node.firstChild;
  while (before.nextSibling !== null && before.nextSibling.edge < edge) before = before.nextSibling;
  created.nextSibling = before.nextSibling;
  before.nextSibling = created;
  return created;
}

/** Adds virtual loss along a path of nodes from the root. */
export function addVirtualLoss(path: readonly MctsNode[], amount: number): void {
  for (const node of path) node.virtualLoss += amount;
}

/**
 * Backs up one playout: `leafValue` is the value for the side to move at the last node of the
 * path. Removes the playout's virtual loss on the way.
 */
export function backup(path: readonly MctsNode[], leafValue: number, virtualLoss: number): void {
  let value = -leafValue;
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i];
    node.visits++;
    node.valueSum += value;
    node.virtualLoss -= virtualLoss;
    value = -value;
  }
}

/** Value of a solved or terminal node for its side to move. */
export function settledValue(node: MctsNode): number {
  if (node.proof === PROOF_WIN) return 1;
  if (node.proof === PROOF_LOSS) return -1;
  return node.terminalValue;
}

/**
 * Proves a node from its children: won when a child's side to move is proven lost, lost when every
 * edge has a child proven won for its side to move. Returns whether the node became proven.
 */
export function updateProof(node: MctsNode): boolean {
  if (node.proof !== PROOF_NONE || node.status !== NODE_EXPANDED) return false;
  let shortestWin = Infinity;
  let longestLoss = 0;
  let provenWins = 0;
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.proof === PROOF_LOSS) shortestWin = Math.min(shortestWin, child.proofPlies + 1);
    if (child.proof === PROOF_WIN) {
      provenWins++;
      longestLoss = Math.max(longestLoss, child.proofPlies + 1);
    }
  }
  if (shortestWin < Infinity) {
    node.proof = PROOF_WIN;
    node.proofPlies = shortestWin;
    return true;
  }
  if (provenWins > 0 && provenWins === node.edgeCount()) {
    node.proof = PROOF_LOSS;
    node.proofPlies = longestLoss;
    return true;
  }
  return false;
}

/**
 * Propagates a proof found at the end of a path towards the root, as far as parents become
 * proven. `fromIndex` is the deepest path index whose parent may change. With `skipRoot` the root
 * (index 0) is left alone, because a root restricted by `searchmoves` must not count as proven.
 */
export function propagateProof(path: readonly MctsNode[], fromIndex: number, skipRoot: boolean): void {
  const last = skipRoot ? 1 : 0;
  for (let i = fromIndex - 1; i >= last; i--) {
    if (!updateProof(path[i])) return;
  }
}

/**
 * Ranks two children for the final choice, for the chooser: a proven win first (shortest), then
 * unproven children by visits and Q, then proven losses (longest). Positive when `a` is better.
 */
export function compareChildren(a: MctsNode, b: MctsNode): number {
  if (choiceRank(a) !== choiceRank(b)) return choiceRank(a) - choiceRank(b);
  if (a.proof === PROOF_LOSS) return b.proofPlies - a.proofPlies;
  if (a.proof === PROOF_WIN) return a.proofPlies - b.proofPlies;
  if (a.visits !== b.visits) return a.visits - b.visits;
  return a.q() - b.q();
}

/** Rank of a child for the chooser: 2 when its side to move is proven lost, 0 when proven won, else 1. */
function choiceRank(node: MctsNode): number {
  if (node.proof === PROOF_LOSS) return 2;
  if (node.proof === PROOF_WIN) return 0;
  return 1;
}

/** Children of a node with at least one visit or a proof, best first; `allowed` filters root edges. */
export function rankedChildren(node: MctsNode, allowed: Uint8Array | null = null): MctsNode[] {
  const children: MctsNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (allowed !== null && allowed[child.edge] === 0) continue;
    if (child.visits > 0 || child.proof !== PROOF_NONE) children.push(child);
  }
  return children.sort((a, b) => compareChildren(b, a));
}

/** Returns the principal variation below a node: best children while they exist, then a known mating move. */
export function principalVariation(node: MctsNode, maxLength: number): Move[] {
  const pv: Move[] = [];
  let current: MctsNode | undefined = node;
  while (current !== undefined && pv.length < maxLength) {
    const best: MctsNode | undefined = rankedChildren(current)[0];
    if (best === undefined) {
      if (current.proof === PROOF_WIN && current.proofMove !== MOVE_NONE) pv.push(current.proofMove);
      break;
    }
    pv.push(best.move);
    current = best;
  }
  return pv;
}

/** Returns the child reached by a move (compared as Move16), or null. */
export function findChild(node: MctsNode, move: Move): MctsNode | null {
  const wanted = move16(move);
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (move16(child.move) === wanted) return child;
  }
  return null;
}

export interface TreeSize {
  nodes: number;
  edges: number;
}

/** Counts the nodes and edges below and including a node, without recursion. */
export function measureTree(root: MctsNode): TreeSize {
  const size: TreeSize = { nodes: 0, edges: 0 };
  const stack: MctsNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    size.nodes++;
    size.edges += node.edgeCount();
    for (let child = node.firstChild; child !== null; child = child.nextSibling) stack.push(child);
  }
  return size;
}
