// The engine's USI options: declarations sent after `usi`, and validation of `setoption` values.

import type { OptionDeclaration } from "../usi/grammar.js";
import type { EnteringKingRule } from "../shogi/rules.js";

export interface EngineSettings {
  /** Transposition table size in MiB (USI_Hash). */
  hashMb: number;
  ponder: boolean;
  multiPV: number;
  /** Model file; "material" selects the material-only evaluator. */
  evalFile: string;
  /** Iteration limit in plies, 0 for none. */
  depthLimit: number;
  /** Node limit per move, 0 for none. */
  nodesLimit: number;
  /** Milliseconds kept back from every move for the GUI and the pipes. */
  networkDelay: number;
  /** Least milliseconds spent on a move when the clock allows it. */
  minimumThinkingTime: number;
  enteringKingRule: EnteringKingRule;
  /** Plies after which the game is a draw, 0 for no limit. */
  maxMovesToDraw: number;
}

export const DEFAULT_MODEL = "models/base.onnx";

export const DEFAULT_SETTINGS: EngineSettings = {
  hashMb: 64,
  ponder: false,
  multiPV: 1,
  evalFile: DEFAULT_MODEL,
  depthLimit: 0,
  nodesLimit: 0,
  networkDelay: 120,
  minimumThinkingTime: 100,
  enteringKingRule: "csa27",
  maxMovesToDraw: 0,
};

/** USI names of the entering-king rules, as YaneuraOu spells them. */
const RULE_NAMES: Record<string, EnteringKingRule> = {
  NoEnteringKing: "none",
  CSARule24: "csa24",
  CSARule27: "csa27",
  TryRule: "try",
};

const SPIN_LIMITS = {
  USI_Hash: { key: "hashMb", min: 1, max: 4096 },
  MultiPV: { key: "multiPV", min: 1, max: 100 },
  DepthLimit: { key: "depthLimit", min: 0, max: 127 },
  NodesLimit: { key: "nodesLimit", min: 0, max: 2_000_000_000 },
  NetworkDelay: { key: "networkDelay", min: 0, max: 10_000 },
  MinimumThinkingTime: { key: "minimumThinkingTime", min: 0, max: 100_000 },
  MaxMovesToDraw: { key: "maxMovesToDraw", min: 0, max: 100_000 },
} as const;

/** The `option` lines printed after `usi`, with the defaults above. */
export function optionDeclarations(settings: EngineSettings = DEFAULT_SETTINGS): OptionDeclaration[] {
  const spins: OptionDeclaration[] = Object.entries(SPIN_LIMITS).map(([name, limit]) => ({
    kind: "option", name, type: "spin", default: settings[limit.key], min: limit.min, max: limit.max,
  }));
  const ruleName = Object.keys(RULE_NAMES).find((name) => RULE_NAMES[name] === settings.enteringKingRule)!;
  return [
    ...spins,
    { kind: "option", name: "USI_Ponder", type: "check", default: settings.ponder },
    { kind: "option", name: "EvalFile", type: "filename", default: settings.evalFile },
    { kind: "option", name: "EnteringKingRule", type: "combo", default: ruleName, vars: Object.keys(RULE_NAMES) },
  ];
}

/**
 * Applies one `setoption` to the settings. Returns null on success, or the reason the value was
 * rejected; names match without regard to case, as GUIs expect.
 */
export function applyOption(settings: EngineSettings, name: string, value: string | undefined): string | null {
  const spinName = Object.keys(SPIN_LIMITS).find((known) => known.toLowerCase() === name.toLowerCase());
  if (spinName !== undefined) return applySpin(settings, spinName as keyof typeof SPIN_LIMITS, value);
  switch (name.toLowerCase()) {
    case "usi_ponder":
      if (value !== "true" && value !== "false") return `USI_Ponder must be true or false, not "${value ?? ""}"`;
      settings.ponder = value === "true";
      return null;
    case "evalfile":
      if (!value) return "EvalFile needs a file name (or 'material')";
      settings.evalFile = value;
      return null;
    case "enteringkingrule": {
      const rule = value === undefined ? undefined : RULE_NAMES[value];
      if (rule === undefined) return `EnteringKingRule must be one of ${Object.keys(RULE_NAMES).join(", ")}, not "${value ?? ""}"`;
      settings.enteringKingRule = rule;
      return null;
    }
    default:
      return `no such option: ${name}`;
  }
}

function applySpin(settings: EngineSettings, name: keyof typeof SPIN_LIMITS, value: string | undefined): string | null {
  const limit = SPIN_LIMITS[name];
  const number = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(number) || number < limit.min || number > limit.max) {
    return `${name} must be a whole number from ${limit.min} to ${limit.max}, not "${value ?? ""}"`;
  }
  settings[limit.key] = number;
  return null;
}
