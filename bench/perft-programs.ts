// Perft runners for the benchmarked programs: the project's own move generator and shogiops run
// in this process, Fairy-Stockfish builds run as USI engines in child processes.

import { performance } from "node:perf_hooks";
import { perft as shogiopsPerftOf } from "shogiops/debug";
import { parseSfen } from "shogiops/sfen";
import { perft as projectPerft } from "../shogi/perft.js";
import { EngineProcess, type EngineCommand } from "../usi/engine-process.js";
import type { PerftPosition } from "./perft-positions.js";

export type ProgramId = "ours" | "shogiops" | "fsf-wasm" | "fsf-native";

export interface PerftJob {
  position: PerftPosition;
  depth: number;
}

export interface PerftMeasurement {
  program: ProgramId;
  position: string;
  depth: number;
  nodes: number;
  ms: number;
}

/** Outcome of one program in the run: its measurements, its startup time and any failure. */
export interface ProgramRun {
  program: ProgramId;
  /** Reason the program did not run or stopped early, absent when all its jobs ran. */
  unavailable?: string;
  /** Milliseconds from spawning an engine to its `readyok`, absent for in-process programs. */
  startupMs?: number;
  measurements: PerftMeasurement[];
}

export type SfenPerft = (sfen: string, depth: number) => number;

/** The project's own perft, which counts the last ply in bulk like Fairy-Stockfish. */
export const oursPerft: SfenPerft = projectPerft;

/** Depth of the untimed run that warms up the JIT before each timed in-process perft. */
const WARMUP_DEPTH = 1;
/** Milliseconds to wait for `usiok` and `readyok`. */
const ENGINE_REPLY_TIMEOUT_MS = 60_000;
/**
 * Milliseconds to wait for one perft count. Estimate: the WebAssembly build needs about 2 minutes
 * for start position depth 6 (548 M leaves) at its 4-5 M leaves/s.
 */
const ENGINE_PERFT_TIMEOUT_MS = 600_000;
const NODES_LINE = /^Nodes searched: (\d+)$/;

/** Counts perft leaves with shogiops, whose perft makes every move down to depth 0. */
export function shogiopsPerft(sfen: string, depth: number): number {
  const position = parseSfen("standard", sfen);
  if (position.isErr) throw new Error(`invalid SFEN for shogiops "${sfen}": ${position.error.message}`);
  return shogiopsPerftOf(position.value, depth);
}

/**
 * Times `perft` on each job in this process, after an untimed shallow run on the position. An
 * exception ends the program's run and is reported with the measurements taken so far.
 */
export function runInProcess(program: ProgramId, perft: SfenPerft, jobs: readonly PerftJob[]): ProgramRun {
  const run: ProgramRun = { program, measurements: [] };
  try {
    for (const job of jobs) run.measurements.push(timeInProcess(program, perft, job));
  } catch (error) {
    run.unavailable = error instanceof Error ? error.message : String(error);
  }
  return run;
}

function timeInProcess(program: ProgramId, perft: SfenPerft, { position, depth }: PerftJob): PerftMeasurement {
  perft(position.sfen, Math.min(WARMUP_DEPTH, depth));
  const started = performance.now();
  const nodes = perft(position.sfen, depth);
  const ms = performance.now() - started;
  return { program, position: position.name, depth, nodes, ms };
}

/**
 * Starts `engine`, switches it to USI with `usi`, and times `go perft` on each job from sending
 * the command to the "Nodes searched" line. Startup is measured apart, and the engine is quit (or
 * killed) before this returns.
 */
export async function runEngine(program: ProgramId, engine: EngineCommand, jobs: readonly PerftJob[]): Promise<ProgramRun> {
  const run: ProgramRun = { program, measurements: [] };
  const started = performance.now();
  const child = EngineProcess.start(engine);
  try {
    await request(child, "usi", "usiok", ENGINE_REPLY_TIMEOUT_MS);
    await request(child, "isready", "readyok", ENGINE_REPLY_TIMEOUT_MS);
    run.startupMs = performance.now() - started;
    for (const job of jobs) run.measurements.push(await timeEnginePerft(program, child, job));
  } catch (error) {
    run.unavailable = `${engine.command} ${engine.args.join(" ")}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await child.quit();
  }
  return run;
}

async function timeEnginePerft(program: ProgramId, child: EngineProcess, job: PerftJob): Promise<PerftMeasurement> {
  child.send(`position sfen ${job.position.sfen}`);
  await request(child, "isready", "readyok", ENGINE_REPLY_TIMEOUT_MS);

  const started = performance.now();
  child.send(`go perft ${job.depth}`);
  const lines = await child.waitFor((line) => NODES_LINE.test(line), ENGINE_PERFT_TIMEOUT_MS);
  const ms = performance.now() - started;

  const nodes = Number(NODES_LINE.exec(lines.at(-1) ?? "")?.[1]);
  return { program, position: job.position.name, depth: job.depth, nodes, ms };
}

async function request(child: EngineProcess, command: string, reply: string, timeoutMs: number): Promise<void> {
  child.send(command);
  await child.waitFor((line) => line.trim() === reply, timeoutMs);
}
