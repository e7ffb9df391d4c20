// Labelling positions with a teacher: every position of the inputs (records, teacher data,
// position lists) gets the teacher's score and best move, keeping its ply and game result, and is
// written in input order.

import { type DataFormat, formatFromPath } from "../nn/data/formats.js";
import type { TeacherRecord } from "../nn/data/record.js";
import { type RecordWriter, openRecordWriter } from "../nn/data/writer.js";
import { hasLegalMove } from "../shogi/movegen.js";
import { MOVE_NONE, move16 } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import { buildPosition } from "../usi/search-result.js";
import { PositionKeySet } from "./gensfen-keys.js";
import { checkBudget, checkInteger, GENSFEN_DEFAULTS } from "./gensfen-options.js";
import { type LabelItem, expandInputs, readLabelItems } from "./label-inputs.js";
import { Teacher, type TeacherRestart } from "./teacher.js";
import { TeacherError } from "./teacher-errors.js";
import { type SearchBudget, type TeacherProfile, type TeacherSpec, resolveTeacher } from "./teacher-profiles.js";

export interface LabelOptions {
  readonly teacher: TeacherSpec;
  readonly budget: SearchBudget;
  /** Files and folders (searched recursively for .kif, .kifu, .ki2, .ki2u, .csa, .bin, .hcpe, .sfen). */
  readonly inputs: readonly string[];
  /** Output file: .bin, .hcpe or .txt. */
  readonly output: string;
  /** Teacher processes running at once; default 1. */
  readonly workers?: number;
  /** Label each position once, skipping repeats of an earlier one; default false. */
  readonly unique?: boolean;
  readonly searchTimeoutMs?: number;
  /** Replace an existing output; default false. */
  readonly overwrite?: boolean;
  /** Prefix of per-worker USI logs (PREFIX.W.log); none when absent. */
  readonly teacherLog?: string;
}

export interface LabelHooks {
  /** Called at most every progressIntervalMs while positions are written. */
  onProgress?: (progress: LabelProgress) => void;
  onRestart?: (restart: TeacherRestart & { worker: number }) => void;
  /** Stops the run; the positions labelled so far are written and the output is closed. */
  signal?: AbortSignal;
}

export interface LabelProgress {
  /** Positions read from the inputs and handled, written or skipped. */
  positions: number;
  records: number;
  elapsedMs: number;
  recordsPerSecond: number;
}

export interface LabelSummary extends LabelProgress {
  output: string;
  format: DataFormat;
  files: number;
  teacher: string;
  budget: SearchBudget;
  scoreScale: number;
  workers: number;
  /** Positions not written: no legal move (game over), no score from the teacher, repeats under `unique`. */
  skipped: { terminal: number; noScore: number; duplicate: number };
  restarts: number;
  stopped: boolean;
}

const PROGRESS_INTERVAL_MS = 500;
const MS_PER_SECOND = 1000;
const MAX_WORKERS = 256;

/**
 * Labels the positions of the inputs with the teacher's score and move. The output appears only
 * when the run ends. It is complete, or contains the positions before the stop when the signal
 * stopped the run. After an error no output is written. Throws TeacherError.
 */
export async function labelPositions(options: LabelOptions, hooks: LabelHooks = {}): Promise<LabelSummary> {
  const workers = checkInteger("workers", options.workers ?? GENSFEN_DEFAULTS.workers, 1, MAX_WORKERS);
  checkBudget(options.budget);
  const profile = resolveTeacher(options.teacher);
  profile.plan(options.budget);
  const format = formatFromPath(options.output);
  const files = await expandInputs(options.inputs);
  const writer = await openRecordWriter(options.output, { format, overwrite: options.overwrite ?? false });
  const run = new LabelRun(options, profile, files, writer, workers, hooks);
  return run.execute();
}

/** A position read from the inputs, with its place in the output order. */
interface NumberedItem {
  index: number;
  item: LabelItem;
}

class LabelRun {
  private readonly items: AsyncGenerator<NumberedItem>;
  private readonly labelled = new Map<number, TeacherRecord | undefined>();
  private nextToWrite = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private readonly teachers: Teacher[] = [];
  private readonly keys = new PositionKeySet();
  private readonly skipped = { terminal: 0, noScore: 0, duplicate: 0 };
  private stopRequested = false;
  private error: unknown;
  private readonly startedAt = performance.now();
  private lastProgressAt = 0;

  constructor(
    private readonly options: LabelOptions,
    private readonly profile: TeacherProfile,
    private readonly files: string[],
    private readonly writer: RecordWriter,
    private readonly workers: number,
    private readonly hooks: LabelHooks,
  ) {
    this.items = this.numberedItems();
  }

