// gensfen benchmark: teacher-data generation speed per core with each available teacher, and
// each teacher's score scale fitted to the results of the games it played.
//
// Usage: node dist/bench/gensfen.js [--games N] [--depth D | --nodes N] [--teachers a,b] [--json]

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type GensfenSummary, generateTeacherData } from "../distill/gensfen.js";
import { type GameScaleFit, fitScoreScaleByGame } from "../distill/teacher-calibration.js";
import { BUILTIN_TEACHERS, type BuiltinTeacherId, type SearchBudget, resolveTeacher } from "../distill/teacher-profiles.js";
import { openRecordReader } from "../nn/data/reader.js";
import type { TeacherRecord } from "../nn/data/record.js";

const USAGE = `Usage: node dist/bench/gensfen.js [--games N] [--depth D | --nodes N] [--teachers LIST] [--json]

Plays N self-play games (default ${20}) with one worker, so one teacher process on one core, for
each installed teacher (fsf-wasm always; fsf and gpsusi when their Debian packages are present),
and prints positions written per second, searches per second, the CPU share of this Node process,
and the score scale a fitted to the games' results (win probability sigmoid(cp / a) of the engine's
raw "score cp"; its gensfen factor is 600 / a), with a bootstrap interval over games. A fit needs
a hundred games or more to be useful.

  --games N       games per teacher (default 20)
  --depth D       search depth (default 6; gpsusi searches to a depth of 4..10 and is clamped)
  --nodes N       search nodes instead of a depth (gpsusi is skipped: it has no node limit)
  --teachers LIST comma-separated teachers to run (default: all installed)
  --json          also print the results as one JSON object on the last line
  --help          print this text`;

const DEFAULT_GAMES = 20;
const DEFAULT_DEPTH = 6;
const GPSUSI_DEPTH_RANGE = [4, 10] as const;
const MS_PER_SECOND = 1000;
const MICROSECONDS_PER_MS = 1000;
const EXIT_USAGE = 2;

interface BenchOptions {
  games: number;
  budget: SearchBudget;
  teachers: BuiltinTeacherId[];
  json: boolean;
}

interface TeacherRow {
  teacher: BuiltinTeacherId;
  budget: SearchBudget;
  games: number;
  positions: number;
  searches: number;
  seconds: number;
  positionsPerSecond: number;
  searchesPerSecond: number;
  /** CPU time of this Node process (game logic, USI parsing, writing) per second of wall time. */
  nodeCpuShare: number;
  fit: GameScaleFit | undefined;
}

function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      games: { type: "string" }, depth: { type: "string" }, nodes: { type: "string" }, teachers: { type: "string" },
      json: { type: "boolean", default: false }, help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const games = positiveInteger("games", values.games ?? String(DEFAULT_GAMES));
  const budget: SearchBudget = values.nodes !== undefined
    ? { kind: "nodes", nodes: positiveInteger("nodes", values.nodes) }
    : { kind: "depth", depth: positiveInteger("depth", values.depth ?? String(DEFAULT_DEPTH)) };
  const teachers = (values.teachers?.split(",") ?? installedTeachers()) as BuiltinTeacherId[];
  for (const teacher of teachers) {
    if (!BUILTIN_TEACHERS.includes(teacher)) throw new Error(`unknown teacher '${teacher}' in --teachers; expected ${BUILTIN_TEACHERS.join(", ")}`);
  }
  return { games, budget, teachers, json: values.json };
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`invalid --${name} "${text}": expected a positive integer`);
  return value;
}

function installedTeachers(): BuiltinTeacherId[] {
  return BUILTIN_TEACHERS.filter((teacher) => {
    try {
      resolveTeacher({ teacher });
      return true;
    } catch {
      return false;
    }
  });
}

/** Returns the budget a teacher runs with, clamping gpsusi's depth into its range. */
function budgetFor(teacher: BuiltinTeacherId, budget: SearchBudget): SearchBudget | undefined {
  if (teacher !== "gpsusi") return budget;
  if (budget.kind === "nodes") return undefined;
  const [min, max] = GPSUSI_DEPTH_RANGE;
  return { kind: "depth", depth: Math.min(max, Math.max(min, budget.depth)) };
}

async function benchTeacher(teacher: BuiltinTeacherId, budget: SearchBudget, games: number, folder: string): Promise<TeacherRow> {
  const output = join(folder, `${teacher}.bin`);
  const cpuBefore = process.cpuUsage();
  // Score scale 1 stores the engine's raw "score cp", which the fit needs.
  const gameEnds: number[] = [];
  const summary: GensfenSummary = await generateTeacherData(
    { teacher: { teacher, scoreScale: 1 }, budget, output, games, workers: 1, overwrite: true },
    { onProgress: (progress) => gameEnds.push(progress.records) },
  );
  const cpu = process.cpuUsage(cpuBefore);
  const records: TeacherRecord[] = [];
  for await (const batch of (await openRecordReader(output)).batches()) records.push(...batch);
  const gameRecords = gameEnds.map((end, index) => records.slice(index === 0 ? 0 : gameEnds[index - 1], end));
  const seconds = summary.elapsedMs / MS_PER_SECOND;
  return {
    teacher, budget, games: summary.gamesThisRun, positions: summary.recordsThisRun, searches: summary.searchesThisRun, seconds,
    positionsPerSecond: summary.recordsPerSecond, searchesPerSecond: summary.searchesPerSecond,
    nodeCpuShare: (cpu.user + cpu.system) / MICROSECONDS_PER_MS / summary.elapsedMs,
    fit: fitScoreScaleByGame(gameRecords),
  };
}

function formatRow(row: TeacherRow): string {
  const budget = row.budget.kind === "depth" ? `depth ${row.budget.depth}` : `${row.budget.nodes} nodes`;
  const fit = row.fit
    ? `a = ${row.fit.scale.toFixed(0)} cp (90% over games ${row.fit.interval.map((value) => value.toFixed(0)).join("..")}) ` +
      `from ${row.fit.samples} positions of ${row.fit.games} games, factor 600/a = ${row.fit.factor.toFixed(2)}`
    : "no positions to fit";
  return `${row.teacher.padEnd(9)} ${budget.padEnd(12)} ${row.games} games, ${row.positions} positions in ${row.seconds.toFixed(1)} s: ` +
    `${row.positionsPerSecond.toFixed(1)} positions/s, ${row.searchesPerSecond.toFixed(1)} searches/s per core; ` +
    `Node CPU ${(row.nodeCpuShare * 100).toFixed(0)}%; ${fit}`;
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), "bench-gensfen-"));
  const rows: TeacherRow[] = [];
  try {
    for (const teacher of options.teachers) {
      const budget = budgetFor(teacher, options.budget);
      if (!budget) {
        process.stdout.write(`${teacher.padEnd(9)} skipped: it cannot search to a node count\n`);
        continue;
      }
      const row = await benchTeacher(teacher, budget, options.games, folder);
      rows.push(row);
      process.stdout.write(`${formatRow(row)}\n`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ games: options.games, rows })}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench/gensfen: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = EXIT_USAGE;
});
