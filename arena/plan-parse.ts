// Checking a tournament plan given as JSON and filling in its defaults.

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_SPRT_MODEL, SPRT_MODELS, type SprtModel } from "./stats/index.js";
import { ENTERING_KING_RULES, type EnteringKingRule } from "../shogi/rules.js";
import {
  type ArenaPlan, DEFAULT_CONCURRENCY, DEFAULT_DB, DEFAULT_ENTERING_KING_RULE, DEFAULT_MAX_PLIES, DEFAULT_RESIGN,
  DEFAULT_SCORE_SCALE, DEFAULT_SEED, DEFAULT_TIME_MARGIN_MS, type EngineSpec, type OpeningOrder, type OpeningSpec,
  REFERENCE_PROFILES, type ReferenceProfile, type ResignSettings, type SprtSettings, TOURNAMENT_KINDS,
  type TimeControl, type TournamentKind,
} from "./plan.js";
import { type FieldReader, PlanError, objectAt } from "./plan-fields.js";

export { PlanError } from "./plan-fields.js";

const OPENING_ORDERS: readonly OpeningOrder[] = ["random", "sequential"];
const MIN_ENGINES = 2;
/** Smallest ply limit: a game needs room for a few moves after its opening. */
const MIN_MAX_PLIES = 1;

/**
 * Checks a plan object and returns it with defaults filled in. Relative paths (models, commands
 * given as paths, openings, db, logDir) are resolved against `baseDir`. Throws PlanError naming
 * the field.
 */
export function parsePlan(json: unknown, baseDir = process.cwd()): ArenaPlan {
  const root = objectAt(json, "plan");
  const kind = root.choice("kind", TOURNAMENT_KINDS, "gauntlet") as TournamentKind;
  const engines = readEngines(root, baseDir);
  const plan: ArenaPlan = {
    name: root.string("name", "arena"),
    kind,
    engines,
    pairs: readPairs(root),
    concurrency: root.integer("concurrency", { min: 1, fallback: DEFAULT_CONCURRENCY }),
    timeControl: readTimeControl(root.object("timeControl"), "timeControl"),
    timeMarginMs: root.integer("timeMarginMs", { min: 0, fallback: DEFAULT_TIME_MARGIN_MS }),
    seed: root.integer("seed", { min: 0, fallback: DEFAULT_SEED }),
    maxPlies: root.integer("maxPlies", { min: MIN_MAX_PLIES, fallback: DEFAULT_MAX_PLIES }),
    mateOnLastPlyCounts: root.boolean("mateOnLastPlyCounts", true),
    resign: readResign(root),
    enteringKingRule: root.choice("enteringKingRule", ENTERING_KING_RULES, DEFAULT_ENTERING_KING_RULE) as EnteringKingRule,
    anchors: readAnchors(root, engines),
    db: resolvePath(baseDir, root.string("db", DEFAULT_DB)),
  };
  const openings = root.optionalObject("openings");
  if (openings) plan.openings = readOpenings(openings, baseDir);
  const logDir = root.optionalString("logDir");
  if (logDir !== undefined) plan.logDir = resolvePath(baseDir, logDir);
  readSprt(root, plan);
  root.rejectUnknown();
  return plan;
}

/** Reads and checks a plan file; relative paths in it are resolved against the file's folder. */
export function loadPlanFile(path: string): ArenaPlan {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PlanError(`cannot read the plan file ${path}: ${(error as Error).message}`);
  }
  return parsePlan(json, dirname(resolve(path)));
}

function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Reads `pairs`, or `games` (an even number of games per pairing). */
function readPairs(root: FieldReader): number {
  const pairs = root.optionalInteger("pairs", 1);
  const games = root.optionalInteger("games", 2);
  if (pairs !== undefined && games !== undefined) throw new PlanError("plan: give either pairs or games, not both");
  if (games !== undefined) {
    if (games % 2 !== 0) throw new PlanError(`plan.games: ${games} is odd; games come in colour-swapped pairs, so give an even number`);
    return games / 2;
  }
  if (pairs === undefined) throw new PlanError("plan: missing pairs or games (colour-swapped pairs, or games, per pairing of engines)");
  return pairs;
}

function readEngines(root: FieldReader, baseDir: string): EngineSpec[] {
  const list = root.array("engines");
  if (list.length < MIN_ENGINES) throw new PlanError(`plan.engines: a tournament needs at least ${MIN_ENGINES} engines, got ${list.length}`);
  const engines = list.map((item, index) => readEngine(objectAt(item, `${root.path}.engines[${index}]`), baseDir));
  const names = new Set<string>();
  for (const engine of engines) {
    if (names.has(engine.name)) throw new PlanError(`plan.engines: the name "${engine.name}" is used twice; engine names must be unique`);
    names.add(engine.name);
  }
  return engines;
}

