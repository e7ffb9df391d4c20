// Page section: the headline table (Elo per budget, general validation-loss change, verdict) and
// the smallest Elo difference each budget can resolve, stated in words.

import { budgetsByNodes, resultOf } from "../charts/panels.js";
import { LOSS_DIGITS, formatCount, formatElo, formatInterval, formatSigned, formatSignedPercent } from "../format.js";
import { escapeHtml, localized, section, table, tag } from "../html.js";
import type { RunData, Variant, Verdict } from "../run-data.js";
import { relativeChange } from "../verdict.js";

export function summarySection(data: RunData): string {
  const intro = localized("p", "summary.intro");
  const running = data.run.finishedAt === undefined ? localized("p", "summary.running", {}, { class: "notice" }) : "";
  return section("summary", "summary.heading", intro + running + resolutionText(data) + headlineTable(data));
}

/** Renders one sentence per budget with the interval half-width the run reached there. */
export function resolutionText(data: RunData): string {
  const sentences = budgetsByNodes(data).flatMap((budget) => {
    const resolution = data.resolution.find((entry) => entry.budget === budget.name);
    if (resolution === undefined) return [];
    const values = {
      budget: budget.name,
      nodes: formatCount(budget.nodes),
      games: formatCount(resolution.gamesPerVariant),
      halfWidth: resolution.eloHalfWidth.toFixed(1),
    };
    return [localized("li", "summary.resolution", values)];
  });
  if (sentences.length === 0) return localized("p", "summary.noResolution", {}, { class: "resolution" });
  return tag("ul", { class: "resolution" }, sentences.join(""));
}

/** Elo and interval of a variant at a budget, or a dash when it has no games there. */
export function eloCell(variant: Variant, budget: string): string {
  const result = resultOf(variant, budget);
  if (result === undefined) return localized("span", "table.none");
  return tag("span", { class: "elo", "data-budget": budget }, `${escapeHtml(formatElo(result.elo))} <small>${escapeHtml(formatInterval(result.eloLower, result.eloUpper))}</small>`);
}

/** Change of the general validation loss from the base, absolute and relative. */
export function generalLossCell(variant: Variant): string {
  if (variant.losses === undefined) return localized("span", "table.none");
  const loss = variant.losses.generalValidation;
  return escapeHtml(`${formatSigned(loss.after - loss.before, LOSS_DIGITS)} (${formatSignedPercent(relativeChange(loss))})`);
}

export function verdictBadge(variant: Variant): string {
  return badge(variant.verdict.verdict);
}

export function badge(verdict: Verdict): string {
  return localized("span", `verdict.${verdict}`, {}, { class: `verdict verdict-${verdict}` });
}

function headlineTable(data: RunData): string {
  const budgets = budgetsByNodes(data);
  const headers = [
    { key: "table.variant" as const },
    { key: "table.mode" as const },
    ...budgets.map((budget) => ({ key: "table.eloAt" as const, values: { budget: budget.name } })),
    { key: "table.generalLossChange" as const },
    { key: "table.verdict" as const },
  ];
  const rows = data.variants.map((variant) => [
    escapeHtml(variant.name),
    localized("span", `mode.${variant.mode}`),
    ...budgets.map((budget) => eloCell(variant, budget.name)),
    generalLossCell(variant),
    verdictBadge(variant),
  ]);
  return table(headers, rows, { class: "headline" });
}
