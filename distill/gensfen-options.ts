// Options of teacher-data generation: their defaults, range checks, and the part of them that
// fixes the data, which a resumed run must share with the run it continues.

import { resolve } from "node:path";
import type { OptionValue } from "../usi/client.js";
import type { GameSettings } from "./gensfen-game.js";
import { DEFAULT_SEARCH_TIMEOUT_MS } from "./teacher.js";
import { TeacherError } from "./teacher-errors.js";
import type { SearchBudget, TeacherProfile, TeacherSpec } from "./teacher-profiles.js";

export interface GensfenOptions {
  readonly teacher: TeacherSpec;
  readonly budget: SearchBudget;
  /** Output file: .bin (PackedSfenValue) or .hcpe; other formats cannot be resumed by record count. */
  readonly output: string;
  /** Games the output should hold when the run ends, counting those of earlier runs. */
  readonly games: number;
  /** Teacher processes playing games at once; default 1. The data does not depend on it. */
  readonly workers?: number;
  /** Run seed; game i plays with a seed derived from it and i. Default DEFAULT_SEED. */
  readonly seed?: number;
  readonly randomPlies?: number;
  readonly randomMultipv?: number;
  /**
   * Opening set: SFEN/USI lines, a KIF/CSA record, or a folder of records; the start position when
   * absent. Game i starts from opening i modulo the set's size.
   */
  readonly openingFile?: string;
  /** Plies of each opening record to play before self-play starts. */
  readonly openingPlies?: number;
  readonly maxPlies?: number;
  readonly evalLimit?: number;
  readonly evalLimitPlies?: number;
  readonly skipFirstPlies?: number;
  readonly keepChecks?: boolean;
  /** Milliseconds one search may take before the teacher is restarted. */
  readonly searchTimeoutMs?: number;
  /** Delete an existing output and progress file and start over; default false. */
  readonly overwrite?: boolean;
  /** Prefix of per-worker USI logs (PREFIX.W.log); none when absent. */
  readonly teacherLog?: string;
}

export const GENSFEN_DEFAULTS = {
  workers: 1,
  seed: 1,
  randomPlies: 8,
  randomMultipv: 0,
  openingPlies: 24,
  maxPlies: 256,
  evalLimit: 3000,
  evalLimitPlies: 4,
  skipFirstPlies: 16,
  keepChecks: false,
  searchTimeoutMs: DEFAULT_SEARCH_TIMEOUT_MS,
} as const;

/** Largest ply the 16-bit ply field of the record formats holds. */
const MAX_PLY_FIELD = 65535;
/** Scores past this are mate scores (see teacher-score.ts), so a larger limit would never trigger. */
const MAX_EVAL_LIMIT = 31000;
const MAX_WORKERS = 256;
const MAX_SEARCH_DEPTH = 128;
const MAX_SEED = 0xffffffff;

/** Options with defaults filled in, checked. */
export interface ResolvedGensfenOptions extends GameSettings {
  readonly games: number;
  readonly workers: number;
  readonly seed: number;
  readonly openingFile: string | undefined;
  readonly openingPlies: number;
  readonly searchTimeoutMs: number;
}

/** Fills in defaults and range-checks; throws TeacherError "invalid_option" naming the option. */
export function resolveGensfenOptions(options: GensfenOptions): ResolvedGensfenOptions {
  const value = <K extends keyof typeof GENSFEN_DEFAULTS>(key: K): (typeof GENSFEN_DEFAULTS)[K] =>
    (options[key] ?? GENSFEN_DEFAULTS[key]) as (typeof GENSFEN_DEFAULTS)[K];
  const resolved: ResolvedGensfenOptions = {
    games: checkInteger("games", options.games, 1, Number.MAX_SAFE_INTEGER),
    workers: checkInteger("workers", value("workers"), 1, MAX_WORKERS),
    seed: checkInteger("seed", value("seed"), 0, MAX_SEED),
    randomPlies: checkInteger("random-plies", value("randomPlies"), 0, MAX_PLY_FIELD),
    randomMultipv: checkInteger("random-multipv", value("randomMultipv"), 0, MAX_WORKERS),
    openingFile: options.openingFile === undefined ? undefined : resolve(options.openingFile),
    openingPlies: checkInteger("opening-plies", value("openingPlies"), 0, MAX_PLY_FIELD),
    maxPlies: checkInteger("max-plies", value("maxPlies"), 1, MAX_PLY_FIELD),
    evalLimit: checkInteger("eval-limit", value("evalLimit"), 0, MAX_EVAL_LIMIT),
    evalLimitPlies: checkInteger("eval-limit-plies", value("evalLimitPlies"), 1, MAX_PLY_FIELD),
    skipFirstPlies: checkInteger("skip-first-plies", value("skipFirstPlies"), 0, MAX_PLY_FIELD),
    keepChecks: value("keepChecks"),
    searchTimeoutMs: checkInteger("search-timeout", value("searchTimeoutMs"), 1, Number.MAX_SAFE_INTEGER),
  };
  checkBudget(options.budget);
  return resolved;
}

/** Checks a depth or node budget; throws TeacherError "invalid_option". */
export function checkBudget(budget: SearchBudget): void {
  if (budget.kind === "depth") checkInteger("depth", budget.depth, 1, MAX_SEARCH_DEPTH);
  else checkInteger("nodes", budget.nodes, 1, Number.MAX_SAFE_INTEGER);
}

export function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TeacherError("invalid_option", `--${name} must be an integer in ${min}..${max}, not ${value}`);
  }
  return value;
}

/** The settings that fix which data a run writes; a resumed run must repeat them exactly. */
export interface DataConfig {
  /** The name of a custom teacher is its command line; built-in ones are known by id wherever they are installed. */
  teacher: { id: string; name: string; options: Record<string, OptionValue>; scoreScale: number };
  budget: SearchBudget;
  seed: number;
  randomPlies: number;
  randomMultipv: number;
  openingFile: string | null;
  openingPlies: number;
  maxPlies: number;
  evalLimit: number;
  evalLimitPlies: number;
  skipFirstPlies: number;
  keepChecks: boolean;
}

export function dataConfig(options: ResolvedGensfenOptions, profile: TeacherProfile, budget: SearchBudget): DataConfig {
  return {
    teacher: { id: profile.id, name: profile.name, options: { ...profile.options }, scoreScale: profile.scoreScale },
    budget,
    seed: options.seed,
    randomPlies: options.randomPlies,
    randomMultipv: options.randomMultipv,
    openingFile: options.openingFile ?? null,
    openingPlies: options.openingPlies,
    maxPlies: options.maxPlies,
    evalLimit: options.evalLimit,
    evalLimitPlies: options.evalLimitPlies,
    skipFirstPlies: options.skipFirstPlies,
    keepChecks: options.keepChecks,
  };
}

/** Names the top-level settings that differ between two configs. */
export function configDifferences(stored: DataConfig, current: DataConfig): (keyof DataConfig)[] {
  const keys = new Set([...Object.keys(stored), ...Object.keys(current)]) as Set<keyof DataConfig>;
  return [...keys].filter((key) => canonicalJson(stored[key]) !== canonicalJson(current[key]));
}

/** JSON with object keys sorted, so that option order does not count as a difference. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const entries = Object.entries(item).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  });
}
