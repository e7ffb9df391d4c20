// `shogi-lab sprt`: the GSPRT log-likelihood ratio and stop decision for match results so far.
import { InvalidArgumentError, Option, type Command } from "commander";
import type { CountsKind, ResultCounts } from "../arena/stats/counts.js";
import { formatSprtReport } from "../arena/stats/format.js";
import { parseCounts } from "../arena/stats/parse.js";
import {
  DEFAULT_ALPHA,
  DEFAULT_BETA,
  DEFAULT_SPRT_MODEL,
  evaluateSprt,
  SPRT_MODELS,
  type SprtModel,
} from "../arena/stats/sprt.js";

export interface SprtCommandOptions {
  readonly counts: ResultCounts;
  readonly elo0: number;
  readonly elo1: number;
  readonly model: SprtModel;
  readonly alpha: number;
  readonly beta: number;
  /** Print one JSON object instead of labelled lines. */
  readonly json: boolean;
}

/**
 * Runs the SPRT stop test and returns the text to print.
 * @throws RangeError when elo0 >= elo1 or alpha + beta >= 1.
 */
export function runSprt(options: SprtCommandOptions): string {
  const { counts, json, ...sprt } = options;
  return formatSprtReport(evaluateSprt(counts, sprt), json);
}

/** Options --wdl and --penta as commander parses them; `elo` uses them too. */
export interface CountsOptionValues {
  readonly wdl?: ResultCounts;
  readonly penta?: ResultCounts;
}

/** Returns an option parser that turns "W,D,L" or "LL,LD,WL+DD,WD,WW" into counts. */
function countsParser(kind: CountsKind): (text: string) => ResultCounts {
  return (text) => {
    const parsed = parseCounts(text, kind);
    if (!parsed.ok) throw new InvalidArgumentError(parsed.error.message);
    return parsed.value;
  };
}

/** Adds the mutually exclusive --wdl and --penta options to a command. */
export function addCountsOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--wdl <W,D,L>", "game counts: wins, draws and losses of the first player")
        .argParser(countsParser("trinomial"))
        .conflicts("penta"),
    )
    .addOption(
      new Option(
        "--penta <LL,LD,WLDD,WD,WW>",
        "game-pair counts of colour-swapped pairs from the first player's side: two losses, " +
          "loss and draw, win and loss or two draws, win and draw, two wins",
      ).argParser(countsParser("pentanomial")),
    );
}

/** Returns the counts given with --wdl or --penta, or stops the command when neither is given. */
export function requireCounts(values: CountsOptionValues, command: Command): ResultCounts {
  const counts = values.wdl ?? values.penta;
  if (counts === undefined) {
    command.error("error: missing results: give --wdl W,D,L or --penta LL,LD,WLDD,WD,WW");
  }
  return counts;
}

function parseElo(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`"${text}" is not a number; give an Elo difference such as 2 or -1.75`);
  }
  return value;
}

function parseProbability(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError(`"${text}" is not a probability between 0 and 1 (exclusive), such as 0.05`);
  }
  return value;
}

interface SprtOptionValues extends CountsOptionValues {
  elo0: number;
  elo1: number;
  model: SprtModel;
  alpha: number;
  beta: number;
  json: boolean;
}

export function registerSprt(program: Command): void {
  const command = program
    .command("sprt")
    .description("Test H0: Elo = elo0 against H1: Elo = elo1 with the generalised SPRT, as fishtest does");
  addCountsOptions(command)
    .requiredOption(
      "--elo0 <elo>",
      "Elo difference under H0: normalized Elo points with --model normalized, Elo points with logistic",
      parseElo,
    )
    .requiredOption("--elo1 <elo>", "Elo difference under H1, in the unit of --elo0; greater than --elo0", parseElo)
    .addOption(
      new Option("--model <model>", "unit of --elo0 and --elo1: logistic Elo or normalized Elo")
        .choices(SPRT_MODELS)
        .default(DEFAULT_SPRT_MODEL),
    )
    .option("--alpha <p>", "probability of accepting H1 when H0 holds", parseProbability, DEFAULT_ALPHA)
    .option("--beta <p>", "probability of accepting H0 when H1 holds", parseProbability, DEFAULT_BETA)
    .option("--json", "print one JSON object with the keys llr, lower, upper, decision", false)
    .addHelpText(
      "after",
      "\nOutput: llr, the log-likelihood ratio of H1 over H0; lower = ln(beta / (1 - alpha)) and\n" +
        "upper = ln((1 - beta) / alpha), its stopping bounds; decision H1 when llr >= upper, H0 when\n" +
        "llr <= lower, otherwise continue. Empty buckets count as 0.001 games.",
    )
    .action((values: SprtOptionValues, self: Command) => {
      const counts = requireCounts(values, self);
      if (!(values.elo0 < values.elo1)) {
        self.error(`error: invalid bounds: --elo0 ${values.elo0} must be less than --elo1 ${values.elo1}`);
      }
      if (!(values.alpha + values.beta < 1)) {
        self.error(`error: invalid --alpha ${values.alpha} and --beta ${values.beta}: their sum must be below 1`);
      }
      try {
        process.stdout.write(runSprt({ ...values, counts }));
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        self.error(`error: ${error.message}`);
      }
    });
}
