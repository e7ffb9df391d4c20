// The progress file of a resumable gensfen run (FILE.progress.json beside the output FILE) and
// the checks that decide whether a run may continue an existing output.
//
// Games are written whole and in index order, and the progress file is replaced atomically after
// each game, so it always describes a prefix of the output: games 0..gamesFinished-1 in its first
// `records` records. Records past that prefix come from a run killed while writing and are cut.

import { readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { BINARY_CODECS, type BinaryFormat } from "../nn/data/formats.js";
import { openRecordReader } from "../nn/data/reader.js";
import { Position } from "../shogi/position.js";
import { GAME_TERMINATIONS, type GameTermination, type SkipCounts, emptySkipCounts } from "./gensfen-game.js";
import { PositionKeySet, setupKey } from "./gensfen-keys.js";
import { type DataConfig, configDifferences } from "./gensfen-options.js";
import { TeacherError } from "./teacher-errors.js";

/** Counts over all games in the output. */
export interface GensfenTotals {
  skipped: SkipCounts;
  terminations: Record<GameTermination, number>;
  blackWins: number;
  whiteWins: number;
  draws: number;
  /** Plies played in all games, openings excluded. */
  plies: number;
}

export interface ProgressState {
  version: typeof PROGRESS_VERSION;
  config: DataConfig;
  /** Games 0..gamesFinished-1 are in the output. Game i draws its moves from seed(config.seed, i). */
  gamesFinished: number;
  /** Records of those games in the output. */
  records: number;
  totals: GensfenTotals;
  updatedAt: string;
}

/** The starting point of a run: the finished prefix of the output and the keys of its positions. */
export interface ResumePoint {
  gamesFinished: number;
  records: number;
  totals: GensfenTotals;
  keys: PositionKeySet;
}

const PROGRESS_VERSION = 1;
const PROGRESS_SUFFIX = ".progress.json";
const TEMPORARY_SUFFIX = ".tmp";

export function progressPath(output: string): string {
  return output + PROGRESS_SUFFIX;
}

export function emptyTotals(): GensfenTotals {
  const terminations = Object.fromEntries(GAME_TERMINATIONS.map((name) => [name, 0])) as Record<GameTermination, number>;
  return { skipped: emptySkipCounts(), terminations, blackWins: 0, whiteWins: 0, draws: 0, plies: 0 };
}

/** Writes the progress file through a temporary file and a rename, so a kill leaves the old or the new one. */
export async function writeProgress(output: string, state: ProgressState): Promise<void> {
  const path = progressPath(output);
  await writeFile(path + TEMPORARY_SUFFIX, `${JSON.stringify(state, null, 2)}\n`);
  await rename(path + TEMPORARY_SUFFIX, path);
}

/**
 * Finds where a run on `output` starts. A fresh output starts at game 0. An output with a
 * progress file written with the same config continues after its last finished game, cut to that
 * game's last record. With `overwrite`, an existing output and progress file are deleted first.
 * Throws TeacherError "output_exists" or "progress_mismatch" otherwise.
 */
export async function prepareOutput(output: string, format: BinaryFormat, config: DataConfig, overwrite: boolean): Promise<ResumePoint> {
  if (overwrite) {
    await rm(output, { force: true });
    await rm(progressPath(output), { force: true });
  }
  const state = await readProgress(output);
  const size = await fileSize(output);
  if (!state) {
    if (size >= 0) {
      throw new TeacherError("output_exists", `${output} exists but has no progress file ${progressPath(output)}, so it was not written by a resumable gensfen run; choose another output or pass --force to replace it`);
    }
    return { gamesFinished: 0, records: 0, totals: emptyTotals(), keys: new PositionKeySet() };
  }
  checkConfig(output, state.config, config);
  const recordBytes = BINARY_CODECS[format].recordBytes;
  const wholeRecords = Math.floor(Math.max(size, 0) / recordBytes);
  if (wholeRecords < state.records) {
    throw new TeacherError("progress_mismatch", `${output} contains ${wholeRecords} records but its progress file expects ${state.records}; the output was changed or lost, so delete ${progressPath(output)} and the output, or pass --force`);
  }
  if (size > state.records * recordBytes) await truncate(output, state.records * recordBytes);
  const keys = state.records > 0 ? await readKeys(output, format) : new PositionKeySet();
  return { gamesFinished: state.gamesFinished, records: state.records, totals: state.totals, keys };
}

async function readProgress(output: string): Promise<ProgressState | undefined> {
  let text: string;
  try {
    text = await readFile(progressPath(output), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let state: ProgressState;
  try {
    state = JSON.parse(text) as ProgressState;
  } catch (error) {
    throw new TeacherError("progress_mismatch", `progress file ${progressPath(output)} is not valid JSON (${(error as Error).message}); delete it and the output, or pass --force`);
  }
  if (state.version !== PROGRESS_VERSION || !Number.isInteger(state.gamesFinished) || !Number.isInteger(state.records)) {
    throw new TeacherError("progress_mismatch", `progress file ${progressPath(output)} is not a version ${PROGRESS_VERSION} gensfen progress file; delete it and the output, or pass --force`);
  }
  return state;
}

function checkConfig(output: string, stored: DataConfig, current: DataConfig): void {
  const differences = configDifferences(stored, current);
  if (differences.length === 0) return;
  const details = differences.map((key) => `${key}: was ${JSON.stringify(stored[key])}, now ${JSON.stringify(current[key])}`).join("; ");
  throw new TeacherError("progress_mismatch", `${output} was generated with other settings (${details}); rerun with the same settings to continue, choose another output, or pass --force to start over`);
}

/** Reads the position key of every record in the output. */
async function readKeys(output: string, format: BinaryFormat): Promise<PositionKeySet> {
  const keys = new PositionKeySet();
  const scratch = new Position();
  const reader = await openRecordReader(output, { format, verify: "format" });
  for await (const batch of reader.batches()) {
    for (const record of batch) keys.add(...setupKey(record.setup, scratch));
  }
  return keys;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return -1;
    throw error;
  }
}
