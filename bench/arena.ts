// Arena throughput: games per hour of this project's engine against Fairy-Stockfish WebAssembly
// at a fixed node count. One run plays one game at a time, the other two at once.
//
// Usage: node dist/bench/arena.js [--games N] [--nodes N] [--model M] [--json]

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parsePlan } from "../arena/plan-parse.js";
import { readTournament } from "../arena/read.js";
import { runTournament } from "../arena/tournament.js";

const USAGE = `Usage: node dist/bench/arena.js [--games N] [--nodes N] [--model M] [--json]

Plays N games (default 8, even) of this project's engine against Fairy-Stockfish WebAssembly,
both searching a fixed number of nodes per move (default 3000), first with concurrency 1 and then
with concurrency 2, from the same openings, and prints the games per hour and engine moves per
second of each and their ratios. Engine start-up is included in the wall time. Games from the
same openings need not have the same length in both runs, so moves/s is the fairer comparison.

  --games N   games per run (even; colour-swapped pairs)
  --nodes N   nodes per move for both engines
  --model M   our engine's evaluation: "material" (default) or an .onnx file
  --json      also print the results as one JSON object on the last line
  --help      print this text`;

const DEFAULT_GAMES = 8;
const DEFAULT_NODES = 3000;
const CONCURRENCY_LEVELS = [1, 2] as const;
const MS_PER_HOUR = 3_600_000;
const MS_PER_SECOND = 1000;
const EXIT_FAILURE = 1;
/** Two-ply openings, so that the colour-swapped pairs of a run differ from each other. */
const OPENINGS = ["7g7f 3c3d", "2g2f 8c8d", "7g7f 8c8d", "2g2f 3c3d", "6g6f 3c3d", "5g5f 8c8d", "7g7f 4c4d", "2g2f 5c5d"];

interface BenchOptions {
  games: number;
  nodes: number;
  model: string;
  json: boolean;
}

interface RunResult {
  concurrency: number;
  games: number;
  wallMs: number;
  gamesPerHour: number;
  meanPlies: number;
  /** Engine moves per second of wall time, which does not depend on how long the games ran. */
  movesPerSecond: number;
}

function parseCount(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 2) throw new Error(`invalid --${name} "${text}": expected a whole number of at least 2`);
  return value;
}

function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      games: { type: "string" },
      nodes: { type: "string" },
      model: { type: "string", default: "material" },
      json: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const games = parseCount(values.games, "games", DEFAULT_GAMES);
  if (games % 2 !== 0) throw new Error(`invalid --games ${games}: games come in colour-swapped pairs, so give an even number`);
  return { games, nodes: parseCount(values.nodes, "nodes", DEFAULT_NODES), model: values.model, json: values.json };
}

async function runOnce(options: BenchOptions, concurrency: number, folder: string): Promise<RunResult> {
  const db = join(folder, `arena-c${concurrency}.sqlite`);
  const plan = parsePlan({
    name: `bench-c${concurrency}`,
    engines: [
      { name: "ours", type: "ours", model: options.model, options: { USI_Hash: 64 } },
      { name: "fsf-wasm", type: "reference", profile: "fsf-wasm", options: { USI_Hash: 64 } },
    ],
    games: options.games,
    concurrency,
    timeControl: { type: "nodes", nodes: options.nodes },
    openings: { path: join(folder, "openings.txt"), order: "sequential" },
    db,
  });
  const started = performance.now();
  await runTournament(plan);
  const wallMs = performance.now() - started;
  const games = readTournament(db).games;
  const plies = games.reduce((sum, game) => sum + game.plies, 0);
  const engineMoves = plies - games.reduce((sum, game) => sum + game.openingPlies, 0);
  return {
    concurrency,
    games: games.length,
    wallMs,
    gamesPerHour: (games.length * MS_PER_HOUR) / wallMs,
    meanPlies: plies / games.length,
    movesPerSecond: (engineMoves * MS_PER_SECOND) / wallMs,
  };
}

function formatRun(run: RunResult): string {
  const seconds = (run.wallMs / MS_PER_SECOND).toFixed(1);
  return `concurrency ${run.concurrency}: ${run.games} games in ${seconds} s, ${run.gamesPerHour.toFixed(0)} games/h, ${run.meanPlies.toFixed(1)} plies per game, ${run.movesPerSecond.toFixed(1)} engine moves/s`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), "bench-arena-"));
  try {
    writeFileSync(join(folder, "openings.txt"), `${OPENINGS.join("\n")}\n`);
    process.stdout.write(`ours (${options.model}) vs Fairy-Stockfish WebAssembly, ${options.nodes} nodes per move, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}\n`);
    const runs: RunResult[] = [];
    for (const concurrency of CONCURRENCY_LEVELS) {
      const run = await runOnce(options, concurrency, folder);
      runs.push(run);
      process.stdout.write(`${formatRun(run)}\n`);
    }
    const ratio = runs[1].gamesPerHour / runs[0].gamesPerHour;
    const movesRatio = runs[1].movesPerSecond / runs[0].movesPerSecond;
    process.stdout.write(`concurrency 2 over 1: games/h ratio ${ratio.toFixed(2)}, moves/s ratio ${movesRatio.toFixed(2)}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...options, runs, ratio, movesRatio })}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/arena: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT_FAILURE;
});
