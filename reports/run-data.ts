// The data a report renders: one JSON file, `run-data.json`, in the run folder `runs/NAME/`. The
// experiment runner rewrites it as the run goes on (write it with writeRunData, which replaces the
// file atomically, so a live report never reads half a file). KIF records lie beside it in the run
// folder, and every path in the file is relative to the run folder, with "/" separators.
//
// Elo values are logistic Elo points of the variant over the base, so a positive number means the
// variant scored better. Every interval is a 95% interval given by its lower and upper ends. Losses
// are the trainer's loss values on the named data set, lower is better.

import type { ModelCard } from "../nn/model-card.js";

export { validateRunData, RunDataError } from "./validate.js";
export { deriveVerdict, DEFAULT_LOSS_RISE_TOLERANCE, verdictThresholdsFor } from "./verdict.js";
export { readRunData, writeRunData } from "./run-data-file.js";

/** Version of the file layout below; a reader rejects other versions. */
export const RUN_DATA_VERSION = 1;
/** File name of the run data inside the run folder. */
export const RUN_DATA_FILE = "run-data.json";

/** The change a variant makes to the base: the weights trained, or only its surroundings (opening book, search settings). */
export type FineTuneMode = "full" | "lora" | "head" | "surroundings";
export const FINE_TUNE_MODES: readonly FineTuneMode[] = ["full", "lora", "head", "surroundings"];

/**
 * The conclusion drawn from a variant's measurements; deriveVerdict states the rule.
 * - improvement / degradation: the Elo interval lies above / below 0.
 * - overfitting: the fine-tuning loss fell while a validation loss rose, and Elo did not move.
 * - no_measurable_change: none of these.
 */
export type Verdict = "no_measurable_change" | "overfitting" | "degradation" | "improvement";
export const VERDICTS: readonly Verdict[] = ["no_measurable_change", "overfitting", "degradation", "improvement"];

/** Evidence sentences, each a dictionary template in reports/i18n.ts. */
export type EvidenceKey =
  | "evidence.improvement" | "evidence.degradation" | "evidence.diverged" | "evidence.overfitting" | "evidence.noChange" | "evidence.noGames"
  | "evidence.tooFewGames";
export const EVIDENCE_KEYS: readonly EvidenceKey[] = [
  "evidence.improvement", "evidence.degradation", "evidence.diverged", "evidence.overfitting", "evidence.noChange", "evidence.noGames", "evidence.tooFewGames",
];

export type SprtDecision = "H0" | "H1" | "continue";
export const SPRT_DECISIONS: readonly SprtDecision[] = ["H0", "H1", "continue"];

export type GameResult = "black_win" | "white_win" | "draw";
export const GAME_RESULTS: readonly GameResult[] = ["black_win", "white_win", "draw"];

export type ControlKind = "positive" | "negative";
export const CONTROL_KINDS: readonly ControlKind[] = ["positive", "negative"];

/** The expected effect of a control on its validation loss: a positive control must lower it, a negative one must raise it. */
export type ControlExpectation = "loss_decreases" | "loss_increases";
export const CONTROL_EXPECTATIONS: readonly ControlExpectation[] = ["loss_decreases", "loss_increases"];

/** Settings of deriveVerdict. */
export interface VerdictThresholds {
  /** Name of the budget whose Elo interval decides, normally the one with the most nodes (verdictThresholdsFor picks it). */
  budget: string;
  /**
   * Largest rise of the held-out or general validation loss, as a fraction of its value before
   * fine-tuning, that still counts as noise: 0.01 lets a loss of 0.600 rise to 0.606.
   */
  lossRiseTolerance: number;
}

/** A search limit the arena plays at: every game of that budget searches `nodes` nodes per move. */
export interface NodeBudget {
  /** Unique name, such as "short" or "long". */
  name: string;
  nodes: number;
}

export interface MachineInfo {
  hostname?: string;
  /** CPU model name. */
  cpu: string;
  cores: number;
  memoryGiB?: number;
  /** Operating system and version. */
  os: string;
  /** Node.js version. */
  node: string;
  /** Accelerator used for training, such as a GPU model; absent when training ran on the CPU. */
  accelerator?: string;
}

export interface RunInfo {
  name: string;
  /** Name of the experiment profile, which sets the sweep and the game counts. */
  profile: string;
  /** The experiment plan as the runner read it. */
  plan: Record<string, unknown>;
  /** ISO 8601 times. `finishedAt` is absent while the run goes on. */
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  machine: MachineInfo;
  /** Node budgets of the arena, each name used once. */
  budgets: NodeBudget[];
}

/** A model file and its card as stored in the file's ONNX metadata. */
export interface ModelInfo {
  name: string;
  /** Path of the .onnx file, relative to the run folder. */
  file: string;
  card: ModelCard;
}

/** One loss before fine-tuning (the base on that set) and after it (the variant on that set). */
export interface LossChange {
  before: number;
  after: number;
}

