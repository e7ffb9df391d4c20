// Checks the models of a run-data file: the base's and variants' cards, losses, match results and
// verdicts. Part of validateRunData (validate.ts).

import { validateArchitecture } from "../nn/architecture.js";
import type { ModelCard } from "../nn/model-card.js";
import {
  EVIDENCE_KEYS, FINE_TUNE_MODES, SPRT_DECISIONS, VERDICTS,
  type BudgetResult, type GeneralSetMetrics, type LayerDistance, type LossChange, type ModelInfo, type SprtResult, type Variant,
  type VariantLosses, type VariantVerdict,
} from "./run-data.js";
import {
  type JsonObject, RunDataError, fail, fieldPath, readArray, readChoice, readInteger, readIntegerItem, readNumber, readNumberIn,
  readObject, readOptionalString, readPositiveNumber, readRelativePath, readString, requireKnown, requireUnique,
} from "./validate-fields.js";

const PENTANOMIAL_BUCKETS = 5;

/** Reads `variants`, checking the fields each fine-tuning mode needs and that every result names a known budget. */
export function validateVariants(root: JsonObject, budgets: ReadonlySet<string>): Variant[] {
  const variants = readArray(root, "variants", "", (item, path) => readVariant(readObject(item, path), path, budgets));
  requireUnique(variants.map((variant) => variant.name), "variants", "variant name");
  return variants;
}

function readVariant(object: JsonObject, path: string, budgets: ReadonlySet<string>): Variant {
  const variant: Variant = {
    ...readModelInfo(object, path),
    mode: readChoice(object, "mode", path, FINE_TUNE_MODES),
    dataSource: readString(object, "dataSource", path),
    weightDistance: readArray(object, "weightDistance", path, readLayerDistance),
    results: readArray(object, "results", path, (item, itemPath) => readBudgetResult(item, itemPath, budgets)),
    verdict: readVerdict(readObject(object.verdict, fieldPath(path, "verdict")), fieldPath(path, "verdict")),
  };
  readTrainingSettings(object, path, variant);
  const description = readOptionalString(object, "description", path);
  if (description !== undefined) variant.description = description;
  if (object.generalSet !== undefined) variant.generalSet = readGeneralSet(readObject(object.generalSet, fieldPath(path, "generalSet")), fieldPath(path, "generalSet"));
  requireUnique(variant.results.map((result) => result.budget), fieldPath(path, "results"), "budget");
  return variant;
}

/** Learning rate, epochs and losses belong to trained modes, the LoRA rank to the lora mode only. */
function readTrainingSettings(object: JsonObject, path: string, variant: Variant): void {
  const trained = variant.mode !== "surroundings";
  for (const key of ["learningRate", "epochs", "losses"] as const) {
    if (!trained && object[key] !== undefined) fail(fieldPath(path, key), `no value for the surroundings mode, which trains no weights`, object[key]);
  }
  if (variant.mode !== "lora" && object.loraRank !== undefined) fail(fieldPath(path, "loraRank"), `no value for the ${variant.mode} mode`, object.loraRank);
  if (!trained) return;
  variant.learningRate = readPositiveNumber(object, "learningRate", path);
  variant.epochs = readInteger(object, "epochs", path, 1);
  if (variant.mode === "lora") variant.loraRank = readInteger(object, "loraRank", path, 1);
  if (object.losses !== undefined) variant.losses = readLosses(readObject(object.losses, fieldPath(path, "losses")), fieldPath(path, "losses"));
}

function readGeneralSet(object: JsonObject, path: string): GeneralSetMetrics {
  return {
    moveAgreement: readNumberIn(object, "moveAgreement", path, 0, 1),
    scoreCorrelation: readNumberIn(object, "scoreCorrelation", path, -1, 1),
  };
}

export function readModelInfo(object: JsonObject, path: string): ModelInfo {
  return {
    name: readString(object, "name", path),
    file: readRelativePath(object, "file", path),
    card: readCard(readObject(object.card, fieldPath(path, "card")), fieldPath(path, "card")),
  };
}