  async execute(): Promise<LabelSummary> {
    const onAbort = () => this.stop();
    this.hooks.signal?.addEventListener("abort", onAbort);
    try {
      const loops = Array.from({ length: this.workers }, (_, index) => this.worker(index).catch((error: unknown) => this.fail(error)));
      await Promise.all(loops);
      await this.writeChain.catch((error: unknown) => this.fail(error));
    } finally {
      this.hooks.signal?.removeEventListener("abort", onAbort);
      await Promise.all(this.teachers.map((teacher) => teacher.kill()));
    }
    if (this.error !== undefined) {
      await this.writer.abort();
      throw this.error;
    }
    await this.writer.close();
    return this.summary();
  }

  /** Numbers the positions of all inputs, skipping repeats under `unique`, in input order. */
  private async *numberedItems(): AsyncGenerator<NumberedItem> {
    let index = 0;
    for (const file of this.files) {
      for await (const item of readLabelItems(file)) {
        if (this.isStopping()) return;
        yield { index: index++, item };
      }
    }
  }

  private async worker(index: number): Promise<void> {
    const teacher = new Teacher({
      profile: this.profile,
      budget: this.options.budget,
      searchTimeoutMs: this.options.searchTimeoutMs ?? GENSFEN_DEFAULTS.searchTimeoutMs,
      logFile: this.options.teacherLog === undefined ? undefined : `${this.options.teacherLog}.${index}.log`,
      onRestart: (restart) => this.hooks.onRestart?.({ ...restart, worker: index }),
    });
    this.teachers.push(teacher);
    try {
      for (let next = await this.items.next(); !next.done && !this.isStopping(); next = await this.items.next()) {
        this.labelled.set(next.value.index, await this.label(teacher, next.value.item));
        await this.drain();
      }
    } finally {
      await teacher.close();
    }
  }

  /** Returns the labelled record, or undefined for a position that is skipped. */
  private async label(teacher: Teacher, item: LabelItem): Promise<TeacherRecord | undefined> {
    const position = buildPosition(item.position);
    if (!hasLegalMove(position)) {
      this.skipped.terminal++;
      return undefined;
    }
    if (this.options.unique && !this.keys.add(position.keyLo, position.keyHi)) {
      this.skipped.duplicate++;
      return undefined;
    }
    const answer = await teacher.search(item.position);
    if (answer.score === undefined) {
      this.skipped.noScore++;
      return undefined;
    }
    const move = answer.kind === "move" ? move16(parseUsiMove(position, answer.move)) : MOVE_NONE;
    return { setup: position.setup(), score: answer.score, move, ply: item.ply, result: item.result };
  }

  private isStopping(): boolean {
    return this.stopRequested || this.hooks.signal?.aborted === true;
  }

  private stop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    for (const teacher of this.teachers) void teacher.kill();
  }

  private fail(error: unknown): void {
    const stoppedByUs = error instanceof TeacherError && error.code === "stopped" && this.isStopping();
    if (!stoppedByUs && this.error === undefined) this.error = error;
    this.stop();
  }

  /** Writes the labelled positions that are next in input order. */
  private drain(): Promise<void> {
    this.writeChain = this.writeChain.then(async () => {
      while (this.labelled.has(this.nextToWrite)) {
        const record = this.labelled.get(this.nextToWrite);
        this.labelled.delete(this.nextToWrite);
        this.nextToWrite++;
        if (record) await this.writer.write(record);
      }
      const now = performance.now();
      if (this.hooks.onProgress && now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
        this.lastProgressAt = now;
        this.hooks.onProgress(this.progress());
      }
    });
    return this.writeChain;
  }

  private progress(): LabelProgress {
    const elapsedMs = performance.now() - this.startedAt;
    const records = this.writer.recordsWritten;
    return { positions: this.nextToWrite, records, elapsedMs, recordsPerSecond: elapsedMs > 0 ? (records * MS_PER_SECOND) / elapsedMs : 0 };
  }

  private summary(): LabelSummary {
    return {
      ...this.progress(),
      output: this.options.output,
      format: this.writer.format,
      files: this.files.length,
      teacher: this.profile.name,
      budget: this.options.budget,
      scoreScale: this.profile.scoreScale,
      workers: this.workers,
      skipped: { ...this.skipped },
      restarts: this.teachers.reduce((sum, teacher) => sum + teacher.restarts, 0),
      stopped: this.stopRequested,
    };
  }
}
