// Messages between the USI session (main thread) and the search worker, and the shared control
// block that the worker polls while it searches (a searching worker cannot read messages).

import type { ClockParams, GoParams } from "../usi/grammar.js";
import type { EngineSettings } from "./options.js";

/** Int32 slots of the control block. */
export const CONTROL_STOP = 0;
export const CONTROL_PONDERHIT = 1;
/** 1 when `ponderhit` carried clock fields, which then sit in the next five slots. */
export const CONTROL_PONDERHIT_CLOCK = 2;
export const CONTROL_CLOCK_BTIME = 3;
export const CONTROL_CLOCK_WTIME = 4;
export const CONTROL_CLOCK_BYOYOMI = 5;
export const CONTROL_CLOCK_BINC = 6;
export const CONTROL_CLOCK_WINC = 7;
export const CONTROL_SLOTS = 8;

export type ToWorker =
  | { type: "load"; settings: EngineSettings; engineRoot: string }
  | { type: "newgame" }
  | { type: "go"; id: number; sfen: string; moves: string[]; go: GoParams; settings: EngineSettings }
  | { type: "mate"; id: number; sfen: string; moves: string[]; timeMs: number | undefined };

export type FromWorker =
  | { type: "ready"; evaluator: string; warning?: string }
  | { type: "info"; id: number; line: string }
  | { type: "bestmove"; id: number; line: string }
  | { type: "checkmate"; id: number; line: string }
  | { type: "error"; message: string };

/** Writes the clock fields of a `ponderhit` extension into the control block. */
export function writePonderhitClock(control: Int32Array, clock: ClockParams): void {
  const fields = [clock.btime, clock.wtime, clock.byoyomi, clock.binc, clock.winc];
  if (fields.every((value) => value === undefined)) return;
  fields.forEach((value, i) => Atomics.store(control, CONTROL_CLOCK_BTIME + i, value ?? 0));
  Atomics.store(control, CONTROL_PONDERHIT_CLOCK, 1);
}

/** Reads the clock fields stored by writePonderhitClock, or undefined when there are none. */
export function readPonderhitClock(control: Int32Array): ClockParams | undefined {
  if (Atomics.load(control, CONTROL_PONDERHIT_CLOCK) === 0) return undefined;
  const read = (slot: number): number => Atomics.load(control, slot);
  return {
    btime: read(CONTROL_CLOCK_BTIME),
    wtime: read(CONTROL_CLOCK_WTIME),
    byoyomi: read(CONTROL_CLOCK_BYOYOMI),
    binc: read(CONTROL_CLOCK_BINC),
    winc: read(CONTROL_CLOCK_WINC),
  };
}
