// Score constants of the search and the conversions between search scores and USI scores.

/** Deepest ply the search reaches, quiescence included. */
export const MAX_PLY = 128;
export const VALUE_ZERO = 0;
export const VALUE_MATE = 32000;
export const VALUE_INFINITE = 32001;
/** Scores at or beyond this magnitude are mate scores. */
export const VALUE_MATE_IN_MAX_PLY = VALUE_MATE - MAX_PLY;
/** Largest magnitude an evaluation may return, so it never reads as a mate score. */
export const VALUE_EVAL_MAX = VALUE_MATE_IN_MAX_PLY - 1;

/** Score of delivering mate `ply` plies from the root. */
export function mateIn(ply: number): number {
  return VALUE_MATE - ply;
}

/** Score of being mated `ply` plies from the root. */
export function matedIn(ply: number): number {
  return -VALUE_MATE + ply;
}

export function isMateScore(score: number): boolean {
  return Math.abs(score) >= VALUE_MATE_IN_MAX_PLY;
}

/** Converts a score relative to the root into one relative to this node, for the hash table. */
export function scoreToTT(score: number, ply: number): number {
  if (score >= VALUE_MATE_IN_MAX_PLY) return score + ply;
  if (score <= -VALUE_MATE_IN_MAX_PLY) return score - ply;
  return score;
}

/** Converts a score read from the hash table back to one relative to the root. */
export function scoreFromTT(score: number, ply: number): number {
  if (score >= VALUE_MATE_IN_MAX_PLY) return score - ply;
  if (score <= -VALUE_MATE_IN_MAX_PLY) return score + ply;
  return score;
}

/** USI score text: "cp N", or "mate N" with N plies to mate, negative when being mated. */
export function usiScore(score: number): string {
  if (score >= VALUE_MATE_IN_MAX_PLY) return `mate ${VALUE_MATE - score}`;
  if (score <= -VALUE_MATE_IN_MAX_PLY) return `mate ${-(VALUE_MATE + score)}`;
  return `cp ${score}`;
}

export function clampEval(score: number): number {
  return Math.max(-VALUE_EVAL_MAX, Math.min(VALUE_EVAL_MAX, Math.round(score)));
}
