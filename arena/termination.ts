// Terminations of arena games as a typed union, and the end of a game: its winner and
// termination.

import type { EnteringKingRule } from "../shogi/rules.js";
import type { Color } from "../shogi/types.js";

/**
 * Why a game ended. The loser, where there is one, is named by the GameEnd around it:
 * - checkmate: the side to move has no legal move.
 * - resign: the engine to move sent `bestmove resign`.
 * - adjudicated-resign: both engines agreed for `moves` moves each that the loser is lost.
 * - declaration: an entering-king declaration (`bestmove win`) that the rule accepts; a win,
 *   or a draw under the 24-point rule with 24 to 30 points.
 * - false-declaration: a declaration that the rule rejects; the declarer loses.
 * - try: a king reached the opponent king's starting square under the try rule, or an engine
 *   declared with a legal king move onto it.
 * - repetition: the same position for the fourth time, a draw.
 * - perpetual-check: fourfold repetition with one side checking throughout; the checker loses.
 * - max-plies: the ply limit was reached, a draw.
 * - illegal-move: a move that our rules or the shogiops oracle reject, or text that is no move.
 * - time-forfeit: the reply came after the allowed time plus the margin (the late move is kept).
 * - crash, stall, handshake-timeout, ready-timeout: the engine exited, did not reply to `go` in
 *   time (and was killed), or sent no `usiok` after `usi` or no `readyok` after `isready`.
 */
export type Termination =
  | { kind: "checkmate" }
  | { kind: "resign" }
  | { kind: "adjudicated-resign"; moves: number; winProbability: number }
  | { kind: "declaration"; rule: EnteringKingRule }
  | { kind: "false-declaration"; rule: EnteringKingRule }
  | { kind: "try"; declared: boolean }
  | { kind: "repetition" }
  | { kind: "perpetual-check" }
  | { kind: "max-plies"; limit: number }
  | { kind: "illegal-move"; move: string; reason: IllegalReason }
  | { kind: "time-forfeit"; move: string; usedMs: number; allowedMs: number }
  | { kind: "crash"; exitCode: number | null; signal: string | null; stderr: string[] }
  | { kind: "stall"; waitedMs: number; stderr: string[] }
  | { kind: "handshake-timeout"; waitedMs: number; stderr: string[] }
  | { kind: "ready-timeout"; waitedMs: number; stderr: string[] };

export type TerminationKind = Termination["kind"];

/**
 * malformed: not USI move text; illegal: rejected by our rules; oracle-rejected: accepted by our
 * rules but rejected by shogiops.
 */
export type IllegalReason = "malformed" | "illegal" | "oracle-rejected";

export const TERMINATION_KINDS: readonly TerminationKind[] = [
  "checkmate", "resign", "adjudicated-resign", "declaration", "false-declaration", "try", "repetition",
  "perpetual-check", "max-plies", "illegal-move", "time-forfeit", "crash", "stall", "handshake-timeout",
  "ready-timeout",
];

/** Terminations caused by an engine fault rather than by play. */
export const FAULT_KINDS: readonly TerminationKind[] = [
  "false-declaration", "illegal-move", "time-forfeit", "crash", "stall", "handshake-timeout", "ready-timeout",
];

/** The end of a game: the winning colour, or undefined for a draw. */
export interface GameEnd {
  winner: Color | undefined;
  termination: Termination;
}

export function winBy(winner: Color, termination: Termination): GameEnd {
  return { winner, termination };
}

export function lossBy(loser: Color, termination: Termination): GameEnd {
  return { winner: (loser ^ 1) as Color, termination };
}

export function drawBy(termination: Termination): GameEnd {
  return { winner: undefined, termination };
}