/** Losses of a variant whose weights were trained. */
export interface VariantLosses {
  /** On the fine-tuning set itself. */
  fineTuning: LossChange;
  /** On held-out positions from the fine-tuning set's domain. */
  heldOut: LossChange;
  /** On the general validation set the base was distilled for. */
  generalValidation: LossChange;
}

/** Agreement of the variant with the teacher on the general validation set. */
export interface GeneralSetMetrics {
  /** Fraction of positions, 0..1, where the variant's best move is the teacher's. */
  moveAgreement: number;
  /** Pearson correlation, -1..1, of the variant's scores with the teacher's. */
  scoreCorrelation: number;
}

/** Relative L2 distance of one layer's weights from the base: |W - W_base| / |W_base|. */
export interface LayerDistance {
  layer: string;
  relativeL2: number;
}

export interface SprtResult {
  llr: number;
  /** Log-likelihood-ratio bounds: H0 is accepted at or below `lower`, H1 at or above `upper`. */
  lower: number;
  upper: number;
  decision: SprtDecision;
}

/** The variant's match against the base at one node budget, counted from the variant's side. */
export interface BudgetResult {
  budget: string;
  games: number;
  wins: number;
  draws: number;
  losses: number;
  /** Complete colour-swapped pairs by the variant's points in them: [0, 1/2, 1, 3/2, 2]. */
  pentanomial: [number, number, number, number, number];
  elo: number;
  /** Ends of the 95% interval of `elo`. */
  eloLower: number;
  eloUpper: number;
  /** Normalized Elo and the half-width of its 95% interval. */
  nelo: number;
  nelo95: number;
  /** Likelihood of superiority, 0..1. */
  los: number;
  sprt?: SprtResult;
}

/** A verdict with the numbers behind it. `text` is the English sentence; the page words `key` and `values` in its language. */
export interface VerdictEvidence {
  key: EvidenceKey;
  /** Template values, already formatted (numbers read the same in every language). */
  values: Record<string, string>;
  text: string;
}

export interface VariantVerdict {
  verdict: Verdict;
  evidence: VerdictEvidence;
}

export interface Variant extends ModelInfo {
  mode: FineTuneMode;
  /** Trainer settings; absent for the surroundings mode, which trains nothing. */
  learningRate?: number;
  epochs?: number;
  /** LoRA rank; present exactly for the lora mode. */
  loraRank?: number;
  /** Name of the fine-tuning data, or of the surroundings change (such as an opening book). */
  dataSource: string;
  description?: string;
  /** Absent for the surroundings mode. */
  losses?: VariantLosses;
  generalSet?: GeneralSetMetrics;
  weightDistance: LayerDistance[];
  /** One entry per node budget that has games. */
  results: BudgetResult[];
  verdict: VariantVerdict;
}

export interface Control {
  name: string;
  kind: ControlKind;
  expectation: ControlExpectation;
  description?: string;
  /** Validation loss before and after the control's training. */
  validationLoss: LossChange;
  passed: boolean;
  /** Name of the variant that played this control in the arena, if it played. */
  variant?: string;
}

/** Losses of one variant after one epoch; epoch 0 is the base before fine-tuning. */
export interface CurvePoint {
  variant: string;
  epoch: number;
  trainingLoss: number;
  heldOutLoss: number;
  /** On the general validation set; null at epochs where it was not measured (the runner measures the base and the final epoch). */
  generalValidationLoss: number | null;
}

export interface PoolRating {
  player: string;
  elo: number;
  eloLower: number;
  eloUpper: number;
  games: number;
  /** True for an anchor engine, whose Elo is fixed on an outside scale. */
  anchor: boolean;
}

/** Joint ratings of all players (base, variants, anchors) at one node budget. */
export interface PoolTable {
  budget: string;
  ratings: PoolRating[];
}

export interface GameEntry {
  id: string;
  budget: string;
  black: string;
  white: string;
  result: GameResult;
  /** The end of the game as the arena names it ("checkmate", "resign", "max-plies", ...). */
  termination: string;
  plies: number;
  /** Name or SFEN of the opening position. */
  opening: string;
  /** Path of the KIF record, relative to the run folder. */
  kif: string;
}

/** The resolution of the run at one budget: the half-width of a variant's Elo interval. */
export interface BudgetResolution {
  budget: string;
  /** Half-width of the 95% Elo interval at the games played: smaller Elo differences cannot be distinguished from 0. */
  eloHalfWidth: number;
  gamesPerVariant: number;
}

export interface RunData {
  version: typeof RUN_DATA_VERSION;
  run: RunInfo;
  base: ModelInfo;
  variants: Variant[];
  controls: Control[];
  curves: CurvePoint[];
  pool: PoolTable[];
  games: GameEntry[];
  resolution: BudgetResolution[];
  /** Thresholds the verdicts were derived with. */
  verdictThresholds: VerdictThresholds;
}
