// Markdown tables of a sweep's results, one per data source. Rows are mode and learning rate,
// columns are epochs, and each cell is a variant's loss with its change from the base. The loss is
// the general validation loss, or the held-out loss of the same domain.

import type { BaseLine, SurroundingsLine, SweepLine, VariantLine } from "./sweep.js";
import { modeTag } from "./sweep.js";

const LOSS_DIGITS = 4;

type Metric = "general" | "heldout";

function lossOf(line: BaseLine | VariantLine, metric: Metric): number | undefined {
  return metric === "general" ? line.measurements.general?.loss : line.measurements.heldout.loss;
}

/** Formats a loss with its change from the base, as "0.4321 (+0.0012)". */
function formatLoss(loss: number | undefined, base: number | undefined): string {
  if (loss === undefined) return "n/a";
  if (base === undefined) return loss.toFixed(LOSS_DIGITS);
  const delta = loss - base;
  return `${loss.toFixed(LOSS_DIGITS)} (${delta >= 0 ? "+" : ""}${delta.toFixed(LOSS_DIGITS)})`;
}

/** Renders the table of one source: rows mode x learning rate, columns epochs. */
function sourceTable(source: string, variants: VariantLine[], base: BaseLine | undefined, metric: Metric): string[] {
  const epochs = [...new Set(variants.map((line) => line.epochs))].sort((a, b) => a - b);
  const rows = [...new Set(variants.map((line) => `${modeTag(line.mode)}\t${line.lr}`))];
  const baseLoss = base ? lossOf(base, metric) : undefined;
  const what = metric === "general" ? "general validation loss" : "held-out loss (same domain)";
  const lines = [
    `**${source}**: ${what}; base ${baseLoss === undefined ? "n/a" : baseLoss.toFixed(LOSS_DIGITS)}; change from the base in brackets`,
    "",
    `| mode | lr | ${epochs.map((n) => `${n} epoch${n === 1 ? "" : "s"}`).join(" | ")} |`,
    `| --- | --- | ${epochs.map(() => "---").join(" | ")} |`,
  ];
  for (const row of rows) {
    const [mode, lr] = row.split("\t");
    const cells = epochs.map((n) => {
      const line = variants.find((v) => modeTag(v.mode) === mode && String(v.lr) === lr && v.epochs === n);
      return line ? formatLoss(lossOf(line, metric), baseLoss) : "";
    });
    lines.push(`| ${mode} | ${Number(lr).toExponential()} | ${cells.join(" | ")} |`);
  }
  return lines;
}

function bookNote(book: SurroundingsLine | undefined): string | undefined {
  const coverage = book?.coverage;
  if (!coverage) return undefined;
  const share = coverage.positions > 0 ? (100 * coverage.inBook) / coverage.positions : 0;
  const agreement = coverage.agreement === null ? "n/a" : `${(100 * coverage.agreement).toFixed(1)}%`;
  return `Book from the same data: ${coverage.inBook} of ${coverage.positions} held-out positions in the book (${share.toFixed(1)}%), book move = recorded move in ${agreement} of them.`;
}

/** Renders the tables of every source found in the lines; `metric` picks the loss shown. */
export function summarizeSweep(lines: readonly SweepLine[], metric: Metric = "general"): string {
  const sources = [...new Set(lines.filter((line) => line.kind === "variant" || line.kind === "base").map((line) => (line as VariantLine).source))];
  const parts: string[] = [];
  for (const source of sources) {
    const variants = lines.filter((line): line is VariantLine => line.kind === "variant" && line.source === source);
    const base = lines.find((line): line is BaseLine => line.kind === "base" && line.source === source);
    const book = lines.find((line): line is SurroundingsLine => line.kind === "surroundings" && line.variant === "book" && line.source === source);
    parts.push(...sourceTable(source, variants, base, metric));
    const note = bookNote(book);
    if (note) parts.push("", note);
    parts.push("");
  }
  return parts.join("\n");
}
