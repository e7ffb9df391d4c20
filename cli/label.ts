// `shogi-lab label`: relabel positions from records, teacher data or position lists with a
// teacher's score and best move.
import type { Command } from "commander";
import { type LabelOptions, type LabelSummary, labelPositions } from "../distill/label.js";
import {
  EXIT_INTERRUPTED, StatusLine, type TeacherOptionValues, addTeacherOptions, budgetFrom, describeBudget, formatRestart, reportTeacherError,
  teacherSpecFrom,
} from "./gensfen.js";

interface LabelOptionValues extends TeacherOptionValues {
  readonly in: string[];
  readonly out: string;
  readonly unique: boolean;
  readonly force: boolean;
}

const MS_PER_SECOND = 1000;

const HELP_AFTER = `
Inputs (files, or folders searched recursively):
  .kif .kifu .ki2 .ki2u .csa  every position of the game's main line, with the record's result
  .bin .hcpe                  teacher data: ply and result are kept, score and move replaced
  .txt                        teacher-data text when its first line has a tab, else as below
  other files (.sfen)         one position a line: SFEN, or USI "position startpos|sfen ... moves ..."
                              (result 0)
Positions with no legal move are skipped. Folders contribute only the extensions listed above.

Scores are stored from the side to move in the project's scale (see 'shogi-lab gensfen --help').
The output is written to OUT.tmp and renamed to OUT at the end; an interrupt (Ctrl-C) keeps the
positions labelled so far, in input order, and an error leaves no output.`;

/** Runs label and writes the summary (text, or JSON with --json) to stdout. */
export async function runLabel(options: LabelOptions, json: boolean, showProgress: boolean): Promise<LabelSummary | undefined> {
  const display = new StatusLine(showProgress);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const summary = await labelPositions(options, {
      signal: controller.signal,
      onProgress: (progress) =>
        display.show(`label: ${progress.positions} positions read, ${progress.records} written, ${progress.recordsPerSecond.toFixed(1)} positions/s`),
      onRestart: (restart) => display.note(formatRestart(restart)),
    });
    display.clear();
    if (controller.signal.aborted) process.exitCode = EXIT_INTERRUPTED;
    process.stdout.write(json ? `${JSON.stringify(summary)}\n` : formatLabelSummary(summary));
    return summary;
  } catch (error) {
    display.clear();
    reportTeacherError(error, json);
    return undefined;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function formatLabelSummary(summary: LabelSummary): string {
  const { terminal, noScore, duplicate } = summary.skipped;
  const lines = [
    `${summary.stopped ? "stopped after" : "labelled"} ${summary.records} positions from ${summary.files} files into ${summary.output} ` +
      `in ${(summary.elapsedMs / MS_PER_SECOND).toFixed(1)} s (${summary.recordsPerSecond.toFixed(1)} positions/s, ${summary.workers} workers, ${summary.restarts} teacher restarts)`,
    `teacher: ${summary.teacher}, ${describeBudget(summary.budget)}, score scale ${summary.scoreScale}`,
    `positions not written: terminal ${terminal}, no score ${noScore}, duplicate ${duplicate}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function registerLabel(program: Command): void {
  const command = program
    .command("label")
    .description("Label positions from records, teacher data or SFEN lists with a teacher's score and best move")
    .requiredOption("--in <paths...>", "input files and folders")
    .requiredOption("--out <file>", "output file (.bin PackedSfenValue, .hcpe or .txt)")
    .option("--unique", "label each position once, skipping later repeats", false)
    .option("--force", "replace an existing output file", false);
  addTeacherOptions(command)
    .addHelpText("after", HELP_AFTER)
    .action(async (values: LabelOptionValues) => {
      const options: LabelOptions = {
        teacher: teacherSpecFrom(values),
        budget: budgetFrom(values),
        inputs: values.in,
        output: values.out,
        workers: values.workers,
        unique: values.unique,
        searchTimeoutMs: values.searchTimeout,
        overwrite: values.force,
        teacherLog: values.teacherLog,
      };
      await runLabel(options, values.json, !values.json && process.stderr.isTTY === true);
    });
}
