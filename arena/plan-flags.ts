// Command-line settings of `shogi-lab arena`, merged over a plan file into one plan object.
// Paths given on the command line are resolved against the current folder before the merge.

import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { PlanError } from "./plan-fields.js";
import { parsePlan } from "./plan-parse.js";
import { type ArenaPlan, REFERENCE_PROFILES } from "./plan.js";

/** Settings from flags; each one that is set replaces the plan file's value. */
export interface PlanFlags {
  plan?: string;
  name?: string;
  kind?: string;
  /** Engine specs "NAME=TARGET"; see parseEngineFlag. They replace the plan's engines. */
  engine?: string[];
  /** "NAME.OPTION=VALUE" */
  engineOption?: string[];
  /** "NAME=ARG", in order, for engines given as a path. */
  engineArg?: string[];
  games?: number;
  pairs?: number;
  concurrency?: number;
  tc?: string;
  timeMargin?: number;
  openings?: string;
  openingPlies?: number;
  openingOrder?: string;
  seed?: number;
  maxPlies?: number;
  mateOnLastPly?: boolean;
  /** "MOVES,PROBABILITY", or false for --no-resign. */
  resign?: string | boolean;
  enteringKingRule?: string;
  elo0?: number;
  elo1?: number;
  alpha?: number;
  beta?: number;
  sprtModel?: string;
  /** "NAME=ELO" */
  anchor?: string[];
  db?: string;
  logDir?: string;
}

type PlanJson = Record<string, unknown>;

/** Builds the plan from the plan file (if any) and the flags. Throws PlanError. */
export function planFromFlags(flags: PlanFlags, cwd = process.cwd()): ArenaPlan {
  const base: PlanJson = flags.plan ? readPlanJson(resolve(cwd, flags.plan)) : {};
  const merged = { ...base, ...scalarFlags(flags, cwd) };
  if (flags.engine && flags.engine.length > 0) merged.engines = flags.engine.map((spec) => parseEngineFlag(spec, cwd));
  applyEngineFlags(merged, flags);
  if (flags.games !== undefined) delete merged.pairs;
  if (flags.pairs !== undefined) delete merged.games;
  applySprtFlags(merged, flags);
  const baseDir = flags.plan ? dirname(resolve(cwd, flags.plan)) : cwd;
  return parsePlan(merged, baseDir);
}

function readPlanJson(path: string): PlanJson {
  try {
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("the file does not contain a JSON object");
    return json as PlanJson;
  } catch (error) {
    throw new PlanError(`cannot read the plan file ${path}: ${(error as Error).message}`);
  }
}

function scalarFlags(flags: PlanFlags, cwd: string): PlanJson {
  const json: PlanJson = {};
  const copy = (key: string, value: unknown) => {
    if (value !== undefined) json[key] = value;
  };
  copy("name", flags.name);
  copy("kind", flags.kind);
  copy("games", flags.games);
  copy("pairs", flags.pairs);
  copy("concurrency", flags.concurrency);
  if (flags.tc !== undefined) json.timeControl = parseTimeControlFlag(flags.tc);
  copy("timeMarginMs", flags.timeMargin);
  copy("seed", flags.seed);
  copy("maxPlies", flags.maxPlies);
  // Commander sets a lone --no-mate-on-last-ply flag to true when absent, so only false counts.
  if (flags.mateOnLastPly === false) json.mateOnLastPlyCounts = false;
  copy("enteringKingRule", flags.enteringKingRule);
  if (flags.resign !== undefined && flags.resign !== true) json.resign = flags.resign === false ? false : parseResignFlag(flags.resign);
  if (flags.openings !== undefined) {
    json.openings = { path: resolve(cwd, flags.openings), ...(flags.openingPlies !== undefined ? { plies: flags.openingPlies } : {}), ...(flags.openingOrder ? { order: flags.openingOrder } : {}) };
  }
  if (flags.anchor) json.anchors = Object.fromEntries(flags.anchor.map((text) => keyValue(text, "--anchor", "NAME=ELO")).map(([name, elo]) => [name, Number(elo)]));
  if (flags.db !== undefined) json.db = resolve(cwd, flags.db);
  if (flags.logDir !== undefined) json.logDir = resolve(cwd, flags.logDir);
  return json;
}

/**
 * Parses "NAME=TARGET" (NAME defaults to TARGET's file name). TARGET is "ours" or
 * "ours:MODEL" (MODEL an .onnx file or "material"), a reference profile (fsf-wasm, fsf,
 * gpsusi), or the path of a USI executable.
 */
