// The game clock: per-side remaining time under byoyomi or Fischer, the `go` limits for the side
// to move, and the time it may use before it loses on time.

import { BLACK, type Color, WHITE } from "../shogi/types.js";
import type { SearchLimits } from "../usi/client.js";
import type { TimeControl } from "./plan.js";

/**
 * Remaining main time per side in milliseconds. Byoyomi: the main time runs down first and a
 * move may use main time plus one byoyomi period. Fischer: `btime` and `wtime` are sent before
 * this move's increment is added, and the move may use remaining time plus the increment.
 */
export class GameClock {
  private readonly remainingMs: [number, number];
  private readonly usedMs: [number, number] = [0, 0];

  constructor(
    private readonly controls: readonly [TimeControl, TimeControl],
    private readonly marginMs: number,
  ) {
    this.remainingMs = [mainTimeOf(controls[0]), mainTimeOf(controls[1])];
  }

  /** Returns the `go` arguments for the side to move. */
  limits(turn: Color): SearchLimits {
    const control = this.controls[turn];
    switch (control.type) {
      case "byoyomi":
        return { ...this.mainTimes(turn), byoyomi: control.byoyomiMs };
      case "fischer":
        return { ...this.mainTimes(turn), ...(turn === BLACK ? { binc: control.incrementMs } : { winc: control.incrementMs }) };
      case "movetime":
        return { movetime: control.movetimeMs };
      case "nodes":
        return { nodes: control.nodes };
      case "depth":
        return { depth: control.depth };
    }
  }

  /** Milliseconds the side to move may use, margin included; undefined when time is not limited. */
  allowedMs(turn: Color): number | undefined {
    const control = this.controls[turn];
    switch (control.type) {
      case "byoyomi":
        return this.remainingMs[turn] + control.byoyomiMs + this.marginMs;
      case "fischer":
        return this.remainingMs[turn] + control.incrementMs + this.marginMs;
      case "movetime":
        return control.movetimeMs + this.marginMs;
      default:
        return undefined;
    }
  }

  /** Charges a move's time to the side that made it. */
  charge(turn: Color, elapsedMs: number): void {
    this.usedMs[turn] += elapsedMs;
    const control = this.controls[turn];
    if (control.type === "byoyomi") this.remainingMs[turn] = Math.max(0, this.remainingMs[turn] - elapsedMs);
    if (control.type === "fischer") this.remainingMs[turn] = Math.max(0, this.remainingMs[turn] + control.incrementMs - elapsedMs);
  }

  /** Returns the total milliseconds used by each side, [black, white]. */
  totalUsedMs(): [number, number] {
    return [...this.usedMs];
  }

  /**
   * `btime` and `wtime`. A side without a clock gets the mover's remaining time, so that the
   * engine reads an even clock.
   */
  private mainTimes(turn: Color): { btime: number; wtime: number } {
    const own = this.remainingMs[turn];
    const timeOf = (color: Color) => (hasClock(this.controls[color]) ? this.remainingMs[color] : own);
    return { btime: timeOf(BLACK), wtime: timeOf(WHITE) };
  }
}

function hasClock(control: TimeControl): boolean {
  return control.type === "byoyomi" || control.type === "fischer";
}

function mainTimeOf(control: TimeControl): number {
  return control.type === "byoyomi" || control.type === "fischer" ? control.mainMs : 0;
}
