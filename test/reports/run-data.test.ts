import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { translate } from "../../reports/i18n.js";
import {
  RUN_DATA_FILE, RunDataError, deriveVerdict, readRunData, validateRunData, verdictThresholdsFor, type BudgetResult, type RunData,
  type VariantLosses, type VerdictThresholds,
} from "../../reports/run-data.js";
import type { VerdictInput } from "../../reports/verdict.js";
import { FIXTURE_DIR, removeDir } from "./helpers.js";

function fixtureJson(): Record<string, any> {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, RUN_DATA_FILE), "utf8"));
}

function rejection(json: unknown): RunDataError {
  try {
    validateRunData(json);
  } catch (error) {
    if (error instanceof RunDataError) return error;
    throw error;
  }
  throw new Error("validateRunData accepted the broken data");
}

/** Index of the first variant with the given mode in the fixture. */
function variantIndex(json: Record<string, any>, mode: string): number {
  return json.variants.findIndex((variant: { mode: string }) => variant.mode === mode);
}

describe("validateRunData", () => {
  it("accepts the fixture", () => {
    const json = fixtureJson();
    expect(validateRunData(json)).toEqual(json);
  });

  const cases: Array<[string, (json: Record<string, any>) => string]> = [
    ["not an object", () => "run-data"],
    ["wrong version", (json) => ((json.version = 2), "version")],
    ["missing run name", (json) => (delete json.run.name, "run.name")],
    ["bad timestamp", (json) => ((json.run.startedAt = "yesterday"), "run.startedAt")],
    ["duplicate budget", (json) => ((json.run.budgets[1].name = json.run.budgets[0].name), "run.budgets[1]")],
    ["unknown mode", (json) => ((json.variants[0].mode = "qlora"), "variants[0].mode")],
    ["Elo not a number", (json) => ((json.variants[2].results[0].eloLower = "abc"), "variants[2].results[0].eloLower")],
    ["interval above estimate", (json) => ((json.variants[1].results[0].eloLower = json.variants[1].results[0].elo + 1), "variants[1].results[0].eloLower")],
    ["W/D/L sum", (json) => ((json.variants[0].results[0].wins += 1), "variants[0].results[0].games")],
    ["short pentanomial", (json) => (json.variants[0].results[0].pentanomial.pop(), "variants[0].results[0].pentanomial")],
    ["negative pentanomial count", (json) => ((json.variants[0].results[0].pentanomial[2] = -1), "variants[0].results[0].pentanomial[2]")],
    ["LOS above 1", (json) => ((json.variants[0].results[1].los = 1.5), "variants[0].results[1].los")],
    ["unknown result budget", (json) => ((json.variants[0].results[1].budget = "medium"), "variants[0].results[1].budget")],
    ["surroundings with learning rate", (json) => {
      const index = variantIndex(json, "surroundings");
      json.variants[index].learningRate = 0.001;
      return `variants[${index}].learningRate`;
    }],
    ["lora without rank", (json) => {
      const index = variantIndex(json, "lora");
      delete json.variants[index].loraRank;
      return `variants[${index}].loraRank`;
    }],
    ["full with rank", (json) => {
      const index = variantIndex(json, "full");
      json.variants[index].loraRank = 4;
      return `variants[${index}].loraRank`;
    }],
    ["trained without epochs", (json) => (delete json.variants[0].epochs, "variants[0].epochs")],
    ["duplicate variant", (json) => ((json.variants[1].name = json.variants[0].name), "variants[1]")],
    ["base named like a variant", (json) => ((json.base.name = json.variants[3].name), "base.name")],
    ["bad architecture", (json) => ((json.base.card.architecture.l1 = 0), "base.card.architecture")],
    ["card without provenance source", (json) => (delete json.variants[0].card.provenance.source, "variants[0].card.provenance.source")],
    ["unknown evidence key", (json) => ((json.variants[0].verdict.evidence.key = "evidence.vibes"), "variants[0].verdict.evidence.key")],
    ["unknown verdict", (json) => ((json.variants[0].verdict.verdict = "better"), "variants[0].verdict.verdict")],
    ["game result", (json) => ((json.games[0].result = "win"), "games[0].result")],
    ["record path leaves run folder", (json) => ((json.games[5].kif = "../../etc/passwd"), "games[5].kif")],
    ["absolute record path", (json) => ((json.games[6].kif = "/tmp/game.kif"), "games[6].kif")],
    ["duplicate game id", (json) => ((json.games[1].id = json.games[0].id), "games[1]")],
    ["anchor flag missing", (json) => (delete json.pool[0].ratings[0].anchor, "pool[0].ratings[0].anchor")],
    ["control of unknown variant", (json) => ((json.controls[1].variant = "nobody"), "controls[1].variant")],
    ["control kind", (json) => ((json.controls[0].kind = "neutral"), "controls[0].kind")],
    ["curve of unknown variant", (json) => ((json.curves[0].variant = "nobody"), "curves[0].variant")],
    ["negative epoch", (json) => ((json.curves[0].epoch = -1), "curves[0].epoch")],
    ["zero resolution", (json) => ((json.resolution[0].eloHalfWidth = 0), "resolution[0].eloHalfWidth")],
    ["thresholds of unknown budget", (json) => ((json.verdictThresholds.budget = "medium"), "verdictThresholds.budget")],
    ["games not an array", (json) => ((json.games = {}), "games")],
  ];

  it.each(cases)("rejects %s, naming the field", (_name, breakData) => {
    const json = fixtureJson();
    const field = breakData(json);
    const error = rejection(_name === "not an object" ? [json] : json);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it("error shows the invalid value", () => {
    const json = fixtureJson();
    json.variants[0].mode = "qlora";
    expect(rejection(json).message).toContain('"qlora"');
    expect(rejection(json).message).toContain('"surroundings"');
  });
});

describe("readRunData", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "shogi-lab-run-data-"));
    return () => removeDir(dir);
  });

  it("names a missing file", () => {
    expect(() => readRunData(dir)).toThrow(path.join(dir, RUN_DATA_FILE));
  });

  it("rejects invalid JSON", () => {
    writeFileSync(path.join(dir, RUN_DATA_FILE), "{ not json");
    expect(() => readRunData(dir)).toThrow(/is not valid JSON/);
  });

  it("prefixes schema errors with the file", () => {
    const json = fixtureJson();
    json.games[0].plies = 1.5;
    writeFileSync(path.join(dir, RUN_DATA_FILE), JSON.stringify(json));
    expect(() => readRunData(dir)).toThrow(`${path.join(dir, RUN_DATA_FILE)}: games[0].plies: expected an integer >= 0, got 1.5`);
  });
});

