// `shogi-lab gensfen`: teacher self-play into PackedSfenValue teacher data, resumable. This module
// also defines the teacher options that `shogi-lab label` shares.
import { type Command, InvalidArgumentError, Option } from "commander";
import { type GensfenOptions, type GensfenProgress, type GensfenSummary, generateTeacherData } from "../distill/gensfen.js";
import { GENSFEN_DEFAULTS } from "../distill/gensfen-options.js";
import type { TeacherRestart } from "../distill/teacher.js";
import { TeacherError } from "../distill/teacher-errors.js";
import { BUILTIN_TEACHERS, DEFAULT_TEACHER, type SearchBudget, type TeacherSpec } from "../distill/teacher-profiles.js";
import type { OptionValue } from "../usi/client.js";

/** Values of the teacher options as commander parses them. */
export interface TeacherOptionValues {
  readonly teacher: string;
  readonly teacherArg: string[];
  readonly teacherOption: Record<string, OptionValue>;
  readonly scoreScale?: number;
  readonly depth?: number;
  readonly nodes?: number;
  readonly workers: number;
  readonly searchTimeout: number;
  readonly teacherLog?: string;
  readonly json: boolean;
}

interface GensfenOptionValues extends TeacherOptionValues {
  readonly out: string;
  readonly games: number;
  readonly seed: number;
  readonly randomPlies: number;
  readonly randomMultipv: number;
  readonly openingFile?: string;
  readonly openingPlies: number;
  readonly maxPlies: number;
  readonly evalLimit: number;
  readonly evalLimitPlies: number;
  readonly skipFirstPlies: number;
  readonly keepChecks: boolean;
  readonly force: boolean;
}

/** Search depth used when neither --depth nor --nodes is given. */
export const DEFAULT_DEPTH = 6;
const CLEAR_LINE = "\r\x1b[K";
const MS_PER_SECOND = 1000;
/** Exit status after SIGINT or SIGTERM stopped the run (128 + SIGINT's number 2, as shells report it). */
export const EXIT_INTERRUPTED = 130;
const SECONDS_PER_MINUTE = 60;

const HELP_AFTER = `
Teachers: fsf-wasm (Fairy-Stockfish WebAssembly, needs no system package), fsf (native
Fairy-Stockfish, Debian package fairy-stockfish), gpsusi (GPSShogi, Debian package gpsshogi; it
searches by --depth 4..10 only), or the path of any USI engine. Scores are stored from the side to
move in the project's scale, where the win probability of s is sigmoid(s / 600): the engine's
"score cp" times the teacher's score scale (--score-scale; a path's default is 1).

Games start from the start position or from --opening-file (SFEN or USI "position" lines, a KIF or
CSA record, or a folder of records cut after --opening-plies plies; game i takes opening i modulo
their count), play --random-plies random moves, then the teacher's best move. Each searched position is written with the teacher's score,
move, ply and the game's result from its side to move, except positions in check (unless
--keep-checks), with |score| > --eval-limit, before --skip-first-plies, or repeated. A game ends by
mate, a mate score, --eval-limit-plies scores past --eval-limit in a row, declaration (CSA 27-point
rule), repetition (draw; perpetual check loses) or --max-plies (draw).

The run is resumable: games are written whole, and OUT.progress.json records how many are in OUT.
Rerun the same command after a kill or with a larger --games to continue. Game i plays with a seed
derived from --seed and i, so the data does not depend on --workers. Progress (games, positions,
positions/s, ETA) is shown on stderr when it is a terminal, and not with --json.`;

