// Page sections: the controls' outcomes and the pool rating tables with their anchors.

import { budgetsByNodes } from "../charts/panels.js";
import { ELO_DIGITS, formatCount, formatLoss } from "../format.js";
import { escapeHtml, localized, section, table, tag } from "../html.js";
import type { Control, PoolTable, RunData } from "../run-data.js";

export function controlsSection(data: RunData): string {
  if (data.controls.length === 0) return section("controls", "controls.heading", localized("p", "controls.none"));
  const headers = [
    { key: "table.control" as const },
    { key: "table.kind" as const },
    { key: "table.expectation" as const },
    { key: "table.lossBefore" as const },
    { key: "table.lossAfter" as const },
    { key: "table.outcome" as const },
  ];
  return section("controls", "controls.heading", localized("p", "controls.intro") + table(headers, data.controls.map(controlRow), { class: "controls" }));
}

function controlRow(control: Control): string[] {
  const name = escapeHtml(control.name) + (control.description === undefined ? "" : ` <small>${escapeHtml(control.description)}</small>`);
  const outcome = control.passed ? "controls.passed" : "controls.failed";
  return [
    name,
    localized("span", `controls.${control.kind}`),
    localized("span", `controls.${control.expectation}`),
    escapeHtml(formatLoss(control.validationLoss.before)),
    escapeHtml(formatLoss(control.validationLoss.after)),
    localized("span", outcome, {}, { class: control.passed ? "passed" : "failed" }),
  ];
}

export function poolSection(data: RunData): string {
  const tables = budgetsByNodes(data).flatMap((budget) => {
    const pool = data.pool.find((entry) => entry.budget === budget.name);
    return pool === undefined ? [] : [poolTable(pool)];
  });
  return tag("section", { id: "pool" }, localized("h2", "nav.pool") + localized("p", "pool.intro") + tables.join(""));
}

/** Renders one pool table. Ratings are on the anchors' absolute scale, so they are shown without a sign. */
function poolTable(pool: PoolTable): string {
  const headers = [
    { key: "table.player" as const },
    { key: "table.elo" as const },
    { key: "table.interval" as const },
    { key: "table.games" as const },
    { key: "table.anchor" as const },
  ];
  const ratings = [...pool.ratings].sort((a, b) => b.elo - a.elo);
  const rows = ratings.map((rating) => [
    escapeHtml(rating.player),
    escapeHtml(rating.elo.toFixed(ELO_DIGITS)),
    escapeHtml(`[${rating.eloLower.toFixed(ELO_DIGITS)}, ${rating.eloUpper.toFixed(ELO_DIGITS)}]`),
    escapeHtml(formatCount(rating.games)),
    rating.anchor ? localized("span", "pool.anchor", {}, { class: "anchor" }) : "",
  ]);
  return localized("h3", "pool.heading", { budget: pool.budget }) + table(headers, rows, { class: "pool", "data-budget": pool.budget });
}
