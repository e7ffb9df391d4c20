// Teacher scores in the project's scale: centipawns from the side to move's view, where the win
// probability of a score s is sigmoid(s / SCORE_SCALE) with SCORE_SCALE = 600 (YaneuraOu's learner
// convention). Engines report `score cp` in their own units, so each teacher carries a factor that
// converts its centipawns into this scale. Mate scores follow engine/score.ts: VALUE_MATE minus the
// distance in plies.

import { VALUE_EVAL_MAX, VALUE_MATE, VALUE_MATE_IN_MAX_PLY } from "../engine/score.js";
import type { Score } from "../usi/grammar.js";

export { VALUE_MATE, VALUE_MATE_IN_MAX_PLY };

/** Largest mate distance in plies that stays a mate score (VALUE_MATE - plies >= VALUE_MATE_IN_MAX_PLY). */
const MAX_MATE_PLIES = VALUE_MATE - VALUE_MATE_IN_MAX_PLY;

/**
 * Converts a USI score into the project's scale: `cp` values are multiplied by `scale`, rounded
 * half away from zero and clamped to +-VALUE_EVAL_MAX, so they never read as mate scores. A mate in n plies becomes
 * +-(VALUE_MATE - n); a mate of unknown length ("mate +" or "mate -") becomes
 * +-VALUE_MATE_IN_MAX_PLY, the shortest-looking mate score.
 */
export function toProjectScore(score: Score, scale: number): number {
  if (score.kind === "cp") {
    // Rounding half away from zero keeps scores of mirrored positions exact negatives.
    const product = score.value * scale;
    const scaled = Math.sign(product) * Math.round(Math.abs(product));
    return Math.max(-VALUE_EVAL_MAX, Math.min(VALUE_EVAL_MAX, scaled));
  }
  if (score.plies === "+") return VALUE_MATE_IN_MAX_PLY;
  if (score.plies === "-") return -VALUE_MATE_IN_MAX_PLY;
  const distance = Math.min(Math.abs(score.plies), MAX_MATE_PLIES);
  // "mate -0" (already mated) and negative distances are losses for the side to move.
  const losing = score.plies < 0 || Object.is(score.plies, -0);
  return losing ? -(VALUE_MATE - distance) : VALUE_MATE - distance;
}

/** Tells whether a project-scale score is a mate score. */
export function isMateScore(score: number): boolean {
  return Math.abs(score) >= VALUE_MATE_IN_MAX_PLY;
}