/** Runs gensfen and writes the summary (text, or JSON with --json) to stdout. */
export async function runGensfen(options: GensfenOptions, json: boolean, showProgress: boolean): Promise<GensfenSummary | undefined> {
  const display = new StatusLine(showProgress);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const summary = await generateTeacherData(options, {
      signal: controller.signal,
      onProgress: (progress) => display.show(formatGensfenProgress(progress)),
      onRestart: (restart) => display.note(formatRestart(restart)),
    });
    display.clear();
    if (controller.signal.aborted) process.exitCode = EXIT_INTERRUPTED;
    process.stdout.write(json ? `${JSON.stringify(summary)}\n` : formatGensfenSummary(summary));
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

/** Prints a TeacherError as a JSON error object with --json, and rethrows it otherwise. */
export function reportTeacherError(error: unknown, json: boolean): void {
  if (!(json && error instanceof TeacherError)) throw error;
  process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
  process.exitCode = 1;
}

export function formatGensfenProgress(progress: GensfenProgress): string {
  const eta = progress.etaMs === undefined ? "" : `, ETA ${formatDuration(progress.etaMs)}`;
  return `gensfen: ${progress.gamesFinished}/${progress.gamesRequested} games, ${progress.records} positions, ` +
    `${progress.recordsPerSecond.toFixed(1)} positions/s${eta}`;
}

export function formatRestart(restart: TeacherRestart & { worker?: number }): string {
  const worker = restart.worker === undefined ? "" : `worker ${restart.worker}: `;
  return `${worker}teacher ${restart.teacher} restarted after ${restart.reason}: ${restart.detail}`;
}

function formatGensfenSummary(summary: GensfenSummary): string {
  const totals = summary.totals;
  const endings = Object.entries(totals.terminations).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`);
  const skipped = Object.entries(totals.skipped).map(([name, count]) => `${name} ${count}`);
  const lines = [
    `${summary.stopped ? "stopped at" : "finished"} ${summary.gamesFinished}/${summary.gamesRequested} games, ${summary.records} positions in ${summary.output}` +
      (summary.resumedFromGame > 0 ? ` (resumed after game ${summary.resumedFromGame})` : ""),
    `this run: ${summary.gamesThisRun} games, ${summary.recordsThisRun} positions in ${(summary.elapsedMs / MS_PER_SECOND).toFixed(1)} s ` +
      `(${summary.recordsPerSecond.toFixed(1)} positions/s, ${summary.searchesPerSecond.toFixed(1)} searches/s, ${summary.workers} workers, ${summary.restarts} teacher restarts)`,
    `teacher: ${summary.teacher}, ${describeBudget(summary.budget)}, score scale ${summary.scoreScale}`,
    `results: Black won ${totals.blackWins}, White won ${totals.whiteWins}, draws ${totals.draws}; endings: ${endings.join(", ") || "none"}`,
    `positions not written: ${skipped.join(", ")}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function describeBudget(budget: SearchBudget): string {
  return budget.kind === "depth" ? `depth ${budget.depth}` : `${budget.nodes} nodes`;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / MS_PER_SECOND);
  const minutes = Math.floor(seconds / SECONDS_PER_MINUTE);
  if (minutes === 0) return `${seconds}s`;
  const hours = Math.floor(minutes / SECONDS_PER_MINUTE);
  const rest = `${minutes % SECONDS_PER_MINUTE}m${String(seconds % SECONDS_PER_MINUTE).padStart(2, "0")}s`;
  return hours > 0 ? `${hours}h${rest}` : rest;
}

/** A progress line rewritten in place on a terminal's stderr; notes go on lines of their own. */
export class StatusLine {
  private visible = false;

  constructor(private readonly enabled: boolean) {}

  show(text: string): void {
    if (!this.enabled) return;
    process.stderr.write(`${CLEAR_LINE}${text}`);
    this.visible = true;
  }

  /** Writes a line to stderr, also when progress is off, because it reports a caught failure. */
  note(text: string): void {
    this.clear();
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    if (!this.visible) return;
    process.stderr.write(CLEAR_LINE);
    this.visible = false;
  }
}

export function parseInteger(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value)) throw new InvalidArgumentError(`expected an integer, got '${text}'`);
  return value;
}

function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return value;
}

function collectArgument(text: string, previous: string[]): string[] {
  return [...previous, text];
}

/** Collects repeated `--teacher-option Name=Value` into an object. */
function collectTeacherOption(text: string, previous: Record<string, OptionValue>): Record<string, OptionValue> {
  const equals = text.indexOf("=");
  if (equals <= 0) throw new InvalidArgumentError(`expected Name=Value, got '${text}'`);
  return { ...previous, [text.slice(0, equals).trim()]: text.slice(equals + 1).trim() };
}

