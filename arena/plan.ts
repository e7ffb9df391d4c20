// The tournament plan: engines, pairings, time control, openings, adjudication and storage. A plan
// is plain JSON; parsePlan (plan-parse.ts) checks it and fills in the defaults below.

import type { SprtModel } from "./stats/index.js";
import type { EnteringKingRule } from "../shogi/rules.js";
import type { ClientTimeouts, OptionValue } from "../usi/client.js";

/** gauntlet: the first engine plays each other one; round-robin: every pair of engines meets. */
export type TournamentKind = "gauntlet" | "round-robin" | "sprt";
export const TOURNAMENT_KINDS: readonly TournamentKind[] = ["gauntlet", "round-robin", "sprt"];

/** Reference programs by profile name: Fairy-Stockfish WebAssembly, native Fairy-Stockfish, GPSShogi. */
export type ReferenceProfile = "fsf-wasm" | "fsf" | "gpsusi";
export const REFERENCE_PROFILES: readonly ReferenceProfile[] = ["fsf-wasm", "fsf", "gpsusi"];

/**
 * Time the engines get. A clock (byoyomi, fischer) counts per side over the game; the other
 * kinds limit each move. Byoyomi and increment are never combined, as USI requires.
 */
export type TimeControl =
  | { type: "byoyomi"; byoyomiMs: number; mainMs: number }
  | { type: "fischer"; mainMs: number; incrementMs: number }
  | { type: "movetime"; movetimeMs: number }
  | { type: "nodes"; nodes: number }
  | { type: "depth"; depth: number };

export type TimeControlType = TimeControl["type"];

interface EngineSpecCommon {
  /** Unique name in the plan, used in results and records. */
  name: string;
  /** USI option values sent after the handshake. */
  options: Record<string, OptionValue>;
  /**
   * Centipawns per unit of logit when the engine's scores become win probabilities for resign
   * adjudication: p = 1 / (1 + exp(-cp / scoreScale)). 600 for this project's engines.
   */
  scoreScale: number;
  /** This engine's own time control, replacing the plan's (per-side time odds). */
  timeControl?: TimeControl;
  /** Client time-outs that replace the defaults, such as a longer readyMs for a large network. */
  timeouts?: Partial<ClientTimeouts>;
}

/**
 * An engine: this project's engine with a model, a reference program, or any USI executable with
 * its arguments. The model is "material" or an .onnx file, and the engine loads its own default
 * model when it is absent.
 */
export type EngineSpec = EngineSpecCommon &
  (
    | { type: "ours"; model?: string }
    | { type: "reference"; profile: ReferenceProfile }
    | { type: "command"; command: string; args: string[]; cwd?: string }
  );

export type OpeningOrder = "random" | "sequential";

/**
 * Openings: a text file of SFEN or USI move lines, or a folder of KIF/CSA records. Each line or
 * record is cut after `plies` moves when set; records are cut at DEFAULT_RECORD_OPENING_PLIES
 * otherwise.
 */
export interface OpeningSpec {
  path: string;
  plies?: number;
  order: OpeningOrder;
}

/**
 * Resignation adjudication: a game ends when, for `moves` moves of each side in a row, the side
 * to move put its own winning chance at or below `winProbability` and the opponent put its own
 * at or above 1 - `winProbability`.
 */
export interface ResignSettings {
  moves: number;
  winProbability: number;
}

export interface SprtSettings {
  elo0: number;
  elo1: number;
  alpha: number;
  beta: number;
  model: SprtModel;
}

export interface ArenaPlan {
  name: string;
  kind: TournamentKind;
  engines: EngineSpec[];
  /** Colour-swapped game pairs per pairing of engines; the maximum for an SPRT. */
  pairs: number;
  /** Games played at once. */
  concurrency: number;
  timeControl: TimeControl;
  /** Milliseconds an engine may exceed its time before it loses on time. */
  timeMarginMs: number;
  openings?: OpeningSpec;
  /** Seed of the opening order; equal seeds give equal schedules. */
  seed: number;
  /** A game still running after this many plies (counted from the game's first move) is a draw. */
  maxPlies: number;
  /**
   * Whether a mate given by the move that reaches maxPlies wins. When false, the game is a draw
   * as soon as maxPlies plies are played, as shogi-server's max-moves rule does.
   */
  mateOnLastPlyCounts: boolean;
  /** false disables resignation adjudication; engines may still resign themselves. */
  resign: ResignSettings | false;
  enteringKingRule: EnteringKingRule;
  /** Required for kind "sprt", between the first two engines. */
  sprt?: SprtSettings;
  /** Engines with fixed pool ratings, by name, in Elo. */
  anchors: Record<string, number>;
  /** SQLite database of the results. */
  db: string;
  /** Folder for one engine I/O log per game and engine; no logs when absent. */
  logDir?: string;
}

export const DEFAULT_SCORE_SCALE = 600;
export const DEFAULT_SEED = 1;
export const DEFAULT_MAX_PLIES = 320;
export const DEFAULT_CONCURRENCY = 1;
export const DEFAULT_TIME_MARGIN_MS = 0;
export const DEFAULT_RESIGN: ResignSettings = { moves: 4, winProbability: 0.02 };
export const DEFAULT_ENTERING_KING_RULE: EnteringKingRule = "csa27";
export const DEFAULT_DB = "arena.sqlite";
/** Cut of KIF/CSA openings when the plan gives none. */
export const DEFAULT_RECORD_OPENING_PLIES = 24;

/**
 * Fields that do not change which games a tournament plays. They are left out of the plan
 * identity, so a rerun may change them and still resume the same tournament.
 */
export const RUN_ONLY_FIELDS = ["concurrency", "db", "logDir"] as const;

/** Returns the engine's own time control, or the plan's. */
export function timeControlOf(plan: ArenaPlan, engine: EngineSpec): TimeControl {
  return engine.timeControl ?? plan.timeControl;
}