function readEngine(field: FieldReader, baseDir: string): EngineSpec {
  const common = {
    name: field.string("name"),
    options: field.optionValues("options"),
    scoreScale: field.number("scoreScale", { min: Number.MIN_VALUE, fallback: DEFAULT_SCORE_SCALE }),
  };
  const type = field.choice("type", ["ours", "reference", "command"]);
  let engine: EngineSpec;
  if (type === "ours") {
    const model = field.optionalString("model");
    engine = { ...common, type };
    if (model !== undefined) engine.model = model === "material" ? model : resolvePath(baseDir, model);
  } else if (type === "reference") {
    engine = { ...common, type, profile: field.choice("profile", REFERENCE_PROFILES) as ReferenceProfile };
  } else {
    engine = { ...common, type: "command", command: commandPath(baseDir, field.string("command")), args: field.stringArray("args") };
    const cwd = field.optionalString("cwd");
    if (cwd !== undefined) engine.cwd = resolvePath(baseDir, cwd);
  }
  const timeControl = field.optionalObject("timeControl");
  if (timeControl) engine.timeControl = readTimeControl(timeControl, `${field.path}.timeControl`);
  const timeouts = field.optionalObject("timeouts");
  if (timeouts) engine.timeouts = timeouts.timeouts();
  field.rejectUnknown();
  return engine;
}

/** Resolves a command given as a path; a bare name is left for the PATH search. */
function commandPath(baseDir: string, command: string): string {
  return command.includes("/") ? resolvePath(baseDir, command) : command;
}

/**
 * Reads a time control. Byoyomi: `byoyomiMs` and optional `mainMs`; fischer: `mainMs` and
 * `incrementMs`; movetime: `movetimeMs`; nodes: `nodes`; depth: `depth`.
 */
export function readTimeControl(field: FieldReader, path: string): TimeControl {
  const type = field.choice("type", ["byoyomi", "fischer", "movetime", "nodes", "depth"]);
  let control: TimeControl;
  switch (type) {
    case "byoyomi":
      control = { type, byoyomiMs: field.integer("byoyomiMs", { min: 0 }), mainMs: field.integer("mainMs", { min: 0, fallback: 0 }) };
      if (control.byoyomiMs === 0 && control.mainMs === 0) throw new PlanError(`${path}: byoyomiMs and mainMs are both 0, which leaves no time`);
      break;
    case "fischer":
      control = { type, mainMs: field.integer("mainMs", { min: 1 }), incrementMs: field.integer("incrementMs", { min: 0 }) };
      break;
    case "movetime":
      control = { type, movetimeMs: field.integer("movetimeMs", { min: 1 }) };
      break;
    case "nodes":
      control = { type, nodes: field.integer("nodes", { min: 1 }) };
      break;
    default:
      control = { type: "depth", depth: field.integer("depth", { min: 1 }) };
  }
  field.rejectUnknown();
  return control;
}

function readOpenings(field: FieldReader, baseDir: string): OpeningSpec {
  const spec: OpeningSpec = {
    path: resolvePath(baseDir, field.string("path")),
    order: field.choice("order", OPENING_ORDERS, "random") as OpeningOrder,
  };
  const plies = field.optionalInteger("plies", 0);
  if (plies !== undefined) spec.plies = plies;
  field.rejectUnknown();
  return spec;
}

function readResign(root: FieldReader): ResignSettings | false {
  if (root.has("resign") && root.raw("resign") === false) {
    root.consume("resign");
    return false;
  }
  const field = root.optionalObject("resign");
  if (!field) return { ...DEFAULT_RESIGN };
  const settings = {
    moves: field.integer("moves", { min: 1, fallback: DEFAULT_RESIGN.moves }),
    winProbability: field.number("winProbability", { min: 0, max: 0.5, fallback: DEFAULT_RESIGN.winProbability }),
  };
  field.rejectUnknown();
  return settings;
}

function readAnchors(root: FieldReader, engines: readonly EngineSpec[]): Record<string, number> {
  const field = root.optionalObject("anchors");
  if (!field) return {};
  const anchors = field.numberRecord();
  for (const name of Object.keys(anchors)) {
    if (!engines.some((engine) => engine.name === name)) throw new PlanError(`plan.anchors: "${name}" is not the name of an engine in the plan`);
  }
  return anchors;
}

function readSprt(root: FieldReader, plan: ArenaPlan): void {
  const field = root.optionalObject("sprt");
  if (plan.kind !== "sprt") {
    if (field) throw new PlanError(`plan.sprt: SPRT settings need kind "sprt", but kind is "${plan.kind}"`);
    return;
  }
  if (!field) throw new PlanError('plan.sprt: kind "sprt" needs sprt settings with elo0 and elo1');
  if (plan.engines.length !== MIN_ENGINES) throw new PlanError(`plan.engines: an SPRT match takes exactly 2 engines, got ${plan.engines.length}`);
  const sprt: SprtSettings = {
    elo0: field.number("elo0"),
    elo1: field.number("elo1"),
    alpha: field.number("alpha", { min: Number.MIN_VALUE, max: 1, fallback: DEFAULT_ALPHA }),
    beta: field.number("beta", { min: Number.MIN_VALUE, max: 1, fallback: DEFAULT_BETA }),
    model: field.choice("model", SPRT_MODELS, DEFAULT_SPRT_MODEL) as SprtModel,
  };
  if (!(sprt.elo0 < sprt.elo1)) throw new PlanError(`plan.sprt: elo0 ${sprt.elo0} must be less than elo1 ${sprt.elo1}`);
  if (!(sprt.alpha + sprt.beta < 1)) throw new PlanError(`plan.sprt: alpha ${sprt.alpha} plus beta ${sprt.beta} must be below 1`);
  field.rejectUnknown();
  plan.sprt = sprt;
}
