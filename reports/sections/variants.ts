// Page section: the details of each variant, collapsible: settings, match results per budget,
// losses before and after fine-tuning, agreement on the general set and weight distances.

import { budgetsByNodes } from "../charts/panels.js";
import {
  LOSS_DIGITS, RATIO_DIGITS, formatCount, formatElo, formatInterval, formatLearningRate, formatLoss, formatPercent, formatSigned,
} from "../format.js";
import { escapeHtml, localized, section, table, tag, textTag } from "../html.js";
import type { MessageKey } from "../i18n.js";
import type { BudgetResult, LossChange, RunData, Variant } from "../run-data.js";
import { verdictBadge } from "./summary.js";

const SPRT_DIGITS = 2;

export function variantsSection(data: RunData): string {
  const order = budgetsByNodes(data).map((budget) => budget.name);
  return section("variants", "variants.heading", data.variants.map((variant) => variantDetails(variant, order)).join(""));
}

function variantDetails(variant: Variant, budgetOrder: string[]): string {
  const summary = tag("summary", {}, `${escapeHtml(variant.name)} ${verdictBadge(variant)}`);
  const description = variant.description === undefined ? "" : textTag("p", {}, variant.description);
  const content = description + settingsTable(variant) + resultsTable(variant, budgetOrder) + lossesTable(variant) + generalSetTable(variant) + distanceTable(variant);
  return tag("details", { class: "variant", "data-variant": variant.name }, summary + content);
}

function settingsTable(variant: Variant): string {
  const headers: Array<{ key: MessageKey }> = [{ key: "table.mode" }, { key: "table.learningRate" }, { key: "table.epochs" }, { key: "table.loraRank" }, { key: "table.dataSource" }];
  const optional = (value: string | undefined): string => (value === undefined ? localized("span", "table.none") : escapeHtml(value));
  const row = [
    localized("span", `mode.${variant.mode}`),
    optional(variant.learningRate === undefined ? undefined : formatLearningRate(variant.learningRate)),
    optional(variant.epochs === undefined ? undefined : formatCount(variant.epochs)),
    optional(variant.loraRank === undefined ? undefined : formatCount(variant.loraRank)),
    escapeHtml(variant.dataSource),
  ];
  return table(headers, [row], { class: "settings" });
}

function resultsTable(variant: Variant, budgetOrder: string[]): string {
  const headers: Array<{ key: MessageKey }> = [
    { key: "table.budget" }, { key: "table.games" }, { key: "table.wdl" }, { key: "table.pentanomial" }, { key: "table.elo" },
    { key: "table.interval" }, { key: "table.nelo" }, { key: "table.los" }, { key: "table.sprt" },
  ];
  const results = [...variant.results].sort((a, b) => budgetOrder.indexOf(a.budget) - budgetOrder.indexOf(b.budget));
  return table(headers, results.map(resultRow), { class: "results" });
}

/** LLR with its bounds, and the decision in words. */
function sprtCell(result: BudgetResult): string {
  if (result.sprt === undefined) return localized("span", "table.none");
  const { llr, lower, upper, decision } = result.sprt;
  return `${escapeHtml(`LLR ${llr.toFixed(SPRT_DIGITS)} [${lower.toFixed(SPRT_DIGITS)}, ${upper.toFixed(SPRT_DIGITS)}]`)} ${localized("span", `sprt.${decision}`)}`;
}

function resultRow(result: BudgetResult): string[] {
  return [
    escapeHtml(result.budget),
    escapeHtml(formatCount(result.games)),
    escapeHtml(`${result.wins} / ${result.draws} / ${result.losses}`),
    escapeHtml(`[${result.pentanomial.join(", ")}]`),
    escapeHtml(formatElo(result.elo)),
    escapeHtml(formatInterval(result.eloLower, result.eloUpper)),
    escapeHtml(`${formatElo(result.nelo)} ± ${result.nelo95.toFixed(1)}`),
    escapeHtml(formatPercent(result.los)),
    sprtCell(result),
  ];
}

function lossesTable(variant: Variant): string {
  const heading = localized("h4", "variants.losses");
  if (variant.losses === undefined) return heading + localized("p", "variants.noLosses");
  const row = (key: MessageKey, loss: LossChange): string[] => [
    localized("span", key),
    escapeHtml(formatLoss(loss.before)),
    escapeHtml(formatLoss(loss.after)),
    escapeHtml(formatSigned(loss.after - loss.before, LOSS_DIGITS)),
  ];
  const rows = [row("variants.fineTuning", variant.losses.fineTuning), row("variants.heldOut", variant.losses.heldOut), row("variants.generalValidation", variant.losses.generalValidation)];
  return heading + table([{ key: "table.lossSet" }, { key: "table.lossBefore" }, { key: "table.lossAfter" }, { key: "table.change" }], rows, { class: "losses" });
}

function generalSetTable(variant: Variant): string {
  if (variant.generalSet === undefined) return "";
  const row = [escapeHtml(formatPercent(variant.generalSet.moveAgreement)), escapeHtml(variant.generalSet.scoreCorrelation.toFixed(RATIO_DIGITS))];
  return table([{ key: "table.moveAgreement" }, { key: "table.scoreCorrelation" }], [row], { class: "general-set" });
}

function distanceTable(variant: Variant): string {
  if (variant.weightDistance.length === 0) return "";
  const rows = variant.weightDistance.map((layer) => [escapeHtml(layer.layer), escapeHtml(layer.relativeL2.toExponential(2))]);
  return localized("h4", "variants.weightDistance") + table([{ key: "table.layer" }, { key: "table.relativeL2" }], rows, { class: "distances" });
}
