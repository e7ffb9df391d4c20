// Checks a parsed run-data.json against the schema in run-data.ts and returns it typed. Every error
// is a RunDataError whose message starts with the path of the offending field.

import {
  CONTROL_EXPECTATIONS, CONTROL_KINDS, GAME_RESULTS, RUN_DATA_VERSION,
  type BudgetResolution, type Control, type CurvePoint, type GameEntry, type MachineInfo, type NodeBudget, type PoolRating,
  type PoolTable, type RunData, type RunInfo, type VerdictThresholds,
} from "./run-data.js";
import { readLossChange, readModelInfo, requireInterval, validateVariants } from "./validate-variant.js";
import {
  type JsonObject, RunDataError, fail, fieldPath, readArray, readBoolean, readChoice, readInteger, readNumber, readNumberIn,
  readObject, readOptionalNumber, readOptionalString, readPositiveNumber, readRelativePath, readString, readTimestamp, requireKnown,
  requireUnique,
} from "./validate-fields.js";

export { RunDataError } from "./validate-fields.js";

/** Checks a parsed run-data file and returns it typed; throws RunDataError naming the first invalid field. */
export function validateRunData(json: unknown): RunData {
  const root = readObject(json, "run-data");
  if (root.version !== RUN_DATA_VERSION) fail("version", `${RUN_DATA_VERSION} (the run-data version this report reads)`, root.version);
  const run = readRunInfo(readObject(root.run, "run"), "run");
  const budgets = new Set(run.budgets.map((budget) => budget.name));
  const variants = validateVariants(root, budgets);
  const playerNames = new Set(variants.map((variant) => variant.name));
  const data: RunData = {
    version: RUN_DATA_VERSION,
    run,
    base: readModelInfo(readObject(root.base, "base"), "base"),
    variants,
    controls: readArray(root, "controls", "", (item, path) => readControl(item, path, playerNames)),
    curves: readArray(root, "curves", "", (item, path) => readCurvePoint(item, path, playerNames)),
    pool: readArray(root, "pool", "", (item, path) => readPoolTable(item, path, budgets)),
    games: readArray(root, "games", "", (item, path) => readGame(item, path, budgets)),
    resolution: readArray(root, "resolution", "", (item, path) => readResolution(item, path, budgets)),
    verdictThresholds: readThresholds(readObject(root.verdictThresholds, "verdictThresholds"), "verdictThresholds", budgets),
  };
  if (playerNames.has(data.base.name)) throw new RunDataError("base.name", `base.name: "${data.base.name}" is also the name of a variant`);
  requireUnique(data.games.map((game) => game.id), "games", "game id");
  requireUnique(data.controls.map((control) => control.name), "controls", "control name");
  return data;
}

function readRunInfo(object: JsonObject, path: string): RunInfo {
  const run: RunInfo = {
    name: readString(object, "name", path),
    profile: readString(object, "profile", path),
    plan: readObject(object.plan, fieldPath(path, "plan")),
    startedAt: readTimestamp(object, "startedAt", path),
    updatedAt: readTimestamp(object, "updatedAt", path),
    machine: readMachine(readObject(object.machine, fieldPath(path, "machine")), fieldPath(path, "machine")),
    budgets: readArray(object, "budgets", path, readBudget),
  };
  if (object.finishedAt !== undefined) run.finishedAt = readTimestamp(object, "finishedAt", path);
  requireUnique(run.budgets.map((budget) => budget.name), fieldPath(path, "budgets"), "budget name");
  return run;
}

function readMachine(object: JsonObject, path: string): MachineInfo {
  const machine: MachineInfo = {
    cpu: readString(object, "cpu", path),
    cores: readInteger(object, "cores", path, 1),
    os: readString(object, "os", path),
    node: readString(object, "node", path),
  };
  const hostname = readOptionalString(object, "hostname", path);
  if (hostname !== undefined) machine.hostname = hostname;
  const memory = readOptionalNumber(object, "memoryGiB", path);
  if (memory !== undefined) machine.memoryGiB = memory;
  const accelerator = readOptionalString(object, "accelerator", path);
  if (accelerator !== undefined) machine.accelerator = accelerator;
  return machine;
}

