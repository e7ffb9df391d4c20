// `shogi-lab report`: rebuilds a run's report page and chart files from its saved run data.
import type { Command } from "commander";
import { buildReport } from "../reports/build.js";

export interface ReportCommandOptions {
  /** The run folder, which contains run-data.json. */
  runDir: string;
  /** Folder for index.html and the SVG files; `report/` in the run folder when absent. */
  outDir?: string;
}

/** Builds the report and returns the path of its index.html. */
export function runReport(options: ReportCommandOptions): string {
  return buildReport(options.runDir, { outDir: options.outDir }).page;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("Build the HTML report of a run (index.html and one SVG file per chart) from its saved run data")
    .requiredOption("--run <dir>", "run folder that contains run-data.json")
    .option("--out <dir>", "folder for index.html and the SVG files (default: report/ in the run folder)")
    .action((values: { run: string; out?: string }) => {
      process.stdout.write(`${runReport({ runDir: values.run, outDir: values.out })}\n`);
    });
}
