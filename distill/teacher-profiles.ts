// Teacher engines: the built-in profiles (Fairy-Stockfish WebAssembly and native, GPSShogi) and
// any USI engine given by path. A profile gives the command that starts the engine, the options
// to send, the way to keep its search within a depth or node budget, and its score conversion.

import type { EngineCommand } from "../usi/engine-process.js";
import type { OptionValue, SearchLimits } from "../usi/client.js";
import { FSF_NATIVE_PATH, GPSUSI_PATH, fsfWasmEngine, isExecutable } from "../usi/reference-engines.js";
import { TeacherError } from "./teacher-errors.js";

export type BuiltinTeacherId = "fsf-wasm" | "fsf" | "gpsusi";
export const BUILTIN_TEACHERS: readonly BuiltinTeacherId[] = ["fsf-wasm", "fsf", "gpsusi"];
export const DEFAULT_TEACHER: BuiltinTeacherId = "fsf-wasm";
/** Other names accepted for the built-in profiles. */
const TEACHER_ALIASES: Readonly<Record<string, BuiltinTeacherId>> = { "fsf-native": "fsf" };

/** How much the teacher searches per position: a depth in plies, or a node count. */
export type SearchBudget = { kind: "depth"; depth: number } | { kind: "nodes"; nodes: number };

/** The teacher a caller requests. */
export interface TeacherSpec {
  /** A built-in profile ("fsf-wasm", "fsf", "gpsusi") or the path of a USI engine executable. */
  readonly teacher: string;
  /** Command-line arguments of an engine given by path; built-in profiles take none. */
  readonly args?: readonly string[];
  /** Option values sent after the handshake; they override the profile's defaults. */
  readonly options?: Readonly<Record<string, OptionValue>>;
  /** Factor from the engine's `score cp` to the project's scale; the profile's default when absent. */
  readonly scoreScale?: number;
}

/** A search budget in one engine's terms: options to set and `go` arguments. */
export interface SearchPlan {
  options: Record<string, OptionValue>;
  limits: SearchLimits;
}

/** A resolved teacher: how to start it, configure it and read its scores. */
export interface TeacherProfile {
  /** The built-in profile, or "custom" for an engine given by path. */
  readonly id: BuiltinTeacherId | "custom";
  /** Label for logs and summaries. */
  readonly name: string;
  readonly command: EngineCommand;
  /** Profile defaults merged with the caller's options. */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Factor from the engine's `score cp` to the project's scale (see teacher-score.ts). */
  readonly scoreScale: number;
  /** Options and `go` arguments for a budget; throws TeacherError "unsupported_budget". */
  plan(budget: SearchBudget): SearchPlan;
}

/**
 * Score factors: factor = 600 / a, where a is fitted so that sigmoid(cp / a) best predicts the
 * results of the engine's own self-play games (teacher-calibration.ts). Measured with
 * `node dist/bench/gensfen.js --games G --depth 6 --teachers T` (default gensfen settings, score
 * scale 1) on a shared 2-core machine: native Fairy-Stockfish 11.1, 300 games, 25,843 positions,
 * a = 1077 (a second run of 100 games: a = 960, 730..1210 over resampled games); the WebAssembly
 * build 1.1.12, 120 games, 11,566 positions, a = 740.
 *
 * Fairy-Stockfish prints `score cp` as its internal value * 100 / (its chess endgame pawn value,
 * about 210). A shogi pawn is worth about 90-100 internal units, so it reads as about 50 cp (the
 * native build gave +51 cp for an extra pawn at depth 1). At depth 6 a logit of the fit spans
 * about 20 of its pawns, so the factors shrink its scores rather than stretch them.
 */
// NOTE: each factor comes from one run at depth 6; other depths and openings may fit another a.
export const FSF_WASM_SCORE_SCALE = 0.81;
export const FSF_NATIVE_SCORE_SCALE = 0.56;
/**
 * GPSShogi with `UsiOutputPawnValue 100` prints centipawns of a 100-unit pawn. Ten games at
 * LimitDepth 4 fitted a = 507 (5th-95th percentile over resampled games: 193..1127), which does
 * not rule out 600, so its scores are taken as they are.
 */
export const GPSUSI_SCORE_SCALE = 1.0;
/** An engine given by path is assumed to print the project's scale already. */
export const CUSTOM_SCORE_SCALE = 1.0;

/** `go` clock for gpsusi, which rejects `go depth` and `go nodes`; its LimitDepth ends the search first. */
const GPSUSI_BYOYOMI_MS = 60_000;
/** Search depths that gpsusi's LimitDepth option accepts. */
const GPSUSI_MIN_DEPTH = 4;
const GPSUSI_MAX_DEPTH = 10;
/** Hash size in MB for each teacher process; small, because depth-limited searches fill little. */
const TEACHER_HASH_MB = 16;

