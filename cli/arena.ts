// `shogi-lab arena` runs a tournament from a plan file or flags. `arena export` writes stored
// games as KIF or CSA files, and `arena summary` prints the results of a stored tournament.
import { InvalidArgumentError, Option, type Command } from "commander";
import { exportGames, type ExportResult } from "../arena/export.js";
import { type PlanFlags, planFromFlags } from "../arena/plan-flags.js";
import { REFERENCE_PROFILES, TOURNAMENT_KINDS } from "../arena/plan.js";
import { readTournament } from "../arena/read.js";
import { formatProgress, formatSummary } from "../arena/report.js";
import { type TournamentSummary, runTournament } from "../arena/tournament.js";
import { ENTERING_KING_RULES } from "../shogi/rules.js";
import { SPRT_MODELS } from "../arena/stats/index.js";

const CLEAR_LINE = "\r\x1b[K";
/** Exit status after an interrupt, as shells report SIGINT (128 + 2). */
const EXIT_INTERRUPTED = 130;

export interface ArenaCommandOptions extends PlanFlags {
  /** Print the final summary as one JSON object and no progress line. */
  json: boolean;
  /** Rewrite a progress line on stderr after each game. */
  showProgress: boolean;
  signal?: AbortSignal;
}

/** Runs the tournament that the plan file and flags describe and returns its summary. */
export async function runArenaCommand(options: ArenaCommandOptions): Promise<TournamentSummary> {
  const plan = planFromFlags(options);
  let progressShown = false;
  const onProgress = options.showProgress
    ? (progress: Parameters<typeof formatProgress>[0]) => {
        process.stderr.write(`${CLEAR_LINE}${formatProgress(progress)}`);
        progressShown = true;
      }
    : undefined;
  try {
    return await runTournament(plan, { ...(onProgress ? { onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  } finally {
    if (progressShown) process.stderr.write("\n");
  }
}

function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`"${text}" is not a whole number of 0 or more`);
  return value;
}

function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number`);
  return value;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const RUN_HELP = `
Engines (--engine NAME=TARGET, repeatable; the first one is the gauntlet's subject):
  ours                this project's engine with its default model
  ours:MODEL          this project's engine with an .onnx model, or ours:material
  fsf-wasm|fsf|gpsusi a reference program
  PATH                any USI executable; give arguments with --engine-arg NAME=ARG
Time controls (--tc, milliseconds): byoyomi=1000  byoyomi=1000,main=60000  fischer=60000+1000
  movetime=500  nodes=20000  depth=6
A rerun with the same plan and database resumes the tournament: stored games are skipped and
games that did not finish are played again. Ctrl-C stops after killing the engines.`;

function registerRun(arena: Command): void {
  arena
    .option("--plan <file>", "tournament plan (JSON); flags given as well replace its values")
    .option("--name <name>", "tournament name")
    .addOption(new Option("--kind <kind>", "tournament kind").choices(TOURNAMENT_KINDS))
    .option("--engine <spec>", `engine as NAME=TARGET (ours, ours:MODEL, ${REFERENCE_PROFILES.join(", ")}, or a path)`, collect)
    .option("--engine-option <setting>", "USI option of an engine as NAME.OPTION=VALUE", collect)
    .option("--engine-arg <setting>", "command-line argument of a path engine as NAME=ARG", collect)
    .option("--games <n>", "games per pairing of engines (even)", parseCount)
    .option("--pairs <n>", "colour-swapped game pairs per pairing; the maximum for an SPRT", parseCount)
    .option("--concurrency <n>", "games played at once", parseCount)
    .option("--tc <spec>", "time control (see below)")
    .option("--time-margin <ms>", "milliseconds an engine may overrun its time before it loses", parseCount)
    .option("--openings <path>", "opening file (SFEN or USI lines) or folder of KIF/CSA records")
    .option("--opening-plies <n>", "cut each opening after this many moves (records: 24 by default)", parseCount)
    .addOption(new Option("--opening-order <order>", "order of the openings, shuffled by --seed or as in the file").choices(["random", "sequential"]))
    .option("--seed <n>", "seed of the opening order (default 1)", parseCount)
    .option("--max-plies <n>", "plies after which a game is drawn (default 320)", parseCount)
    .option("--no-mate-on-last-ply", "draw at the ply limit even when the last move mates")
    .option("--resign <moves,p>", "resign adjudication: both engines agree for MOVES moves each that the loser's win probability is at most P (default 4,0.02)")
    .option("--no-resign", "no resign adjudication")
    .addOption(new Option("--entering-king-rule <rule>", "rule for entering-king declarations (default csa27)").choices(ENTERING_KING_RULES))
    .option("--elo0 <elo>", "SPRT: Elo difference under H0", parseNumber)
    .option("--elo1 <elo>", "SPRT: Elo difference under H1", parseNumber)
    .option("--alpha <p>", "SPRT: false positive rate (default 0.05)", parseNumber)
    .option("--beta <p>", "SPRT: false negative rate (default 0.05)", parseNumber)
    .addOption(new Option("--sprt-model <model>", "SPRT: unit of elo0 and elo1 (default normalized)").choices(SPRT_MODELS))
    .option("--anchor <setting>", "fixed pool rating as NAME=ELO", collect)
    .option("--db <file>", "SQLite results database (default arena.sqlite)")
    .option("--log-dir <dir>", "write one engine I/O log per game and engine into this folder")
    .option("--json", "print the summary as one JSON object, without a progress line", false)
    .addHelpText("after", RUN_HELP)
    .action(async (values: PlanFlags & { json: boolean }) => {
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once("SIGINT", interrupt);
      try {
        const showProgress = !values.json && process.stderr.isTTY === true;
        const summary = await runArenaCommand({ ...values, showProgress, signal: controller.signal });
        process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
        if (controller.signal.aborted) process.exitCode = EXIT_INTERRUPTED;
      } finally {
        process.off("SIGINT", interrupt);
      }
    });
}

interface ExportValues {
  db: string;
  tournament?: number;
  format: "kif" | "csa";
  out: string;
  encoding: "utf-8" | "shift_jis";
}

function registerExport(arena: Command): void {
  arena
    .command("export")
    .description("Write stored games as KIF or CSA files, one per game")
    .requiredOption("--db <file>", "SQLite results database")
    .option("--tournament <id>", "only this tournament (default: all)", parseCount)
    .addOption(new Option("--format <format>", "record format").choices(["kif", "csa"]).makeOptionMandatory())
    .requiredOption("--out <dir>", "output folder, created when missing")
    .addOption(new Option("--encoding <encoding>", "KIF text encoding").choices(["utf-8", "shift_jis"]).default("utf-8"))
    .action((values: ExportValues) => {
      const result: ExportResult = exportGames({
        db: values.db,
        format: values.format,
        outDir: values.out,
        kifEncoding: values.encoding,
        ...(values.tournament !== undefined ? { tournamentId: values.tournament } : {}),
      });
      process.stdout.write(`wrote ${result.files.length} ${values.format.toUpperCase()} files to ${values.out}\n`);
    });
}

function registerSummary(arena: Command): void {
  arena
    .command("summary")
    .description("Print the results of a stored tournament")
    .requiredOption("--db <file>", "SQLite results database")
    .option("--tournament <id>", "tournament id (default: the latest)", parseCount)
    .option("--json", "print one JSON object", false)
    .action((values: { db: string; tournament?: number; json: boolean }) => {
      const report = readTournament(values.db, values.tournament);
      process.stdout.write(values.json ? `${JSON.stringify(report.summary)}\n` : formatSummary(report.summary));
    });
}

export function registerArena(program: Command): void {
  // `arena` and its subcommands share option names such as --db. Commander hands a subcommand's
  // options to it only when every command above it parses options positionally. The program
  // itself declares no options, so this changes nothing for the other commands.
  program.enablePositionalOptions();
  const arena = program
    .command("arena")
    .description("Play a gauntlet, round robin or SPRT match between USI engines; results go to SQLite")
    .enablePositionalOptions();
  registerRun(arena);
  registerExport(arena);
  registerSummary(arena);
}
