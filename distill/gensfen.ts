// Teacher-data generation (gensfen): teacher self-play games, each searched position written as
// a PackedSfenValue record with the teacher's score and move and the game's result.
//
// Workers are concurrent game loops in this process, each driving its own teacher process, which
// is where the time goes. Game i always plays with a seed derived from the run seed and i. Games
// are written in index order, and repeated positions are dropped in that order. So the output
// depends on neither the worker count nor timing, as long as the teacher is deterministic (one
// thread) and is not restarted during a game, because a restart empties its hash table.

import { type BinaryFormat, formatFromPath } from "../nn/data/formats.js";
import { type RecordWriter, openRecordWriter } from "../nn/data/writer.js";
import { BLACK } from "../shogi/types.js";
import { type PlayedGame, playGame } from "./gensfen-game.js";
import { type DataConfig, type GensfenOptions, type ResolvedGensfenOptions, dataConfig, resolveGensfenOptions } from "./gensfen-options.js";
import { type Opening, loadOpenings } from "./gensfen-openings.js";
import { type GensfenTotals, type ResumePoint, prepareOutput, writeProgress } from "./gensfen-progress.js";
import { gameSeed } from "./gensfen-random.js";
import { Teacher, type TeacherRestart } from "./teacher.js";
import { TeacherError } from "./teacher-errors.js";
import { type SearchBudget, type TeacherProfile, resolveTeacher } from "./teacher-profiles.js";

export type { GensfenOptions } from "./gensfen-options.js";
export type { GensfenTotals } from "./gensfen-progress.js";

export interface GensfenHooks {
  /** Called after each game is written. */
  onProgress?: (progress: GensfenProgress) => void;
  /** Called when a worker's teacher was restarted after a failure. */
  onRestart?: (restart: TeacherRestart & { worker: number }) => void;
  /** Stops the run: games in play are dropped, finished ones are written, and the run can be resumed. */
  signal?: AbortSignal;
}

export interface GensfenProgress {
  /** Games in the output, earlier runs included. */
  gamesFinished: number;
  gamesRequested: number;
  /** Records in the output, earlier runs included. */
  records: number;
  recordsThisRun: number;
  elapsedMs: number;
  /** Records written per second in this run. */
  recordsPerSecond: number;
  /** Estimated time to the requested game count, from this run's game rate; undefined before the first game. */
  etaMs: number | undefined;
}

export interface GensfenSummary extends GensfenProgress {
  output: string;
  format: BinaryFormat;
  teacher: string;
  budget: SearchBudget;
  scoreScale: number;
  workers: number;
  /** Games already in the output when this run started. */
  resumedFromGame: number;
  gamesThisRun: number;
  /** Positions the teacher searched in this run, random-move searches included. */
  searchesThisRun: number;
  searchesPerSecond: number;
  restarts: number;
  /** True when the signal stopped the run before the requested game count. */
  stopped: boolean;
  totals: GensfenTotals;
}

const START_OPENING: Opening = { moves: [], source: "startpos" };
const MS_PER_SECOND = 1000;

/**
 * Generates teacher data until the output contains `options.games` games, continuing a run that was
 * stopped or killed (see gensfen-progress.ts). Throws TeacherError for invalid options, a missing
 * teacher, an output that cannot be continued, or a teacher that keeps failing. Games written
 * before an error stay in the output, and a rerun continues after them.
 */
export async function generateTeacherData(options: GensfenOptions, hooks: GensfenHooks = {}): Promise<GensfenSummary> {
  const settings = resolveGensfenOptions(options);
  const profile = resolveTeacher(options.teacher);
  profile.plan(options.budget);
  const format = formatFromPath(options.output);
  if (format === "text") throw new TeacherError("invalid_option", `gensfen writes .bin or .hcpe files, whose fixed-size records let a run resume; not ${options.output}`);
  const openings = settings.openingFile ? await loadOpenings(settings.openingFile, settings.openingPlies) : [START_OPENING];
  const config = dataConfig(settings, profile, options.budget);
  const written = await prepareOutput(options.output, format, config, options.overwrite ?? false);
  const run = new GensfenRun(options, settings, profile, format, openings, written, hooks);
  return run.execute(config);
}

