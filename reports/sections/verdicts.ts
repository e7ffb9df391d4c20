// Page section: the verdict rule with its thresholds, and each variant's verdict with its evidence.
// The stored verdict is shown as saved; when the rule applied to the stored numbers gives another
// verdict, a warning shows it.

import { formatPercent } from "../format.js";
import { escapeHtml, localized, section, tag } from "../html.js";
import type { RunData, Variant, VerdictThresholds } from "../run-data.js";
import { deriveVerdict } from "../verdict.js";
import { badge, verdictBadge } from "./summary.js";

export function verdictsSection(data: RunData): string {
  const rule = localized("p", "verdicts.rule", { budget: data.verdictThresholds.budget, tolerance: formatPercent(data.verdictThresholds.lossRiseTolerance) }, { class: "rule" });
  const items = data.variants.map((variant) => verdictItem(variant, data.verdictThresholds));
  return section("verdicts", "verdicts.heading", rule + tag("ul", { class: "verdicts" }, items.join("")));
}

function verdictItem(variant: Variant, thresholds: VerdictThresholds): string {
  const evidence = variant.verdict.evidence;
  const name = tag("strong", { class: "variant-name" }, escapeHtml(variant.name));
  const text = localized("span", evidence.key, evidence.values, { class: "evidence" });
  const derived = deriveVerdict(variant, thresholds).verdict;
  const mismatch = derived === variant.verdict.verdict ? "" : tag("span", { class: "warning" }, `${localized("span", "verdict.mismatch")} ${badge(derived)}`);
  return tag("li", { "data-variant": variant.name }, `${name} ${verdictBadge(variant)} ${text} ${mismatch}`);
}
