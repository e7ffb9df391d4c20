// Page sections: the model cards, the game list with links to the KIF records, and the run's
// own facts (profile, times, machine, budgets, plan).

import { budgetsByNodes } from "../charts/panels.js";
import { formatCount } from "../format.js";
import { escapeHtml, localized, section, table, tag, textTag } from "../html.js";
import type { GameEntry, ModelInfo, RunData } from "../run-data.js";

/** Indentation of the JSON shown for cards and the plan. */
const JSON_INDENT = 2;

export function cardsSection(data: RunData): string {
  const base = cardDetails(data.base, localized("span", "cards.base", { name: data.base.name }));
  const variants = data.variants.map((variant) => cardDetails(variant, escapeHtml(variant.name)));
  return section("cards", "cards.heading", base + variants.join(""));
}

function cardDetails(model: ModelInfo, summary: string): string {
  const file = tag("p", {}, tag("code", {}, escapeHtml(model.file)) + ` ${escapeHtml(model.card.contentHash)}`);
  const json = textTag("pre", { class: "card-json" }, JSON.stringify(model.card, null, JSON_INDENT));
  return tag("details", { class: "card", "data-model": model.name }, tag("summary", {}, summary) + file + json);
}

/**
 * Renders the game list. `recordHref` turns a record path relative to the run folder into a link
 * relative to the page.
 */
export function gamesSection(data: RunData, recordHref: (kif: string) => string): string {
  const headers = [
    { key: "table.id" as const }, { key: "table.budget" as const }, { key: "table.black" as const }, { key: "table.white" as const },
    { key: "table.result" as const }, { key: "table.termination" as const }, { key: "table.plies" as const }, { key: "table.opening" as const },
    { key: "table.record" as const },
  ];
  const rows = data.games.map((game) => gameRow(game, recordHref));
  const list = tag("details", { class: "games" }, localized("summary", "games.show") + table(headers, rows, { class: "games" }));
  return section("games", "games.heading", list, { count: formatCount(data.games.length) });
}

function gameRow(game: GameEntry, recordHref: (kif: string) => string): string[] {
  return [
    escapeHtml(game.id),
    escapeHtml(game.budget),
    escapeHtml(game.black),
    escapeHtml(game.white),
    localized("span", `result.${game.result}`),
    localized("span", `termination.${game.termination}`, {}, {}, game.termination),
    escapeHtml(formatCount(game.plies)),
    escapeHtml(game.opening),
    tag("a", { href: recordHref(game.kif), class: "kif" }, "KIF"),
  ];
}

export function runSection(data: RunData): string {
  const run = data.run;
  const machine = [
    escapeHtml(run.machine.cpu),
    localized("span", "run.cores", { count: String(run.machine.cores) }),
    ...[run.machine.memoryGiB === undefined ? undefined : `${run.machine.memoryGiB} GiB`, run.machine.os, `Node ${run.machine.node}`, run.machine.accelerator, run.machine.hostname]
      .filter((part) => part !== undefined)
      .map((part) => escapeHtml(part)),
  ].join(", ");
  const budgets = budgetsByNodes(data).map((budget) => localized("span", "chart.budgetPanel", { budget: budget.name, nodes: formatCount(budget.nodes) })).join(", ");
  const rows: Array<[string, string]> = [
    [localized("th", "run.profile", {}, { scope: "row" }), escapeHtml(run.profile)],
    [localized("th", "run.started", {}, { scope: "row" }), escapeHtml(run.startedAt)],
    [localized("th", "run.updated", {}, { scope: "row" }), escapeHtml(run.updatedAt)],
    [localized("th", "run.finished", {}, { scope: "row" }), run.finishedAt === undefined ? localized("span", "run.notFinished") : escapeHtml(run.finishedAt)],
    [localized("th", "run.machine", {}, { scope: "row" }), machine],
    [localized("th", "run.budgets", {}, { scope: "row" }), budgets],
    [localized("th", "run.base", {}, { scope: "row" }), `${escapeHtml(data.base.name)} <code>${escapeHtml(data.base.file)}</code>`],
  ];
  const facts = tag("table", { class: "run-facts" }, tag("tbody", {}, rows.map(([head, cell]) => tag("tr", {}, head + tag("td", {}, cell))).join("")));
  const plan = tag("details", { class: "plan" }, localized("summary", "run.plan") + textTag("pre", {}, JSON.stringify(run.plan, null, JSON_INDENT)));
  return section("run", "run.heading", facts + plan);
}