function readBudget(item: unknown, path: string): NodeBudget {
  const object = readObject(item, path);
  return { name: readString(object, "name", path), nodes: readInteger(object, "nodes", path, 1) };
}

function readControl(item: unknown, path: string, variants: ReadonlySet<string>): Control {
  const object = readObject(item, path);
  const control: Control = {
    name: readString(object, "name", path),
    kind: readChoice(object, "kind", path, CONTROL_KINDS),
    expectation: readChoice(object, "expectation", path, CONTROL_EXPECTATIONS),
    validationLoss: readLossChange(object, "validationLoss", path),
    passed: readBoolean(object, "passed", path),
  };
  const description = readOptionalString(object, "description", path);
  if (description !== undefined) control.description = description;
  const variant = readOptionalString(object, "variant", path);
  if (variant !== undefined) {
    requireKnown(variant, variants, fieldPath(path, "variant"), "variant");
    control.variant = variant;
  }
  return control;
}

function readCurvePoint(item: unknown, path: string, variants: ReadonlySet<string>): CurvePoint {
  const object = readObject(item, path);
  const variant = readString(object, "variant", path);
  requireKnown(variant, variants, fieldPath(path, "variant"), "variant");
  return {
    variant,
    epoch: readInteger(object, "epoch", path),
    trainingLoss: readNumber(object, "trainingLoss", path),
    heldOutLoss: readNumber(object, "heldOutLoss", path),
    generalValidationLoss: object.generalValidationLoss === null ? null : readNumber(object, "generalValidationLoss", path),
  };
}

function readPoolTable(item: unknown, path: string, budgets: ReadonlySet<string>): PoolTable {
  const object = readObject(item, path);
  const budget = readString(object, "budget", path);
  requireKnown(budget, budgets, fieldPath(path, "budget"), "budget");
  const ratings = readArray(object, "ratings", path, readPoolRating);
  requireUnique(ratings.map((rating) => rating.player), fieldPath(path, "ratings"), "player");
  return { budget, ratings };
}

function readPoolRating(item: unknown, path: string): PoolRating {
  const object = readObject(item, path);
  const rating: PoolRating = {
    player: readString(object, "player", path),
    elo: readNumber(object, "elo", path),
    eloLower: readNumber(object, "eloLower", path),
    eloUpper: readNumber(object, "eloUpper", path),
    games: readInteger(object, "games", path),
    anchor: readBoolean(object, "anchor", path),
  };
  requireInterval(rating.eloLower, rating.elo, rating.eloUpper, path);
  return rating;
}

function readGame(item: unknown, path: string, budgets: ReadonlySet<string>): GameEntry {
  const object = readObject(item, path);
  const budget = readString(object, "budget", path);
  requireKnown(budget, budgets, fieldPath(path, "budget"), "budget");
  return {
    id: readString(object, "id", path),
    budget,
    black: readString(object, "black", path),
    white: readString(object, "white", path),
    result: readChoice(object, "result", path, GAME_RESULTS),
    termination: readString(object, "termination", path),
    plies: readInteger(object, "plies", path),
    opening: readString(object, "opening", path),
    kif: readRelativePath(object, "kif", path),
  };
}

function readResolution(item: unknown, path: string, budgets: ReadonlySet<string>): BudgetResolution {
  const object = readObject(item, path);
  const budget = readString(object, "budget", path);
  requireKnown(budget, budgets, fieldPath(path, "budget"), "budget");
  return {
    budget,
    eloHalfWidth: readPositiveNumber(object, "eloHalfWidth", path),
    gamesPerVariant: readInteger(object, "gamesPerVariant", path),
  };
}

function readThresholds(object: JsonObject, path: string, budgets: ReadonlySet<string>): VerdictThresholds {
  const budget = readString(object, "budget", path);
  requireKnown(budget, budgets, fieldPath(path, "budget"), "budget");
  return { budget, lossRiseTolerance: readNumberIn(object, "lossRiseTolerance", path, 0, 1) };
}
