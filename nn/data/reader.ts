// Streaming readers of teacher-data files. Records are decoded from a fixed-size buffer, so a
// file of any size is read in constant memory.

import { type FileHandle, open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { RecordCodecError, TeacherDataError, withRecordContext } from "./errors.js";
import { BINARY_CODECS, type BinaryRecordCodec, type DataFormat, formatFromPath } from "./formats.js";
import type { TeacherRecord } from "./record.js";
import { parseTextRecord } from "./text.js";
import { RecordVerifier, type VerifyLevel } from "./verify.js";

export const DEFAULT_CHUNK_RECORDS = 4096;
const TEXT_CHUNK_BYTES = 1 << 16;

export interface ReadOptions {
  /** Format of the file; by default taken from its extension (.bin, .hcpe, .txt). */
  readonly format?: DataFormat;
  /**
   * Skip a partial record at the end of the file (in text, a last line without a line break) and
   * accept an empty file, since a killed writer can leave either. droppedBytes reports the bytes
   * skipped. Default false, which makes both errors.
   */
  readonly allowTruncatedTail?: boolean;
  /** Checks applied to each record; default "legal". */
  readonly verify?: VerifyLevel;
  /** Records per read call in the binary formats; default DEFAULT_CHUNK_RECORDS. */
  readonly chunkRecords?: number;
}

/**
 * A teacher-data file opened for reading. Iterate it with `for await`; each iteration reads the
 * file from the start. Errors are TeacherDataError values naming the file and the 0-based record
 * index, except file-system errors, which pass unchanged.
 */
export class RecordReader implements AsyncIterable<TeacherRecord> {
  /** Bytes read from the file so far in the current iteration. */
  bytesRead = 0;
  /** Records decoded so far in the current iteration. */
  recordsRead = 0;
  /** Bytes of a partial last record skipped under allowTruncatedTail. */
  droppedBytes = 0;

  private constructor(
    readonly path: string,
    readonly format: DataFormat,
    /** File size when the reader was opened. */
    readonly totalBytes: number,
    /** Whole records in a binary file; -1 for text, whose records are counted only by reading. */
    readonly recordCount: number,
    private readonly options: ReadOptions,
  ) {}

  /** Opens a file: checks its size against the record size before any record is read. */
  static async open(file: string, options: ReadOptions = {}): Promise<RecordReader> {
    const format = options.format ?? formatFromPath(file);
    const size = (await stat(file)).size;
    const allowTail = options.allowTruncatedTail ?? false;
    if (size === 0 && !allowTail) throw new TeacherDataError("empty_file", file, 0, "the file is empty");
    if (format === "text") return new RecordReader(file, format, size, -1, options);
    const recordBytes = BINARY_CODECS[format].recordBytes;
    const recordCount = Math.floor(size / recordBytes);
    const tail = size - recordCount * recordBytes;
    if (tail !== 0 && !allowTail) {
      throw new TeacherDataError("truncated", file, recordCount, `the file ends inside this record: ${size} bytes is not a multiple of the ${recordBytes}-byte ${format} record, and the last ${tail} bytes form no whole record`);
    }
    const reader = new RecordReader(file, format, size, recordCount, options);
    reader.droppedBytes = tail;
    return reader;
  }

  /**
   * Yields the records in batches, one batch per read call, which costs less than iterating
   * record by record. The records before a bad one are yielded before its error is thrown.
   */
  batches(): AsyncGenerator<TeacherRecord[]> {
    this.bytesRead = 0;
    this.recordsRead = 0;
    const verifier = (this.options.verify ?? "legal") === "legal" ? new RecordVerifier() : null;
    if (this.format === "text") return this.readText(verifier);
    return this.readBinary(BINARY_CODECS[this.format], verifier);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TeacherRecord> {
    for await (const batch of this.batches()) {
      for (const record of batch) yield record;
    }
  }

  private async *readBinary(codec: BinaryRecordCodec, verifier: RecordVerifier | null): AsyncGenerator<TeacherRecord[]> {
    const recordBytes = codec.recordBytes;
    const chunkRecords = Math.max(1, this.options.chunkRecords ?? DEFAULT_CHUNK_RECORDS);
    const chunk = Buffer.allocUnsafe(recordBytes * chunkRecords);
    const handle = await open(this.path, "r");
    try {
      for (let first = 0; first < this.recordCount; first += chunkRecords) {
        const count = Math.min(chunkRecords, this.recordCount - first);
        await this.readExactly(handle, chunk, recordBytes, count, first);
        const { batch, error } = collectBatch(count, (i) => {
          try {
            const record = codec.decode(chunk, i * recordBytes);
            verifier?.check(record);
            return record;
          } catch (failure) {
            throw withRecordContext(failure, this.path, first + i);
          }
        });
        this.recordsRead += batch.length;
        if (batch.length > 0) yield batch;
        if (error !== undefined) throw error;
      }
    } finally {
      await handle.close();
    }
  }

  /** Fills chunk with count records from firstRecord on; a short read means the file shrank. */
  private async readExactly(handle: FileHandle, chunk: Buffer, recordBytes: number, count: number, firstRecord: number): Promise<void> {
    const length = count * recordBytes;
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(chunk, filled, length - filled, firstRecord * recordBytes + filled);
      if (bytesRead === 0) {
        const index = firstRecord + Math.floor(filled / recordBytes);
        throw new TeacherDataError("truncated", this.path, index, `the file shrank to ${firstRecord * recordBytes + filled} bytes while it was read`);
      }
      filled += bytesRead;
      this.bytesRead += bytesRead;
    }
  }

  private async *readText(verifier: RecordVerifier | null): AsyncGenerator<TeacherRecord[]> {
    const handle = await open(this.path, "r");
    const decoder = new StringDecoder("utf8");
    const chunk = Buffer.allocUnsafe(TEXT_CHUNK_BYTES);
    let pending = "";
    let position = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        this.bytesRead += bytesRead;
        const lines = (pending + decoder.write(chunk.subarray(0, bytesRead))).split("\n");
        pending = lines.pop() ?? "";
        const first = this.recordsRead;
        const { batch, error } = collectBatch(lines.length, (i) => this.parseLine(lines[i], first + i, verifier, false));
        this.recordsRead += batch.length;
        if (batch.length > 0) yield batch;
        if (error !== undefined) throw error;
      }
      pending += decoder.end();
      if (pending === "") return;
      if (this.options.allowTruncatedTail) {
        this.droppedBytes = Buffer.byteLength(pending);
        return;
      }
      const record = this.parseLine(pending, this.recordsRead, verifier, true);
      this.recordsRead++;
      yield [record];
    } finally {
      await handle.close();
    }
  }

  private parseLine(line: string, index: number, verifier: RecordVerifier | null, unterminated: boolean): TeacherRecord {
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    let record: TeacherRecord;
    try {
      record = parseTextRecord(text);
    } catch (error) {
      if (!(error instanceof RecordCodecError)) throw error;
      if (unterminated) {
        throw new TeacherDataError("truncated", this.path, index, `line ${index + 1} is the last line, has no line break and does not parse (${error.message})`);
      }
      throw new TeacherDataError(error.code, this.path, index, `line ${index + 1}: ${error.message}`);
    }
    try {
      verifier?.check(record);
    } catch (error) {
      if (!(error instanceof RecordCodecError)) throw error;
      throw new TeacherDataError(error.code, this.path, index, `line ${index + 1}: ${error.message}`);
    }
    return record;
  }
}

/** Decodes items 0..count-1 in order, stopping at the first error, which is returned with the records before it. */
function collectBatch(count: number, decode: (index: number) => TeacherRecord): { batch: TeacherRecord[]; error: unknown } {
  const batch: TeacherRecord[] = [];
  try {
    for (let i = 0; i < count; i++) batch.push(decode(i));
  } catch (error) {
    return { batch, error };
  }
  return { batch, error: undefined };
}

/** Opens a teacher-data file for reading; see RecordReader and ReadOptions. */
export function openRecordReader(file: string, options: ReadOptions = {}): Promise<RecordReader> {
  return RecordReader.open(file, options);
}
