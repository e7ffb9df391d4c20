// File-to-file conversion between the teacher-data formats, streaming in constant memory.

import path from "node:path";
import { TeacherDataError } from "./errors.js";
import { type DataFormat, formatFromPath, missingFields } from "./formats.js";
import { openRecordReader } from "./reader.js";
import type { VerifyLevel } from "./verify.js";
import { openRecordWriter } from "./writer.js";
import type { TeacherRecord } from "./record.js";
import { Position } from "../../shogi/position.js";
import { MOVE_NONE, isDrop, moveTo } from "../../shogi/types.js";

export interface ConvertOptions {
  readonly input: string;
  readonly output: string;
  /** Default: from the input's extension. */
  readonly inputFormat?: DataFormat;
  /** Default: from the output's extension. */
  readonly outputFormat?: DataFormat;
  /** Skip a partial last record of the input instead of failing; see ReadOptions. */
  readonly allowTruncatedTail?: boolean;
  /** Checks on each input record; default "legal". */
  readonly verify?: VerifyLevel;
  /** Replace an existing output file; default false. */
  readonly overwrite?: boolean;
  /**
   * Drop records whose teacher move captures a piece or whose side to move is in check: their
   * score depends on the exchange or the escape, which a static evaluation cannot see. Default false.
   */
  readonly quietOnly?: boolean;
  /** Receives progress while records are converted, at least progressIntervalMs apart. */
  readonly onProgress?: (progress: ConvertProgress) => void;
  /** Default DEFAULT_PROGRESS_INTERVAL_MS. */
  readonly progressIntervalMs?: number;
}

export interface ConvertProgress {
  readonly records: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly elapsedMs: number;
}

export interface ConvertSummary {
  readonly input: string;
  readonly output: string;
  readonly inputFormat: DataFormat;
  readonly outputFormat: DataFormat;
  readonly records: number;
  /** Records dropped by quietOnly. */
  readonly skipped: number;
  /** Bytes of a partial last input record skipped under allowTruncatedTail. */
  readonly droppedBytes: number;
  /** Record fields the output format cannot hold (written as a default). */
  readonly missingFields: string[];
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 500;
/** Records converted between two looks at the clock. */
const PROGRESS_CHECK_RECORDS = 4096;
const MS_PER_SECOND = 1000;

/**
 * Converts one teacher-data file into another format. The output appears at its path only when
 * every record was converted; on any error it is left untouched. Throws TeacherDataError.
 */
export async function convertFile(options: ConvertOptions): Promise<ConvertSummary> {
  const inputFormat = options.inputFormat ?? formatFromPath(options.input);
  const outputFormat = options.outputFormat ?? formatFromPath(options.output);
  if (path.resolve(options.input) === path.resolve(options.output)) {
    throw new TeacherDataError("same_file", options.output, -1, "the output path is the input path");
  }
  const started = performance.now();
  const reader = await openRecordReader(options.input, {
    format: inputFormat,
    allowTruncatedTail: options.allowTruncatedTail,
    verify: options.verify,
  });
  const writer = await openRecordWriter(options.output, { format: outputFormat, overwrite: options.overwrite });
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let lastReport = started;
  let skipped = 0;
  const position = new Position();
  try {
    for await (const record of reader) {
      if (options.quietOnly && !isQuiet(position, record)) {
        skipped++;
        continue;
      }
      await writer.write(record);
      if (options.onProgress && writer.recordsWritten % PROGRESS_CHECK_RECORDS === 0) {
        const now = performance.now();
        if (now - lastReport >= interval) {
          lastReport = now;
          options.onProgress({ records: writer.recordsWritten, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes, elapsedMs: now - started });
        }
      }
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const elapsedMs = performance.now() - started;
  return {
    input: options.input,
    output: options.output,
    inputFormat,
    outputFormat,
    records: writer.recordsWritten,
    skipped,
    droppedBytes: reader.droppedBytes,
    missingFields: missingFields(inputFormat, outputFormat),
    elapsedMs,
    recordsPerSecond: elapsedMs > 0 ? (writer.recordsWritten * MS_PER_SECOND) / elapsedMs : 0,
  };
}

/** Returns true when the record's side to move is not in check and its teacher move, if any, captures nothing. */
export function isQuiet(position: Position, record: TeacherRecord): boolean {
  position.setSetup(record.setup);
  if (position.inCheck()) return false;
  return record.move === MOVE_NONE || isDrop(record.move) || position.board[moveTo(record.move)] === 0;
}

/** Makes a one-line progress report: records so far, rate and estimated time left. */
export function formatConvertProgress(progress: ConvertProgress): string {
  const seconds = progress.elapsedMs / MS_PER_SECOND;
  const rate = seconds > 0 ? progress.records / seconds : 0;
  const fraction = progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 1;
  const eta = fraction > 0 ? seconds * (1 / fraction - 1) : Number.NaN;
  const etaText = Number.isFinite(eta) ? formatDuration(eta) : "unknown";
  return `${progress.records.toLocaleString("en-US")} records, ${Math.round(rate).toLocaleString("en-US")} records/s, ${(fraction * 100).toFixed(1)}% read, ETA ${etaText}`;
}

function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
