// The verdict of a variant, derived from its saved numbers only.
//
// The rule, applied in this order to the 95% Elo interval [lower, upper] at the deciding budget
// (normally the one with the most nodes, because gains at short searches have been seen to vanish
// at long ones):
//   1. No games at the deciding budget: no_measurable_change, with evidence saying so.
//   1b. Fewer than MIN_DECISIVE_GAMES games there: the Elo interval is not trusted (with a handful
//      of games a perfect score gives a narrow interval far from 0), so steps 2 and 3 are skipped,
//      and the verdict comes from the losses (steps 4 and 4b) or is no_measurable_change saying
//      too few games.
//   2. lower > 0: improvement.
//   3. upper < 0: degradation.
//   4. The fine-tuning loss fell (after < before), and the held-out loss or the general validation
//      loss rose by more than `lossRiseTolerance` of its value before fine-tuning: overfitting.
//   4b. The fine-tuning loss did not fall and the general validation loss rose past the same
//      tolerance: degradation, because the fine-tuning diverged and the model got worse everywhere.
//   5. Otherwise: no_measurable_change.
// Comparisons are strict, so an interval that ends exactly at 0 contains 0. Elo decides before the
// losses do: a variant that got stronger or weaker is called so whatever its losses did. The SPRT
// result and the short budget do not enter the rule; the page shows them beside it.

import { translate } from "./i18n.js";
import { formatElo, formatInterval, formatLoss, formatPercent, formatSignedPercent } from "./format.js";
import type {
  BudgetResult, EvidenceKey, LossChange, NodeBudget, Variant, VariantLosses, VariantVerdict, Verdict, VerdictThresholds,
} from "./run-data.js";

/** Games at the deciding budget below which its Elo interval decides nothing. */
export const MIN_DECISIVE_GAMES = 10;

/** Default of VerdictThresholds.lossRiseTolerance: a validation loss may rise by 1% of its value as noise. */
export const DEFAULT_LOSS_RISE_TOLERANCE = 0.01;

/** The fields of a variant that the rule reads. */
export type VerdictInput = Pick<Variant, "results" | "losses">;

/** Thresholds with the budget of the most nodes as the deciding one; throws when `budgets` is empty. */
export function verdictThresholdsFor(budgets: readonly NodeBudget[], lossRiseTolerance = DEFAULT_LOSS_RISE_TOLERANCE): VerdictThresholds {
  if (budgets.length === 0) throw new Error("cannot choose the deciding budget: the run has no node budgets");
  const longest = budgets.reduce((best, budget) => (budget.nodes > best.nodes ? budget : best));
  return { budget: longest.name, lossRiseTolerance };
}

/** Change of a loss as a fraction of its value before; a rise from 0 counts as infinite. */
export function relativeChange(loss: LossChange): number {
  if (loss.before === 0) return loss.after === 0 ? 0 : Math.sign(loss.after) * Infinity;
  return (loss.after - loss.before) / Math.abs(loss.before);
}

/** True when the fine-tuning loss fell and a validation loss rose past the tolerance. */
export function showsOverfitting(losses: VariantLosses, tolerance: number): boolean {
  const fineTuningFell = losses.fineTuning.after < losses.fineTuning.before;
  const validationRose = relativeChange(losses.heldOut) > tolerance || relativeChange(losses.generalValidation) > tolerance;
  return fineTuningFell && validationRose;
}

/** Returns true when the fine-tuning loss did not fall and the general validation loss rose past the tolerance. */
export function showsDivergence(losses: VariantLosses, tolerance: number): boolean {
  return losses.fineTuning.after >= losses.fineTuning.before && relativeChange(losses.generalValidation) > tolerance;
}

/** Derives the verdict and its evidence from a variant's Elo intervals and losses (rule at the top of this file). */
export function deriveVerdict(variant: VerdictInput, thresholds: VerdictThresholds): VariantVerdict {
  const result = variant.results.find((entry) => entry.budget === thresholds.budget && entry.games > 0);
  if (result === undefined) return verdictOf("no_measurable_change", "evidence.noGames", { budget: thresholds.budget });

  const eloValues = {
    budget: thresholds.budget,
    elo: formatElo(result.elo),
    interval: formatInterval(result.eloLower, result.eloUpper),
    tolerance: formatPercent(thresholds.lossRiseTolerance),
  };
  const decisive = result.games >= MIN_DECISIVE_GAMES;
  if (decisive && result.eloLower > 0) return verdictOf("improvement", "evidence.improvement", eloValues);
  if (decisive && result.eloUpper < 0) return verdictOf("degradation", "evidence.degradation", eloValues);
  if (variant.losses !== undefined && showsOverfitting(variant.losses, thresholds.lossRiseTolerance)) {
    return verdictOf("overfitting", "evidence.overfitting", { ...eloValues, ...lossValues(variant.losses) });
  }
  if (variant.losses !== undefined && showsDivergence(variant.losses, thresholds.lossRiseTolerance)) {
    return verdictOf("degradation", "evidence.diverged", { ...eloValues, ...lossValues(variant.losses) });
  }
  if (!decisive) {
    return verdictOf("no_measurable_change", "evidence.tooFewGames", { ...eloValues, games: String(result.games), minimum: String(MIN_DECISIVE_GAMES) });
  }
  return verdictOf("no_measurable_change", "evidence.noChange", eloValues);
}

function lossValues(losses: VariantLosses): Record<string, string> {
  return {
    fineTuningBefore: formatLoss(losses.fineTuning.before),
    fineTuningAfter: formatLoss(losses.fineTuning.after),
    heldOutChange: formatSignedPercent(relativeChange(losses.heldOut)),
    generalChange: formatSignedPercent(relativeChange(losses.generalValidation)),
  };
}

function verdictOf(verdict: Verdict, key: EvidenceKey, values: Record<string, string>): VariantVerdict {
  return { verdict, evidence: { key, values, text: translate("en", key, values) } };
}

/** Returns the result of a variant at a budget, if it has one. */
export function resultAt(variant: Pick<Variant, "results">, budget: string): BudgetResult | undefined {
  return variant.results.find((entry) => entry.budget === budget);
}
