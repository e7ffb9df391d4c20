// `shogi-lab convert`: converts teacher data between PackedSfenValue (.bin), hcpe (.hcpe) and text (.txt).
import { Option, type Command } from "commander";
import {
  type ConvertOptions, type ConvertSummary, convertFile, formatConvertProgress,
} from "../nn/data/convert.js";
import { TeacherDataError } from "../nn/data/errors.js";
import { DATA_FORMATS, type DataFormat } from "../nn/data/formats.js";
import { VERIFY_LEVELS, type VerifyLevel } from "../nn/data/verify.js";

export interface ConvertCommandOptions extends ConvertOptions {
  /** Print one JSON object (the summary, or {"error": ...}) instead of text. */
  readonly json: boolean;
  /** Rewrite a progress line on stderr while converting. */
  readonly showProgress: boolean;
}

interface ConvertOptionValues {
  readonly from?: DataFormat;
  readonly to?: DataFormat;
  readonly allowTruncatedTail: boolean;
  readonly verify: VerifyLevel;
  readonly force: boolean;
  readonly quietOnly: boolean;
  readonly json: boolean;
}

const CLEAR_LINE = "\r\x1b[K";

const HELP_AFTER = `
Formats (chosen by extension unless --from/--to is given):
  psv   .bin   YaneuraOu PackedSfenValue, 40-byte records
  hcpe  .hcpe  dlshogi hcpe, 38-byte records (no ply field: ply is dropped, and read as 0)
  text  .txt   one line per record: SFEN<TAB>score<TAB>USI move or "none"<TAB>ply<TAB>result

Fields: score is from the side to move, in the teacher's evaluation units, copied without
rescaling (YaneuraOu data uses 600 per logit, dlshogi data about 756). ply counts plies from the
game's start (0 = start position). result is 1, 0 or -1 from the side to move; hcpe stores it as
0 draw, 1 Black won, 2 White won.

The output is written to OUTPUT.tmp and renamed to OUTPUT only after the last record, so a failed
conversion leaves no partial output. Progress (records, records/s, ETA) is shown on stderr when it
is a terminal, and not with --json. Errors name the file and the 0-based index of the record.`;

/** Converts one file and writes the summary, or with --json a JSON error, to stdout. */
export async function runConvert(options: ConvertCommandOptions): Promise<void> {
  let progressShown = false;
  const onProgress = options.showProgress
    ? (progress: Parameters<NonNullable<ConvertOptions["onProgress"]>>[0]) => {
        process.stderr.write(`${CLEAR_LINE}${formatConvertProgress(progress)}`);
        progressShown = true;
      }
    : undefined;
  try {
    const summary = await convertFile({ ...options, onProgress });
    process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  } catch (error) {
    if (!(options.json && error instanceof TeacherDataError)) throw error;
    const { code, path, recordIndex, message } = error;
    process.stdout.write(`${JSON.stringify({ error: { code, path, recordIndex, message } })}\n`);
    process.exitCode = 1;
  } finally {
    if (progressShown) process.stderr.write(CLEAR_LINE);
  }
}

function formatSummary(summary: ConvertSummary): string {
  const lines = [
    `converted ${summary.records} records from ${summary.input} (${summary.inputFormat}) to ${summary.output} (${summary.outputFormat}) ` +
      `in ${(summary.elapsedMs / 1000).toFixed(2)} s (${Math.round(summary.recordsPerSecond)} records/s)`,
  ];
  if (summary.skipped > 0) lines.push(`dropped ${summary.skipped} records that are not quiet (teacher move captures, or in check)`);
  if (summary.droppedBytes > 0) lines.push(`skipped a partial last record of ${summary.droppedBytes} bytes`);
  if (summary.missingFields.length > 0) lines.push(`fields the output format cannot hold: ${summary.missingFields.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description("Convert teacher data between PackedSfenValue (.bin), hcpe (.hcpe) and text (.txt)")
    .argument("<input>", "teacher-data file to read")
    .argument("<output>", "file to write")
    .addOption(new Option("--from <format>", "input format (default: from the input's extension)").choices(DATA_FORMATS))
    .addOption(new Option("--to <format>", "output format (default: from the output's extension)").choices(DATA_FORMATS))
    .option("--allow-truncated-tail", "skip a partial last record (left by a killed writer) instead of failing", false)
    .addOption(
      new Option("--verify <level>", "record checks: legal = bytes, rules and move legality; format = bytes and fields only")
        .choices(VERIFY_LEVELS)
        .default("legal"),
    )
    .option("--force", "replace an existing output file", false)
    .option("--quiet-only", "drop records whose teacher move captures or whose side to move is in check (training data for a static evaluation)", false)
    .option("--json", "print one JSON summary object (or an error object) and no progress", false)
    .addHelpText("after", HELP_AFTER)
    .action(async (input: string, output: string, values: ConvertOptionValues) => {
      await runConvert({
        input,
        output,
        inputFormat: values.from,
        outputFormat: values.to,
        allowTruncatedTail: values.allowTruncatedTail,
        verify: values.verify,
        overwrite: values.force,
        quietOnly: values.quietOnly,
        json: values.json,
        showProgress: !values.json && process.stderr.isTTY === true,
      });
    });
}
