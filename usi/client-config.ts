// Configuration, time-outs and result types of UsiClient.

import type { EnteringKingRule } from "../shogi/rules.js";
import type { OptionValue } from "./client-options.js";
import type { EngineCommand, EngineExit } from "./engine-process.js";
import type { GoParams, OptionDeclaration } from "./grammar.js";
import type { EngineFailure } from "./search-result.js";

/** Time-outs in milliseconds. */
export interface ClientTimeouts {
  /** From `usi` to `usiok`. */
  handshakeMs: number;
  /** From `isready` to `readyok`. */
  readyMs: number;
  /** From `stop` to the reply. */
  stopMs: number;
  /** From `quit` to the exit; the process is killed after it. */
  quitMs: number;
  /** Added to the allowed time of a timed search before the engine counts as stalled. */
  stallGraceMs: number;
  /** Deadline, from `go`, of a search without a time limit (`depth`, `nodes`). */
  untimedSearchMs: number;
}

// NOTE: readyMs, stopMs, stallGraceMs and untimedSearchMs are chosen, not measured; raise them for
// engines that load large networks or search to a fixed depth on slow machines.
export const DEFAULT_TIMEOUTS: Readonly<ClientTimeouts> = {
  // ShogiHome also waits 10 s for `usiok` by default.
  handshakeMs: 10_000,
  // Engines load their evaluation (possibly a large network) on `isready`.
  readyMs: 60_000,
  stopMs: 5_000,
  // ShogiHome also kills an engine 5 s after `quit`.
  quitMs: 5_000,
  stallGraceMs: 5_000,
  untimedSearchMs: 120_000,
};

export interface UsiClientConfig extends EngineCommand {
  /** Label of the engine in the I/O log; the command's file name when absent. */
  name?: string;
  /** Option values sent after the handshake (see planOptions for name matching). */
  options?: Readonly<Record<string, OptionValue>>;
  /** File that receives a timestamped line per line sent or received; no log when absent. */
  logFile?: string;
  timeouts?: Partial<ClientTimeouts>;
}

export interface EngineIdentity {
  name?: string;
  author?: string;
}

export type StartResult =
  | { kind: "ready"; id: EngineIdentity; options: OptionDeclaration[]; warnings: string[] }
  | EngineFailure;

export type ReadyResult = { kind: "readyok" } | EngineFailure;

/** `go` arguments for a move search; mate searches use `goMate`. */
export type SearchLimits = Omit<GoParams, "mate">;

export interface GoOptions {
  /**
   * Time the engine may use, in milliseconds from `go` (or from `ponderhit`). A later reply gives
   * `timeout`. No check when absent.
   */
  allowedMs?: number;
  /** Deadline for the reply, after which the engine counts as stalled and is killed. */
  stallTimeoutMs?: number;
  /** Rule that judges `bestmove win`; CSA 27-point rule when absent. */
  enteringKingRule?: EnteringKingRule;
}

export interface QuitResult {
  exit: EngineExit;
  /** True when the engine did not exit within the quit time-out and was killed. */
  killed: boolean;
}

export type ClientState = "stopped" | "idle" | "busy" | "searching";