/** The state of one generation run; see generateTeacherData. */
class GensfenRun {
  private nextGame: number;
  private nextToWrite: number;
  private readonly finished = new Map<number, PlayedGame>();
  private writeChain: Promise<void> = Promise.resolve();
  private writer: RecordWriter | undefined;
  private readonly teachers: Teacher[] = [];
  private stopRequested = false;
  private error: unknown;
  private recordsThisRun = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly options: GensfenOptions,
    private readonly settings: ResolvedGensfenOptions,
    private readonly profile: TeacherProfile,
    private readonly format: BinaryFormat,
    private readonly openings: Opening[],
    /** The output's content when the run started; its totals and keys grow as games are written. */
    private readonly written: ResumePoint,
    private readonly hooks: GensfenHooks,
  ) {
    this.nextGame = written.gamesFinished;
    this.nextToWrite = written.gamesFinished;
  }

  async execute(config: DataConfig): Promise<GensfenSummary> {
    const remaining = this.settings.games - this.written.gamesFinished;
    if (remaining <= 0) return this.summary();
    // The progress file comes first, so that an output file never exists without one.
    await this.saveProgress(config);
    this.writer = await openRecordWriter(this.options.output, { mode: "append", format: this.format });
    const onAbort = () => this.stop();
    this.hooks.signal?.addEventListener("abort", onAbort);
    try {
      const workers = Math.min(this.settings.workers, remaining);
      const loops = Array.from({ length: workers }, (_, index) => this.worker(index, config).catch((error: unknown) => this.fail(error)));
      await Promise.all(loops);
      await this.writeChain.catch((error: unknown) => this.fail(error));
    } finally {
      this.hooks.signal?.removeEventListener("abort", onAbort);
      await Promise.all(this.teachers.map((teacher) => teacher.kill()));
      await this.writer.close();
    }
    if (this.error !== undefined) throw this.error;
    return this.summary();
  }

  private async worker(index: number, config: DataConfig): Promise<void> {
    const teacher = new Teacher({
      profile: this.profile,
      budget: this.options.budget,
      searchTimeoutMs: this.settings.searchTimeoutMs,
      logFile: this.options.teacherLog === undefined ? undefined : `${this.options.teacherLog}.${index}.log`,
      onRestart: (restart) => this.hooks.onRestart?.({ ...restart, worker: index }),
    });
    this.teachers.push(teacher);
    try {
      for (let game = this.nextGame++; game < this.settings.games && !this.isStopping(); game = this.nextGame++) {
        const opening = this.openings[game % this.openings.length];
        const played = await playGame(teacher, opening, gameSeed(this.settings.seed, game), this.settings);
        this.finished.set(game, played);
        await this.drain(config);
      }
    } finally {
      await teacher.close();
    }
  }

  private isStopping(): boolean {
    return this.stopRequested || this.hooks.signal?.aborted === true;
  }

  /** Stops every worker: teachers are killed, so searches in flight end at once. */
  private stop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    for (const teacher of this.teachers) void teacher.kill();
  }

  /** Keeps the first real error; "stopped" errors only follow from stop(). */
  private fail(error: unknown): void {
    const stoppedByUs = error instanceof TeacherError && error.code === "stopped" && this.isStopping();
    if (!stoppedByUs && this.error === undefined) this.error = error;
    this.stop();
  }

  /** Writes every finished game that is next in index order, one writer at a time. */
  private drain(config: DataConfig): Promise<void> {
    this.writeChain = this.writeChain.then(async () => {
      for (let game = this.finished.get(this.nextToWrite); game; game = this.finished.get(this.nextToWrite)) {
        this.finished.delete(this.nextToWrite);
        await this.writeGame(game);
        this.nextToWrite++;
        await this.saveProgress(config);
        this.hooks.onProgress?.(this.progress());
      }
    });
    return this.writeChain;
  }

  private saveProgress(config: DataConfig): Promise<void> {
    return writeProgress(this.options.output, {
      version: 1, config, gamesFinished: this.nextToWrite, records: this.records(), totals: this.written.totals, updatedAt: new Date().toISOString(),
    });
  }

  private async writeGame(game: PlayedGame): Promise<void> {
    const writer = this.writer as RecordWriter;
    const totals = this.written.totals;
    for (let i = 0; i < game.records.length; i++) {
      if (this.written.keys.add(game.keys[2 * i], game.keys[2 * i + 1])) await writer.write(game.records[i]);
      else totals.skipped.duplicate++;
    }
    await writer.flush();
    this.recordsThisRun = writer.recordsWritten;
    for (const reason of Object.keys(game.skipped) as (keyof typeof game.skipped)[]) totals.skipped[reason] += game.skipped[reason];
    totals.terminations[game.termination]++;
    if (game.winner === undefined) totals.draws++;
    else if (game.winner === BLACK) totals.blackWins++;
    else totals.whiteWins++;
    totals.plies += game.plies;
  }

  private records(): number {
    return this.written.records + this.recordsThisRun;
  }

  private progress(): GensfenProgress {
    const elapsedMs = performance.now() - this.startedAt;
    const gamesThisRun = this.nextToWrite - this.written.gamesFinished;
    const gamesLeft = Math.max(0, this.settings.games - this.nextToWrite);
    return {
      gamesFinished: this.nextToWrite,
      gamesRequested: this.settings.games,
      records: this.records(),
      recordsThisRun: this.recordsThisRun,
      elapsedMs,
      recordsPerSecond: elapsedMs > 0 ? (this.recordsThisRun * MS_PER_SECOND) / elapsedMs : 0,
      etaMs: gamesThisRun > 0 ? (gamesLeft * elapsedMs) / gamesThisRun : undefined,
    };
  }

  private summary(): GensfenSummary {
    const progress = this.progress();
    const searches = this.teachers.reduce((sum, teacher) => sum + teacher.searches, 0);
    return {
      ...progress,
      output: this.options.output,
      format: this.format,
      teacher: this.profile.name,
      budget: this.options.budget,
      scoreScale: this.profile.scoreScale,
      workers: this.settings.workers,
      resumedFromGame: this.written.gamesFinished,
      gamesThisRun: this.nextToWrite - this.written.gamesFinished,
      searchesThisRun: searches,
      searchesPerSecond: progress.elapsedMs > 0 ? (searches * MS_PER_SECOND) / progress.elapsedMs : 0,
      restarts: this.teachers.reduce((sum, teacher) => sum + teacher.restarts, 0),
      stopped: this.nextToWrite < this.settings.games,
      totals: this.written.totals,
    };
  }
}