/** Checks a model card as the ONNX metadata stores it; the architecture goes through nn's own check. */
function readCard(object: JsonObject, path: string): ModelCard {
  let architecture;
  try {
    architecture = validateArchitecture(object.architecture);
  } catch (error) {
    throw new RunDataError(fieldPath(path, "architecture"), `${fieldPath(path, "architecture")}: ${(error as Error).message}`);
  }
  const provenance = readObject(object.provenance, fieldPath(path, "provenance"));
  readString(provenance, "source", fieldPath(path, "provenance"));
  const metrics = readObject(object.metrics, fieldPath(path, "metrics"));
  for (const [key, value] of Object.entries(metrics)) {
    const isMetric = typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
    if (!isMetric) fail(fieldPath(fieldPath(path, "metrics"), key), "a finite number or a string", value);
  }
  if (typeof object.contentHash !== "string") fail(fieldPath(path, "contentHash"), "a string", object.contentHash);
  const card: ModelCard = { architecture, provenance: provenance as unknown as ModelCard["provenance"], metrics: metrics as ModelCard["metrics"], contentHash: object.contentHash };
  const description = readOptionalString(object, "description", path);
  if (description !== undefined) card.description = description;
  return card;
}

export function readLossChange(object: JsonObject, key: string, path: string): LossChange {
  const lossPath = fieldPath(path, key);
  const loss = readObject(object[key], lossPath);
  return { before: readNumber(loss, "before", lossPath), after: readNumber(loss, "after", lossPath) };
}

export function readLosses(object: JsonObject, path: string): VariantLosses {
  return {
    fineTuning: readLossChange(object, "fineTuning", path),
    heldOut: readLossChange(object, "heldOut", path),
    generalValidation: readLossChange(object, "generalValidation", path),
  };
}

export function readLayerDistance(item: unknown, path: string): LayerDistance {
  const object = readObject(item, path);
  const relativeL2 = readNumber(object, "relativeL2", path);
  if (relativeL2 < 0) fail(fieldPath(path, "relativeL2"), "a number >= 0", relativeL2);
  return { layer: readString(object, "layer", path), relativeL2 };
}

export function readBudgetResult(item: unknown, path: string, budgets: ReadonlySet<string>): BudgetResult {
  const object = readObject(item, path);
  const budget = readString(object, "budget", path);
  requireKnown(budget, budgets, fieldPath(path, "budget"), "budget");
  const result: BudgetResult = {
    budget,
    games: readInteger(object, "games", path),
    wins: readInteger(object, "wins", path),
    draws: readInteger(object, "draws", path),
    losses: readInteger(object, "losses", path),
    pentanomial: readPentanomial(object, path),
    elo: readNumber(object, "elo", path),
    eloLower: readNumber(object, "eloLower", path),
    eloUpper: readNumber(object, "eloUpper", path),
    nelo: readNumber(object, "nelo", path),
    nelo95: readNumber(object, "nelo95", path),
    los: readNumberIn(object, "los", path, 0, 1),
  };
  if (result.wins + result.draws + result.losses !== result.games) {
    fail(fieldPath(path, "games"), `wins + draws + losses (${result.wins + result.draws + result.losses})`, result.games);
  }
  requireInterval(result.eloLower, result.elo, result.eloUpper, path);
  if (object.sprt !== undefined) result.sprt = readSprt(readObject(object.sprt, fieldPath(path, "sprt")), fieldPath(path, "sprt"));
  return result;
}

function readPentanomial(object: JsonObject, path: string): BudgetResult["pentanomial"] {
  const counts = readArray(object, "pentanomial", path, readIntegerItem);
  if (counts.length !== PENTANOMIAL_BUCKETS) fail(fieldPath(path, "pentanomial"), "5 counts [0, 1/2, 1, 3/2, 2 points]", counts);
  return counts as BudgetResult["pentanomial"];
}

/** Throws unless lower <= value <= upper. */
export function requireInterval(lower: number, value: number, upper: number, path: string): void {
  if (lower > value) fail(fieldPath(path, "eloLower"), `a number <= the estimate ${value}`, lower);
  if (upper < value) fail(fieldPath(path, "eloUpper"), `a number >= the estimate ${value}`, upper);
}

function readSprt(object: JsonObject, path: string): SprtResult {
  return {
    llr: readNumber(object, "llr", path),
    lower: readNumber(object, "lower", path),
    upper: readNumber(object, "upper", path),
    decision: readChoice(object, "decision", path, SPRT_DECISIONS),
  };
}

export function readVerdict(object: JsonObject, path: string): VariantVerdict {
  const evidencePath = fieldPath(path, "evidence");
  const evidence = readObject(object.evidence, evidencePath);
  const values = readObject(evidence.values, fieldPath(evidencePath, "values"));
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== "string") fail(fieldPath(fieldPath(evidencePath, "values"), key), "a string", value);
  }
  return {
    verdict: readChoice(object, "verdict", path, VERDICTS),
    evidence: {
      key: readChoice(evidence, "key", evidencePath, EVIDENCE_KEYS),
      values: values as Record<string, string>,
      text: readString(evidence, "text", evidencePath),
    },
  };
}

