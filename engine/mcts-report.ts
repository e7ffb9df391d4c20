// USI output of the tree search: scores converted from win rates, and MultiPV lines taken from
// the root's children.

import { SCORE_SCALE } from "../nn/architecture.js";
import type { Move } from "../shogi/types.js";
import type { Score } from "../usi/grammar.js";
import { type MctsNode, PROOF_LOSS, PROOF_WIN, principalVariation, rankedChildren } from "./mcts-node.js";
import type { MctsOutcome } from "./mcts-search.js";
import { VALUE_EVAL_MAX } from "./score.js";

/** Win rates closer than this to 0 or 1 are clamped before the logit, which is infinite there. */
const WIN_RATE_EPSILON = 1e-6;
const MAX_PV_LENGTH = 64;

export interface ReportedLine {
  /** 1-based rank among the root moves. */
  multipv: number;
  score: Score;
  pv: Move[];
}

/**
 * Centipawns of a value q in [-1, 1]: the win rate is p = (q + 1) / 2 and the score is the
 * inverse of p = sigmoid(cp / SCORE_SCALE), cp = -SCORE_SCALE * ln(1 / p - 1).
 */
export function valueToCp(q: number): number {
  const p = Math.min(1 - WIN_RATE_EPSILON, Math.max(WIN_RATE_EPSILON, (q + 1) / 2));
  const cp = Math.round(-SCORE_SCALE * Math.log(1 / p - 1));
  // Adding 0 turns the -0 of an even position into 0.
  return Math.max(-VALUE_EVAL_MAX, Math.min(VALUE_EVAL_MAX, cp)) + 0;
}

/** Score of a root child for the side to move at the root. */
export function childScore(child: MctsNode): Score {
  if (child.proof === PROOF_LOSS) return { kind: "mate", plies: child.proofPlies + 1 };
  if (child.proof === PROOF_WIN) return { kind: "mate", plies: -(child.proofPlies + 1) };
  return { kind: "cp", value: valueToCp(child.q()) };
}

/**
 * Returns the lines to print: the chosen move first with the outcome's PV, then the next best
 * root children, up to `count` lines in all.
 */
export function reportedLines(outcome: MctsOutcome, count: number): ReportedLine[] {
  const children = rankedChildren(outcome.root, outcome.allowed);
  const bestChild = children.find((child) => child.move === outcome.bestMove);
  const lines: ReportedLine[] = [{ multipv: 1, score: bestScore(outcome, bestChild), pv: outcome.pv }];
  for (const child of children) {
    if (lines.length >= count) break;
    if (child === bestChild) continue;
    lines.push({ multipv: lines.length + 1, score: childScore(child), pv: [child.move, ...principalVariation(child, MAX_PV_LENGTH)] });
  }
  return lines;
}

function bestScore(outcome: MctsOutcome, bestChild: MctsNode | undefined): Score {
  if (outcome.mateLine !== undefined) return { kind: "mate", plies: outcome.mateLine.length };
  if (bestChild !== undefined) return childScore(bestChild);
  // The move came from the root's own proof (a mate in one), or no playout finished.
  const root = outcome.root;
  if (root.proof === PROOF_WIN) return { kind: "mate", plies: root.proofPlies };
  return { kind: "cp", value: 0 };
}