const THRESHOLDS: VerdictThresholds = { budget: "long", lossRiseTolerance: 0.01 };
/** A tolerance that binary floating point represents exactly (2^-7), for the borderline cases. */
const EXACT_TOLERANCE = 0.0078125;
const EXACT_THRESHOLDS: VerdictThresholds = { budget: "long", lossRiseTolerance: EXACT_TOLERANCE };

function result(budget: string, elo: number, lower: number, upper: number, games = 200): BudgetResult {
  return { budget, games, wins: games, draws: 0, losses: 0, pentanomial: [0, 0, 0, 0, 0], elo, eloLower: lower, eloUpper: upper, nelo: 0, nelo95: 0, los: 0.5 };
}

function losses(fineTuning: [number, number], heldOut: [number, number], general: [number, number]): VariantLosses {
  return {
    fineTuning: { before: fineTuning[0], after: fineTuning[1] },
    heldOut: { before: heldOut[0], after: heldOut[1] },
    generalValidation: { before: general[0], after: general[1] },
  };
}

const FLAT = losses([0.64, 0.63], [0.64, 0.641], [0.6, 0.6]);
const OVERFIT = losses([0.64, 0.55], [0.64, 0.66], [0.6, 0.6]);

function variant(longResult: BudgetResult | undefined, variantLosses: VariantLosses | undefined, shortResult = result("short", 0, -30, 30)): VerdictInput {
  return { results: longResult === undefined ? [shortResult] : [shortResult, longResult], losses: variantLosses };
}