export function parseEngineFlag(spec: string, cwd: string): PlanJson {
  const equals = spec.indexOf("=");
  const target = equals < 0 ? spec : spec.slice(equals + 1);
  const name = equals < 0 ? basename(target) : spec.slice(0, equals);
  if (name === "" || target === "") throw new PlanError(`--engine "${spec}": expected NAME=TARGET, such as base=ours:models/base.onnx or fsf=fsf-wasm`);
  if (target === "ours") return { name, type: "ours" };
  if (target.startsWith("ours:")) {
    const model = target.slice("ours:".length);
    return { name, type: "ours", model: model === "material" ? model : resolve(cwd, model) };
  }
  if ((REFERENCE_PROFILES as readonly string[]).includes(target)) return { name, type: "reference", profile: target };
  return { name, type: "command", command: target.includes("/") ? resolve(cwd, target) : target };
}

/** Applies --engine-option and --engine-arg to the engines of the merged plan. */
function applyEngineFlags(merged: PlanJson, flags: PlanFlags): void {
  const engines = Array.isArray(merged.engines) ? (merged.engines as PlanJson[]) : [];
  const find = (name: string, flag: string): PlanJson => {
    const engine = engines.find((item) => item.name === name);
    if (!engine) throw new PlanError(`${flag}: no engine named "${name}" in the plan`);
    return engine;
  };
  for (const text of flags.engineOption ?? []) {
    const [target, value] = keyValue(text, "--engine-option", "NAME.OPTION=VALUE");
    const dot = target.indexOf(".");
    if (dot <= 0) throw new PlanError(`--engine-option "${text}": expected NAME.OPTION=VALUE`);
    const engine = find(target.slice(0, dot), "--engine-option");
    engine.options = { ...(engine.options as PlanJson | undefined), [target.slice(dot + 1)]: optionValue(value) };
  }
  for (const text of flags.engineArg ?? []) {
    const [name, arg] = keyValue(text, "--engine-arg", "NAME=ARG");
    const engine = find(name, "--engine-arg");
    engine.args = [...((engine.args as string[] | undefined) ?? []), arg];
  }
}

function applySprtFlags(merged: PlanJson, flags: PlanFlags): void {
  const values = { elo0: flags.elo0, elo1: flags.elo1, alpha: flags.alpha, beta: flags.beta, model: flags.sprtModel };
  const given = Object.entries(values).filter(([, value]) => value !== undefined);
  if (given.length === 0) return;
  merged.sprt = { ...(merged.sprt as PlanJson | undefined), ...Object.fromEntries(given) };
}

/** Numbers and booleans become typed values; other text stays a string. */
function optionValue(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  const number = Number(text);
  return text.trim() !== "" && Number.isFinite(number) ? number : text;
}

function keyValue(text: string, flag: string, form: string): [string, string] {
  const equals = text.indexOf("=");
  if (equals <= 0) throw new PlanError(`${flag} "${text}": expected ${form}`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}

/**
 * Parses --tc: "byoyomi=MS" or "byoyomi=MS,main=MS", "fischer=MAIN+INC" (milliseconds),
 * "movetime=MS", "nodes=N" or "depth=N".
 */
export function parseTimeControlFlag(text: string): PlanJson {
  const fields = Object.fromEntries(text.split(",").map((part) => keyValue(part.trim(), "--tc", "TYPE=VALUE")));
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  if (fields.byoyomi !== undefined) return { type: "byoyomi", byoyomiMs: number(fields.byoyomi), mainMs: number(fields.main) ?? 0 };
  if (fields.fischer !== undefined) {
    const [main, increment] = fields.fischer.split("+");
    return { type: "fischer", mainMs: number(main), incrementMs: number(increment) ?? 0 };
  }
  if (fields.movetime !== undefined) return { type: "movetime", movetimeMs: number(fields.movetime) };
  if (fields.nodes !== undefined) return { type: "nodes", nodes: number(fields.nodes) };
  if (fields.depth !== undefined) return { type: "depth", depth: number(fields.depth) };
  throw new PlanError(`--tc "${text}": expected byoyomi=MS[,main=MS], fischer=MAIN+INC, movetime=MS, nodes=N or depth=N`);
}

function parseResignFlag(text: string): PlanJson {
  const [moves, probability] = text.split(",");
  if (probability === undefined) throw new PlanError(`--resign "${text}": expected MOVES,WIN_PROBABILITY such as 4,0.02`);
  return { moves: Number(moves), winProbability: Number(probability) };
}
