// Streaming writers of teacher-data files. Records are encoded into a fixed-size buffer that is
// written out whenever it fills, on flush() and on close().
//
// "create" mode writes FILE.tmp and renames it to FILE on close, so FILE never contains a partial
// result. "append" mode adds to FILE in place for resumable generation: it first cuts a partial
// last record left by a writer that was killed mid-write, and each later write call adds whole records.

import { type FileHandle, open, rename, stat, truncate, unlink } from "node:fs/promises";
import { TeacherDataError, withRecordContext } from "./errors.js";
import { BINARY_CODECS, type BinaryFormat, type BinaryRecordCodec, type DataFormat, formatFromPath } from "./formats.js";
import { DEFAULT_CHUNK_RECORDS } from "./reader.js";
import type { TeacherRecord } from "./record.js";
import { makeTextRecord } from "./text.js";

export type WriteMode = "create" | "append";

export interface WriteOptions {
  /** Format of the file; by default taken from its extension (.bin, .hcpe, .txt). */
  readonly format?: DataFormat;
  /** Default "create"; see the file comment. */
  readonly mode?: WriteMode;
  /** In create mode, replace an existing file on close; default false ("output_exists" error). */
  readonly overwrite?: boolean;
  /** Records buffered before a write call; default DEFAULT_CHUNK_RECORDS. */
  readonly chunkRecords?: number;
}

const TEMPORARY_SUFFIX = ".tmp";
const SCAN_CHUNK_BYTES = 1 << 16;
const LINE_FEED = 0x0a;

/** Append position: the length of the file kept, and the records in it. */
interface AppendStart {
  readonly keptBytes: number;
  readonly keptRecords: number;
}

/** A teacher-data file opened for writing; see the file comment and WriteOptions. */
export class RecordWriter {
  /** Records written so far by this writer, buffered ones included. */
  recordsWritten = 0;
  private readonly chunkRecords: number;
  private readonly codec: BinaryRecordCodec | null;
  private readonly binaryBuffer: Buffer | null;
  private readonly textLines: string[] = [];
  private buffered = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    readonly format: DataFormat,
    readonly mode: WriteMode,
    private readonly handle: FileHandle,
    /** Records the file held before this writer (append mode; 0 in create mode). */
    readonly existingRecords: number,
    /** Bytes of a partial last record cut from the file in append mode. */
    readonly droppedBytes: number,
    private position: number,
    options: WriteOptions,
  ) {
    this.chunkRecords = Math.max(1, options.chunkRecords ?? DEFAULT_CHUNK_RECORDS);
    this.codec = format === "text" ? null : BINARY_CODECS[format];
    this.binaryBuffer = this.codec === null ? null : Buffer.alloc(this.codec.recordBytes * this.chunkRecords);
  }

  static async open(file: string, options: WriteOptions = {}): Promise<RecordWriter> {
    const format = options.format ?? formatFromPath(file);
    const mode = options.mode ?? "create";
    if (mode === "create") {
      if (!options.overwrite && (await fileSize(file)) >= 0) {
        throw new TeacherDataError("output_exists", file, -1, "the output file already exists");
      }
      const handle = await open(file + TEMPORARY_SUFFIX, "w");
      return new RecordWriter(file, format, mode, handle, 0, 0, 0, options);
    }
    const size = await fileSize(file);
    if (size < 0) return new RecordWriter(file, format, mode, await open(file, "wx"), 0, 0, 0, options);
    const start = format === "text" ? await findTextAppendStart(file, size) : binaryAppendStart(format, size);
    if (start.keptBytes !== size) await truncate(file, start.keptBytes);
    const handle = await open(file, "r+");
    return new RecordWriter(file, format, mode, handle, start.keptRecords, size - start.keptBytes, start.keptBytes, options);
  }

  /** Buffers one record and writes the buffer out when it is full. Throws TeacherDataError on a record that does not fit the format. */
  async write(record: TeacherRecord): Promise<void> {
    if (this.closed) throw new Error(`the writer of ${this.path} is closed`);
    const index = this.existingRecords + this.recordsWritten;
    try {
      if (this.codec === null || this.binaryBuffer === null) {
        this.textLines.push(makeTextRecord(record));
      } else {
        this.codec.encode(record, this.binaryBuffer, this.buffered * this.codec.recordBytes);
      }
    } catch (error) {
      throw withRecordContext(error, this.path, index);
    }
    this.buffered++;
    this.recordsWritten++;
    if (this.buffered >= this.chunkRecords) await this.flush();
  }

  /** Writes the buffered records to the file (to FILE.tmp in create mode). */
  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const bytes = this.codec === null || this.binaryBuffer === null
      ? Buffer.from(`${this.textLines.join("\n")}\n`)
      : this.binaryBuffer.subarray(0, this.buffered * this.codec.recordBytes);
    let written = 0;
    while (written < bytes.length) {
      const result = await this.handle.write(bytes, written, bytes.length - written, this.position + written);
      written += result.bytesWritten;
    }
    this.position += written;
    this.buffered = 0;
    this.textLines.length = 0;
  }

  /** Flushes, syncs and closes the file; in create mode then renames FILE.tmp to FILE. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    await this.handle.sync();
    this.closed = true;
    await this.handle.close();
    if (this.mode !== "create") return;
    try {
      await rename(this.path + TEMPORARY_SUFFIX, this.path);
    } catch (error) {
      await unlink(this.path + TEMPORARY_SUFFIX).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Closes the file without writing the buffered records. In create mode FILE.tmp is removed and
   * FILE is left as it was; in append mode the records flushed so far stay in FILE.
   */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
    if (this.mode === "create") await unlink(this.path + TEMPORARY_SUFFIX).catch(() => undefined);
  }
}

/** Opens a teacher-data file for writing; see RecordWriter and WriteOptions. */
export function openRecordWriter(file: string, options: WriteOptions = {}): Promise<RecordWriter> {
  return RecordWriter.open(file, options);
}

/** Size of a file, or -1 when it does not exist. */
async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return -1;
    throw error;
  }
}

function binaryAppendStart(format: BinaryFormat, size: number): AppendStart {
  const keptRecords = Math.floor(size / BINARY_CODECS[format].recordBytes);
  return { keptBytes: keptRecords * BINARY_CODECS[format].recordBytes, keptRecords };
}

/** Keeps the text up to its last line break and counts the lines before it (reads the whole file). */
async function findTextAppendStart(file: string, size: number): Promise<AppendStart> {
  const handle = await open(file, "r");
  const chunk = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
  let keptBytes = 0;
  let keptRecords = 0;
  try {
    for (let position = 0; position < size; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      const filled = chunk.subarray(0, bytesRead);
      for (let i = filled.indexOf(LINE_FEED); i >= 0; i = filled.indexOf(LINE_FEED, i + 1)) {
        keptRecords++;
        keptBytes = position + i + 1;
      }
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { keptBytes, keptRecords };
}
