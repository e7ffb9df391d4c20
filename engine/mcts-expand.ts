// Expansion of a new leaf of the search tree, with the position at the leaf. The end of the game by
// rule (repetition, ply limit, declaration, no legal move) and mates in one settle the node at once.
// Any other leaf gets its edges and waits for the network's value.

import { MAX_MOVES, generateLegal } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { type EnteringKingRule, canDeclareWin, checkRepetition } from "../shogi/rules.js";
import { MOVE_NONE } from "../shogi/types.js";
import { mateIn1 } from "./mate.js";
import {
  type MctsNode, NODE_EXPANDED, NODE_PENDING, NODE_TERMINAL, PROOF_LOSS, PROOF_WIN, setEdges,
} from "./mcts-node.js";
import { HeuristicPriors } from "./mcts-priors.js";

/** Game rules that end a line inside the tree. */
export interface LeafRules {
  enteringKingRule: EnteringKingRule;
  /** Game plies (counted from the SFEN move number) at which the game is a draw; none when absent. */
  drawAtPly?: number;
}

/**
 * A position that has occurred before in the game or the tree ends the line. The cycle can be
 * repeated up to sennichite, so the line scores as that repetition would end: a draw, or a loss
 * for the side that checked throughout the cycle.
 */
const REPETITION_OCCURRENCES = 2;
const REPETITION_VALUE = { draw: 0, win: 1, loss: -1 } as const;
/** Plies of a mate in one, and of a declaration, which ends the game on the declarer's turn. */
const ONE_PLY = 1;

export class LeafExpander {
  private readonly moves = new Int32Array(MAX_MOVES);
  private readonly priors = new Float32Array(MAX_MOVES);
  private readonly heuristics = new HeuristicPriors();

  constructor(private readonly rules: LeafRules) {}

  /**
   * Settles or expands a new non-root node. Returns true when the node is left pending and needs
   * an evaluation, false when it became terminal or proven.
   */
  expandLeaf(node: MctsNode, pos: Position): boolean {
    const repetition = checkRepetition(pos, REPETITION_OCCURRENCES);
    if (repetition.kind !== "none") return this.terminal(node, REPETITION_VALUE[repetition.kind]);
    if (this.rules.drawAtPly !== undefined && pos.moveNumber - 1 >= this.rules.drawAtPly) return this.terminal(node, 0);
    if (canDeclareWin(pos, this.rules.enteringKingRule)) return this.prove(node, PROOF_WIN, ONE_PLY);

    const count = generateLegal(pos, this.moves, 0);
    if (count === 0) return this.prove(node, PROOF_LOSS, 0);
    const mate = mateIn1(pos);
    if (mate !== MOVE_NONE) {
      node.proofMove = mate;
      return this.prove(node, PROOF_WIN, ONE_PLY);
    }
    this.heuristics.compute(pos, this.moves, count, this.priors);
    setEdges(node, this.moves, this.priors, count);
    node.status = NODE_PENDING;
    return true;
  }

  /**
   * Expands the root, which needs no value of its own; the caller has ruled out a root without
   * legal moves. A mate in one proves the root won.
   */
  expandRoot(node: MctsNode, pos: Position): void {
    const count = generateLegal(pos, this.moves, 0);
    this.heuristics.compute(pos, this.moves, count, this.priors);
    setEdges(node, this.moves, this.priors, count);
    node.status = NODE_EXPANDED;
    const mate = mateIn1(pos);
    if (mate !== MOVE_NONE) {
      node.proof = PROOF_WIN;
      node.proofPlies = ONE_PLY;
      node.proofMove = mate;
    }
  }

  private terminal(node: MctsNode, value: number): false {
    node.status = NODE_TERMINAL;
    node.terminalValue = value;
    return false;
  }

  private prove(node: MctsNode, proof: number, plies: number): false {
    node.status = NODE_TERMINAL;
    node.proof = proof;
    node.proofPlies = plies;
    return false;
  }
}
