// Time allocation for one move from the USI clock fields: byoyomi, Fischer increment, sudden
// death or a fixed time per move. All values are milliseconds.

import { BLACK, type Color } from "../shogi/types.js";

export interface ClockState {
  btime?: number;
  wtime?: number;
  byoyomi?: number;
  binc?: number;
  winc?: number;
  movetime?: number;
}

export interface TimeOptions {
  /** Time reserved for the GUI and the pipes on every move (USI option NetworkDelay). */
  networkDelayMs: number;
  /** Minimum time spent on a move when the clock allows it (USI option MinimumThinkingTime). */
  minimumThinkingMs: number;
}

export interface TimeBudget {
  /** No new iteration starts after this. */
  softMs: number;
  /** The search stops at once at this point; the move is still sent within the clock. */
  hardMs: number;
}

/** Moves over which the remaining main time is spread. */
const MOVES_HORIZON = 40;
/** Largest share of the remaining main time that one move may use. */
const MAX_SHARE = 0.3;
/** Share of the increment that the target spends. */
const INCREMENT_SHARE = 0.8;

/**
 * Returns the time budget for the side to move, or null when the clock sets no limit (no time
 * fields, or only infinite/depth/nodes limits).
 */
export function allocateTime(turn: Color, clock: ClockState, options: TimeOptions): TimeBudget | null {
  const delay = options.networkDelayMs;
  if (clock.movetime !== undefined) {
    const fixed = Math.max(1, clock.movetime - delay);
    return { softMs: fixed, hardMs: fixed };
  }
  const remaining = turn === BLACK ? clock.btime : clock.wtime;
  const increment = (turn === BLACK ? clock.binc : clock.winc) ?? 0;
  const byoyomi = clock.byoyomi ?? 0;
  if (remaining === undefined && byoyomi === 0) return null;
  const main = Math.max(0, remaining ?? 0);
  // Everything that can be spent on this move without losing on time.
  const available = Math.max(1, main + byoyomi + increment - delay);
  const hard = Math.max(1, Math.min(available, main * MAX_SHARE + byoyomi + increment - delay));
  let soft = main / MOVES_HORIZON + increment * INCREMENT_SHARE;
  // Byoyomi that is not used is lost, so at least spend it.
  soft = Math.max(soft, byoyomi - delay, options.minimumThinkingMs);
  return { softMs: Math.min(soft, hard), hardMs: hard };
}
