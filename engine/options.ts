// The engine's USI options: declarations sent after `usi`, and validation of `setoption` values.

import type { OptionDeclaration } from "../usi/grammar.js";
import type { EnteringKingRule } from "../shogi/rules.js";
import type { ExecutionDevice } from "../nn/onnx-evaluator.js";
import { BOOK_SELECTIONS, type BookSelection } from "./book.js";

/** The search behind `go`: alpha-beta with the native evaluator, or PUCT tree search over ONNX Runtime batches. */
export type SearchMode = "alphabeta" | "mcts";
export const SEARCH_MODES: readonly SearchMode[] = ["alphabeta", "mcts"];

// The device names are listed here instead of importing EXECUTION_DEVICES, because that import
// loads ONNX Runtime's native library and would delay `usiok`. The Record makes the compiler check
// the list against ExecutionDevice.
const DEVICE_NAMES: Record<ExecutionDevice, true> = { cpu: true, webgpu: true, cuda: true };
const EVAL_DEVICES = Object.keys(DEVICE_NAMES) as ExecutionDevice[];

export interface EngineSettings {
  /** Transposition table size in MiB (USI_Hash); in mcts mode, the memory budget of the search tree. */
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
  /** Minimum milliseconds spent on a move when the clock allows it. */
  minimumThinkingTime: number;
  enteringKingRule: EnteringKingRule;
  /** Plies after which the game is a draw, 0 for no limit. */
  maxMovesToDraw: number;
  searchMode: SearchMode;
  /** Device of ONNX Runtime in mcts mode; the CPU is used when it cannot start. */
  evalDevice: ExecutionDevice;
  /** Leaves per network batch in mcts mode, 0 for the device's default (see mcts-eval.ts). */
  batchSize: number;
  /** ONNX Runtime intra-op threads in mcts mode. */
  evalThreads: number;
  /** Opening book file (engine/book.ts); "" for none. */
  bookFile: string;
  /** Whether book moves are played when bookFile is set (USI_OwnBook). */
  ownBook: boolean;
  bookSelection: BookSelection;
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
  searchMode: "alphabeta",
  evalDevice: "cpu",
  batchSize: 0,
  evalThreads: 1,
  bookFile: "",
  ownBook: true,
  bookSelection: "best",
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
  BatchSize: { key: "batchSize", min: 0, max: 4096 },
  EvalThreads: { key: "evalThreads", min: 1, max: 256 },
} as const;

/** Combo options whose values are the settings' own words. */
const COMBOS = {
  SearchMode: { key: "searchMode", values: SEARCH_MODES },
  EvalDevice: { key: "evalDevice", values: EVAL_DEVICES },
  BookSelection: { key: "bookSelection", values: BOOK_SELECTIONS },
} as const;

/** Returns the `option` lines printed after `usi`, with the defaults above. */
export function optionDeclarations(settings: EngineSettings = DEFAULT_SETTINGS): OptionDeclaration[] {
  const spins: OptionDeclaration[] = Object.entries(SPIN_LIMITS).map(([name, limit]) => ({
    kind: "option", name, type: "spin", default: settings[limit.key], min: limit.min, max: limit.max,
  }));
  const ruleName = Object.keys(RULE_NAMES).find((name) => RULE_NAMES[name] === settings.enteringKingRule)!;
  return [
    ...spins,
    { kind: "option", name: "USI_Ponder", type: "check", default: settings.ponder },
    { kind: "option", name: "EvalFile", type: "filename", default: settings.evalFile },
    { kind: "option", name: "BookFile", type: "filename", default: settings.bookFile },
    { kind: "option", name: "USI_OwnBook", type: "check", default: settings.ownBook },
    { kind: "option", name: "EnteringKingRule", type: "combo", default: ruleName, vars: Object.keys(RULE_NAMES) },
    ...Object.entries(COMBOS).map(([name, combo]): OptionDeclaration => ({
      kind: "option", name, type: "combo", default: settings[combo.key], vars: [...combo.values],
    })),
  ];
}

/**
 * Applies one `setoption` to the settings. Returns null on success, or the reason the value was
 * rejected; names match without regard to case, as GUIs expect.
 */
export function applyOption(settings: EngineSettings, name: string, value: string | undefined): string | null {
  const spinName = Object.keys(SPIN_LIMITS).find((known) => known.toLowerCase() === name.toLowerCase());
  if (spinName !== undefined) return applySpin(settings, spinName as keyof typeof SPIN_LIMITS, value);
  const comboName = Object.keys(COMBOS).find((known) => known.toLowerCase() === name.toLowerCase());
  if (comboName !== undefined) return applyCombo(settings, comboName as keyof typeof COMBOS, value);
  switch (name.toLowerCase()) {
    case "usi_ponder":
      if (value !== "true" && value !== "false") return `USI_Ponder must be true or false, not "${value ?? ""}"`;
      settings.ponder = value === "true";
      return null;
    case "bookfile":
      settings.bookFile = value ?? "";
      return null;
    case "usi_ownbook":
      if (value !== "true" && value !== "false") return `USI_OwnBook must be true or false, not "${value ?? ""}"`;
      settings.ownBook = value === "true";
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

function applyCombo(settings: EngineSettings, name: keyof typeof COMBOS, value: string | undefined): string | null {
  const combo = COMBOS[name];
  const chosen = combo.values.find((known) => known === value);
  if (chosen === undefined) return `${name} must be one of ${combo.values.join(", ")}, not "${value ?? ""}"`;
  Object.assign(settings, { [combo.key]: chosen });
  return null;
}
