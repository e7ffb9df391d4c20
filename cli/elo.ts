// `shogi-lab elo`: Elo, normalized Elo and LOS of one match from its result counts.
import type { Command } from "commander";
import type { ResultCounts } from "../arena/stats/counts.js";
import { estimateElo } from "../arena/stats/elo.js";
import { formatEloReport } from "../arena/stats/format.js";
import { addCountsOptions, registerSprt, requireCounts, type CountsOptionValues } from "./sprt.js";

export interface EloCommandOptions {
  readonly counts: ResultCounts;
  /** Print one JSON object instead of labelled lines. */
  readonly json: boolean;
}

/** Computes the Elo report of the counts and returns the text to print. */
export function runElo(options: EloCommandOptions): string {
  return formatEloReport(estimateElo(options.counts), options.json);
}

/** Registers the match-statistics commands: `elo` here and `sprt` from sprt.ts. */
export function registerElo(program: Command): void {
  const command = program
    .command("elo")
    .description("Estimate the Elo difference of two players from the results of one match");
  addCountsOptions(command)
    .option("--json", "print one JSON object with the keys elo, elo95, nelo, nelo95, los", false)
    .addHelpText(
      "after",
      "\nOutput: elo and nelo (normalized Elo) in Elo points, elo95 and nelo95 as half-widths of\n" +
        "their 95% intervals in Elo points, los (likelihood of superiority) as a probability from 0 to 1.\n" +
        "Empty buckets count as 0.001 games, and scores are clamped to [0.001, 0.999] (Elo within +-1199.8).",
    )
    .action((values: CountsOptionValues & { json: boolean }, self: Command) => {
      process.stdout.write(runElo({ counts: requireCounts(values, self), json: values.json }));
    });
  registerSprt(program);
}