/**
 * Resolves a teacher spec to a profile. Throws TeacherError "teacher_not_found" when a built-in
 * engine is not installed (naming its Debian package) or a path is not executable.
 */
export function resolveTeacher(spec: TeacherSpec, canExecute: (path: string) => boolean = isExecutable): TeacherProfile {
  const id = TEACHER_ALIASES[spec.teacher] ?? spec.teacher;
  const builtin = builtinProfile(id, canExecute);
  if (builtin && spec.args && spec.args.length > 0) {
    throw new TeacherError("invalid_option", `teacher '${spec.teacher}' is a built-in profile and takes no engine arguments; give the engine's path to pass arguments`);
  }
  const base = builtin ?? customProfile(spec.teacher, spec.args ?? [], canExecute);
  return {
    ...base,
    options: { ...base.options, ...spec.options },
    scoreScale: spec.scoreScale ?? base.scoreScale,
  };
}

function builtinProfile(id: string, canExecute: (path: string) => boolean): TeacherProfile | undefined {
  switch (id) {
    case "fsf-wasm":
      return {
        id, name: "Fairy-Stockfish (WebAssembly)", command: fsfWasmEngine(), scoreScale: FSF_WASM_SCORE_SCALE,
        options: { USI_Hash: TEACHER_HASH_MB, Threads: 1 }, plan: goLimits,
      };
    case "fsf":
      requireInstalled(FSF_NATIVE_PATH, "fairy-stockfish", id, canExecute);
      return {
        // Contempt (default 24 in the Debian build 11.1) would skew scores towards the side to move.
        id, name: "Fairy-Stockfish (native)", command: { command: FSF_NATIVE_PATH, args: [] }, scoreScale: FSF_NATIVE_SCORE_SCALE,
        options: { Hash: TEACHER_HASH_MB, Threads: 1, Contempt: 0 }, plan: goLimits,
      };
    case "gpsusi":
      requireInstalled(GPSUSI_PATH, "gpsshogi", id, canExecute);
      return {
        id, name: "GPSShogi (gpsusi)", command: { command: GPSUSI_PATH, args: [] }, scoreScale: GPSUSI_SCORE_SCALE,
        options: { UsiOutputPawnValue: 100, BookDepth: 0, Thread: 1 }, plan: gpsusiPlan,
      };
    default:
      return undefined;
  }
}

function customProfile(path: string, args: readonly string[], canExecute: (path: string) => boolean): TeacherProfile {
  if (!canExecute(path)) {
    throw new TeacherError(
      "teacher_not_found",
      `teacher '${path}' is neither a built-in profile (${BUILTIN_TEACHERS.join(", ")}) nor an executable file; give a built-in name or the path of a USI engine`,
    );
  }
  const name = [path, ...args].join(" ");
  return { id: "custom", name, command: { command: path, args: [...args] }, scoreScale: CUSTOM_SCORE_SCALE, options: {}, plan: goLimits };
}

function requireInstalled(path: string, debianPackage: string, id: string, canExecute: (path: string) => boolean): void {
  if (canExecute(path)) return;
  throw new TeacherError(
    "teacher_not_found",
    `teacher '${id}' needs ${path}, which is missing; install the Debian package ${debianPackage} (apt-get install ${debianPackage}) or use --teacher fsf-wasm`,
  );
}

/** `go depth D` or `go nodes N`, for engines that support both. */
function goLimits(budget: SearchBudget): SearchPlan {
  return { options: {}, limits: budget.kind === "depth" ? { depth: budget.depth } : { nodes: budget.nodes } };
}

/** GPSShogi searches to its LimitDepth option under any clock. */
function gpsusiPlan(budget: SearchBudget): SearchPlan {
  if (budget.kind !== "depth" || budget.depth < GPSUSI_MIN_DEPTH || budget.depth > GPSUSI_MAX_DEPTH) {
    const requested = budget.kind === "depth" ? `depth ${budget.depth}` : `${budget.nodes} nodes`;
    throw new TeacherError(
      "unsupported_budget",
      `teacher gpsusi searches to a depth of ${GPSUSI_MIN_DEPTH}..${GPSUSI_MAX_DEPTH} only (its LimitDepth option), not ${requested}; use --depth ${GPSUSI_MIN_DEPTH}..${GPSUSI_MAX_DEPTH}`,
    );
  }
  return { options: { LimitDepth: budget.depth }, limits: { btime: 0, wtime: 0, byoyomi: GPSUSI_BYOYOMI_MS } };
}