/** Adds the options that choose and run the teacher (shared by gensfen and label). */
export function addTeacherOptions(command: Command): Command {
  return command
    .option("--teacher <name|path>", `teacher: ${BUILTIN_TEACHERS.join(", ")}, or the path of a USI engine`, DEFAULT_TEACHER)
    .option("--teacher-arg <argument>", "command-line argument of a teacher given by path (repeatable; write --teacher-arg=-x for one starting with -)", collectArgument, [])
    .option("--teacher-option <Name=Value>", "USI option sent to the teacher (repeatable; overrides the profile's defaults)", collectTeacherOption, {})
    .option("--score-scale <factor>", "factor from the teacher's 'score cp' to the project's scale (default: the profile's)", parsePositiveNumber)
    .addOption(new Option("--depth <plies>", `search depth per position (default ${DEFAULT_DEPTH} when --nodes is absent)`).argParser(parseInteger).conflicts("nodes"))
    .addOption(new Option("--nodes <count>", "search nodes per position").argParser(parseInteger))
    .option("--workers <count>", "teacher processes running at once", parseInteger, GENSFEN_DEFAULTS.workers)
    .option("--search-timeout <ms>", "milliseconds a search may take before the teacher is restarted", parseInteger, GENSFEN_DEFAULTS.searchTimeoutMs)
    .option("--teacher-log <prefix>", "write each teacher's USI traffic to PREFIX.WORKER.log")
    .option("--json", "print one JSON summary object (or an error object) and no progress", false);
}

export function teacherSpecFrom(values: TeacherOptionValues): TeacherSpec {
  return { teacher: values.teacher, args: values.teacherArg, options: values.teacherOption, scoreScale: values.scoreScale };
}

export function budgetFrom(values: TeacherOptionValues): SearchBudget {
  if (values.nodes !== undefined) return { kind: "nodes", nodes: values.nodes };
  return { kind: "depth", depth: values.depth ?? DEFAULT_DEPTH };
}

export function registerGensfen(program: Command): void {
  const command = program
    .command("gensfen")
    .description("Generate teacher data by teacher self-play, as PackedSfenValue records (resumable)")
    .requiredOption("--out <file>", "output file (.bin PackedSfenValue, or .hcpe)")
    .option("--games <count>", "games the output should hold when done (earlier runs included)", parseInteger, 100)
    .option("--seed <integer>", "run seed (game i plays with a seed derived from it and i)", parseInteger, GENSFEN_DEFAULTS.seed)
    .option("--random-plies <plies>", "plies played at random after the opening", parseInteger, GENSFEN_DEFAULTS.randomPlies)
    .option("--random-multipv <count>", "pick random moves among the teacher's best COUNT moves (0: among all legal moves)", parseInteger, GENSFEN_DEFAULTS.randomMultipv)
    .option("--opening-file <path>", "opening set: SFEN/USI lines, a KIF/CSA record, or a folder of records")
    .option("--opening-plies <plies>", "plies of each opening record to play", parseInteger, GENSFEN_DEFAULTS.openingPlies)
    .option("--max-plies <ply>", "a game reaching this ply is a draw", parseInteger, GENSFEN_DEFAULTS.maxPlies)
    .option("--eval-limit <score>", "scores past it are not written, and decide the game after --eval-limit-plies in a row", parseInteger, GENSFEN_DEFAULTS.evalLimit)
    .option("--eval-limit-plies <plies>", "scores past --eval-limit in a row that decide a game", parseInteger, GENSFEN_DEFAULTS.evalLimitPlies)
    .option("--skip-first-plies <ply>", "do not write positions before this ply", parseInteger, GENSFEN_DEFAULTS.skipFirstPlies)
    .option("--keep-checks", "also write positions where the side to move is in check", false)
    .option("--force", "delete an existing output and its progress file and start over", false);
  addTeacherOptions(command)
    .addHelpText("after", HELP_AFTER)
    .action(async (values: GensfenOptionValues) => {
      const options: GensfenOptions = {
        teacher: teacherSpecFrom(values),
        budget: budgetFrom(values),
        output: values.out,
        games: values.games,
        workers: values.workers,
        seed: values.seed,
        randomPlies: values.randomPlies,
        randomMultipv: values.randomMultipv,
        openingFile: values.openingFile,
        openingPlies: values.openingPlies,
        maxPlies: values.maxPlies,
        evalLimit: values.evalLimit,
        evalLimitPlies: values.evalLimitPlies,
        skipFirstPlies: values.skipFirstPlies,
        keepChecks: values.keepChecks,
        searchTimeoutMs: values.searchTimeout,
        overwrite: values.force,
        teacherLog: values.teacherLog,
      };
      await runGensfen(options, values.json, !values.json && process.stderr.isTTY === true);
    });
}
