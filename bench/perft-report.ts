// Turns perft measurements into checked rows, a text table and a JSON summary.

import { knownCount, type PerftPosition } from "./perft-positions.js";
import type { PerftMeasurement, ProgramId, ProgramRun } from "./perft-programs.js";

const MS_PER_SECOND = 1000;
/** Decimal places of the speed ratio in the table. */
const RATIO_DIGITS = 2;
const MS_DIGITS = 1;
const COLUMN_GAP = "  ";

export type CountCheck = "ok" | "mismatch" | "unchecked";

export interface PerftRow extends PerftMeasurement {
  expected: number | undefined;
  check: CountCheck;
  nodesPerSecond: number;
  /** Our nodes/s divided by this row's nodes/s at the same position and depth, when both ran. */
  oursRatio: number | undefined;
}

/** Builds one checked row per measurement, in the order of `runs`. */
export function buildRows(runs: readonly ProgramRun[], positions: readonly PerftPosition[]): PerftRow[] {
  const measurements = runs.flatMap((run) => run.measurements);
  const ours = measurements.filter((measurement) => measurement.program === "ours");

  return measurements.map((measurement) => {
    const position = positions.find((candidate) => candidate.name === measurement.position);
    const expected = position ? knownCount(position, measurement.depth) : undefined;
    const nodesPerSecond = rateOf(measurement);
    const oursRun = ours.find((row) => row.position === measurement.position && row.depth === measurement.depth);
    const oursRatio = measurement.program === "ours" || !oursRun ? undefined : rateOf(oursRun) / nodesPerSecond;
    return { ...measurement, expected, check: checkCount(measurement.nodes, expected), nodesPerSecond, oursRatio };
  });
}

function rateOf(measurement: PerftMeasurement): number {
  return measurement.ms > 0 ? (measurement.nodes * MS_PER_SECOND) / measurement.ms : Number.POSITIVE_INFINITY;
}

function checkCount(nodes: number, expected: number | undefined): CountCheck {
  if (expected === undefined) return "unchecked";
  return nodes === expected ? "ok" : "mismatch";
}

/** Formats the rows as an aligned text table, then one line per engine startup or missing program. */
export function formatReport(rows: readonly PerftRow[], runs: readonly ProgramRun[]): string {
  const header = ["program", "position", "depth", "nodes", "ms", "nodes/s", "ours/this", "check"];
  const body = rows.map((row) => [
    row.program,
    row.position,
    String(row.depth),
    String(row.nodes),
    row.ms.toFixed(MS_DIGITS),
    String(Math.round(row.nodesPerSecond)),
    row.oursRatio === undefined ? "-" : row.oursRatio.toFixed(RATIO_DIGITS),
    row.check === "mismatch" ? `MISMATCH, expected ${row.expected}` : row.check,
  ]);
  const notes = runs.flatMap(describeRun);
  return [...alignColumns([header, ...body]), "", ...notes].join("\n");
}

function describeRun(run: ProgramRun): string[] {
  const notes: string[] = [];
  if (run.startupMs !== undefined) notes.push(`${run.program}: startup to readyok ${run.startupMs.toFixed(MS_DIGITS)} ms`);
  if (run.unavailable === undefined) return notes;
  const state = run.measurements.length > 0 ? "stopped early" : "not available";
  notes.push(`${run.program}: ${state} (${run.unavailable})`);
  return notes;
}

/** Pads every column to its widest cell. Numbers are right-aligned, other text left-aligned. */
function alignColumns(table: readonly string[][]): string[] {
  const widths = table[0]?.map((_, column) => Math.max(...table.map((cells) => cells[column]?.length ?? 0))) ?? [];
  const numeric = (cell: string) => /^-?[\d.]+$/.test(cell);
  return table.map((cells) =>
    cells
      .map((cell, column) => (numeric(cell) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(COLUMN_GAP)
      .trimEnd(),
  );
}

export interface PerftSummary {
  positions: { name: string; sfen: string }[];
  programs: { program: ProgramId; available: boolean; reason?: string; startupMs?: number }[];
  results: PerftRow[];
  mismatches: number;
}

/** Collects everything the table shows into one object for `--json`. */
export function summarize(rows: readonly PerftRow[], runs: readonly ProgramRun[], positions: readonly PerftPosition[]): PerftSummary {
  return {
    positions: positions.map(({ name, sfen }) => ({ name, sfen })),
    programs: runs.map((run) => ({
      program: run.program,
      available: run.unavailable === undefined,
      ...(run.unavailable === undefined ? {} : { reason: run.unavailable }),
      ...(run.startupMs === undefined ? {} : { startupMs: run.startupMs }),
    })),
    results: [...rows],
    mismatches: rows.filter((row) => row.check === "mismatch").length,
  };
}