describe("deriveVerdict", () => {
  const cases: Array<[string, VerdictInput, string, string, VerdictThresholds?]> = [
    ["interval above 0", variant(result("long", 31, 5, 57), FLAT), "improvement", "evidence.improvement"],
    ["interval below 0", variant(result("long", -40, -77, -3), FLAT), "degradation", "evidence.degradation"],
    ["held-out loss rose", variant(result("long", -5, -30, 20), OVERFIT), "overfitting", "evidence.overfitting"],
    ["general loss rose", variant(result("long", -5, -30, 20), losses([0.64, 0.6], [0.64, 0.64], [0.6, 0.615])), "overfitting", "evidence.overfitting"],
    ["interval contains 0", variant(result("long", 2, -20, 25), FLAT), "no_measurable_change", "evidence.noChange"],
    ["lower end exactly 0", variant(result("long", 30, 0, 60), FLAT), "no_measurable_change", "evidence.noChange"],
    ["upper end exactly 0", variant(result("long", -30, -60, 0), FLAT), "no_measurable_change", "evidence.noChange"],
    ["rise exactly at tolerance", variant(result("long", 0, -20, 20), losses([0.64, 0.5], [1, 1 + EXACT_TOLERANCE], [0.6, 0.6])), "no_measurable_change", "evidence.noChange", EXACT_THRESHOLDS],
    ["rise just past tolerance", variant(result("long", 0, -20, 20), losses([0.64, 0.5], [1, 1 + EXACT_TOLERANCE + 1e-9], [0.6, 0.6])), "overfitting", "evidence.overfitting", EXACT_THRESHOLDS],
    ["fine-tuning diverged", variant(result("long", 0, -20, 20), losses([0.64, 0.64], [0.64, 0.7], [0.6, 0.7])), "degradation", "evidence.diverged"],
    ["diverged, too few games", variant(result("long", -1200, -1500, -900, 2), losses([0.64, 0.9], [0.64, 0.9], [0.6, 1.4])), "degradation", "evidence.diverged"],
    ["no fall, general loss flat", variant(result("long", 0, -20, 20), losses([0.64, 0.64], [0.64, 0.7], [0.6, 0.6])), "no_measurable_change", "evidence.noChange"],
    ["Elo gain beats overfit losses", variant(result("long", 30, 4, 56), OVERFIT), "improvement", "evidence.improvement"],
    ["Elo loss beats overfit losses", variant(result("long", -30, -56, -4), OVERFIT), "degradation", "evidence.degradation"],
    ["short gain does not count", variant(result("long", 3, -25, 31), FLAT, result("short", 60, 20, 100)), "no_measurable_change", "evidence.noChange"],
    ["no losses (surroundings)", variant(result("long", 10, -15, 35), undefined), "no_measurable_change", "evidence.noChange"],
    ["no long games yet", variant(undefined, OVERFIT), "no_measurable_change", "evidence.noGames"],
    ["zero long games", variant(result("long", 0, 0, 0, 0), OVERFIT), "no_measurable_change", "evidence.noGames"],
    ["too few games for an Elo verdict", variant(result("long", -1200, -1500, -900, 2), FLAT), "no_measurable_change", "evidence.tooFewGames"],
    ["too few games, losses still show overfitting", variant(result("long", 300, 100, 500, 2), OVERFIT), "overfitting", "evidence.overfitting"],
  ];

  it.each(cases)("%s", (_name, input, verdict, key, thresholds = THRESHOLDS) => {
    const derived = deriveVerdict(input, thresholds);
    expect(derived.verdict).toBe(verdict);
    expect(derived.evidence.key).toBe(key);
  });

  it("evidence states the numbers", () => {
    const derived = deriveVerdict(variant(result("long", 31.04, 5.2, 56.9), FLAT), THRESHOLDS);
    expect(derived.evidence.text).toBe("At the long budget, Elo +31.0 with 95% interval [+5.2, +56.9] lies above 0.");
    expect(derived.evidence.text).toBe(translate("en", derived.evidence.key, derived.evidence.values));
  });

  it("overfitting evidence names both losses", () => {
    const text = deriveVerdict(variant(result("long", -5, -30, 20), OVERFIT), THRESHOLDS).evidence.text;
    expect(text).toContain("from 0.6400 to 0.5500");
    expect(text).toContain("held-out loss changed by +3.1%");
    expect(text).toContain("general validation loss by 0.0%");
    expect(text).toContain("tolerance 1.0%");
  });

  it("fixture verdicts follow the rule", () => {
    const data: RunData = readRunData(FIXTURE_DIR);
    for (const entry of data.variants) expect(deriveVerdict(entry, data.verdictThresholds), entry.name).toEqual(entry.verdict);
  });
});

describe("verdictThresholdsFor", () => {
  it("picks the budget with most nodes", () => {
    expect(verdictThresholdsFor([{ name: "long", nodes: 20000 }, { name: "short", nodes: 1000 }]).budget).toBe("long");
    expect(verdictThresholdsFor([{ name: "a", nodes: 1 }, { name: "b", nodes: 2 }], 0.05)).toEqual({ budget: "b", lossRiseTolerance: 0.05 });
  });

  it("rejects a run without budgets", () => {
    expect(() => verdictThresholdsFor([])).toThrow(/no node budgets/);
  });
});
