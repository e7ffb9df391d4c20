// Teacher-data files as a list of chunks that can be read in any order, and the fixed-size slots
// that records travel in between the reader, the shuffle buffer and the worker threads.
//
// A slot contains one record's bytes as its file stores them: 40-byte PackedSfenValue or 38-byte
// hcpe. Text records are parsed on reading and re-encoded as PackedSfenValue, so workers decode
// two binary formats only. Each slot also keeps the record's file and index for error messages.

import { type FileHandle, open } from "node:fs/promises";
import { RecordCodecError, TeacherDataError } from "../../nn/data/errors.js";
import { BINARY_CODECS, type DataFormat } from "../../nn/data/formats.js";
import { PSV_RECORD_BYTES, encodePsv } from "../../nn/data/psv.js";
import { openRecordReader } from "../../nn/data/reader.js";
import { PLY_MAX, SCORE_MAX, SCORE_MIN, type TeacherRecord } from "../../nn/data/record.js";
import { parseTextRecord } from "../../nn/data/text.js";

export const SLOT_BYTES = PSV_RECORD_BYTES;
/** Slot format codes. */
export const SLOT_PSV = 0;
export const SLOT_HCPE = 1;
const LINE_FEED = 0x0a;
const SCAN_BYTES = 1 << 20;

/** The arrays of a SlotStore, as a worker thread receives them. */
export interface SlotArrays {
  readonly capacity: number;
  readonly bytes: Uint8Array;
  readonly formats: Uint8Array;
  readonly files: Int32Array;
  readonly records: Float64Array;
}

/** Records in fixed-size slots; shared memory when workers read them. */
export class SlotStore implements SlotArrays {
  readonly bytes: Uint8Array;
  readonly formats: Uint8Array;
  readonly files: Int32Array;
  /** Record index in its file (a double, so files past 2^31 records work). */
  readonly records: Float64Array;

  constructor(readonly capacity: number, shared: boolean) {
    const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.bytes = new Uint8Array(alloc(capacity * SLOT_BYTES));
    this.formats = new Uint8Array(alloc(capacity));
    this.files = new Int32Array(alloc(4 * capacity));
    this.records = new Float64Array(alloc(8 * capacity));
  }

  /** Returns the arrays alone, for posting to a worker thread. */
  arrays(): SlotArrays {
    return { capacity: this.capacity, bytes: this.bytes, formats: this.formats, files: this.files, records: this.records };
  }

  /** Copies slot `from` of `source` into slot `to` of this store. */
  copySlot(to: number, source: SlotArrays, from: number): void {
    this.bytes.set(source.bytes.subarray(from * SLOT_BYTES, (from + 1) * SLOT_BYTES), to * SLOT_BYTES);
    this.formats[to] = source.formats[from];
    this.files[to] = source.files[from];
    this.records[to] = source.records[from];
  }
}

export interface DataFile {
  path: string;
  format: DataFormat;
  records: number;
  /** Text files only: byte offset of the first line of each chunk, then the file size. */
  chunkOffsets?: number[];
}

/** A run of consecutive records of one file. */
export interface Chunk {
  file: number;
  first: number;
  count: number;
}

/** Opens a data file: checks its size (binary) or indexes its lines (text). Throws TeacherDataError. */
export async function openDataFile(path: string, chunkRecords: number): Promise<DataFile> {
  const reader = await openRecordReader(path);
  if (reader.format !== "text") return { path, format: reader.format, records: reader.recordCount };
  const { records, chunkOffsets } = await indexTextFile(path, reader.totalBytes, chunkRecords);
  return { path, format: "text", records, chunkOffsets };
}

/** Counts the lines of a text file and notes where every chunkRecords-th line starts. */
async function indexTextFile(path: string, size: number, chunkRecords: number): Promise<{ records: number; chunkOffsets: number[] }> {
  const handle = await open(path, "r");
  const chunkOffsets = [0];
  const buffer = Buffer.allocUnsafe(SCAN_BYTES);
  let lines = 0;
  let lastByte = LINE_FEED;
  try {
    for (let position = 0; position < size; ) {
      const { bytesRead } = await handle.read(buffer, 0, SCAN_BYTES, position);
      if (bytesRead === 0) break;
      for (let i = buffer.indexOf(LINE_FEED); i >= 0 && i < bytesRead; i = buffer.indexOf(LINE_FEED, i + 1)) {
        lines++;
        if (lines % chunkRecords === 0 && position + i + 1 < size) chunkOffsets.push(position + i + 1);
      }
      lastByte = buffer[bytesRead - 1];
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (lastByte !== LINE_FEED) lines++;
  chunkOffsets.push(size);
  return { records: lines, chunkOffsets };
}

/** Lists the chunks of the files, in file order. */
export function listChunks(files: readonly DataFile[], chunkRecords: number): Chunk[] {
  const chunks: Chunk[] = [];
  files.forEach((file, index) => {
    for (let first = 0; first < file.records; first += chunkRecords) {
      chunks.push({ file: index, first, count: Math.min(chunkRecords, file.records - first) });
    }
  });
  return chunks;
}

/** Reads a chunk into slots at..at+count-1 of a store. Throws TeacherDataError naming the record. */
export async function readChunk(file: DataFile, fileIndex: number, handle: FileHandle, chunk: Chunk, chunkRecords: number, store: SlotStore, at: number): Promise<void> {
  if (file.format === "text") {
    await readTextChunk(file, fileIndex, handle, chunk, chunkRecords, store, at);
    return;
  }
  const recordBytes = BINARY_CODECS[file.format].recordBytes;
  const bytes = Buffer.allocUnsafe(chunk.count * recordBytes);
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, chunk.first * recordBytes);
  if (bytesRead !== bytes.length) {
    throw new TeacherDataError("truncated", file.path, chunk.first + Math.floor(bytesRead / recordBytes), "the file shrank while it was read");
  }
  for (let i = 0; i < chunk.count; i++) {
    const slot = at + i;
    store.bytes.set(bytes.subarray(i * recordBytes, (i + 1) * recordBytes), slot * SLOT_BYTES);
    store.formats[slot] = file.format === "psv" ? SLOT_PSV : SLOT_HCPE;
    store.files[slot] = fileIndex;
    store.records[slot] = chunk.first + i;
  }
}

async function readTextChunk(file: DataFile, fileIndex: number, handle: FileHandle, chunk: Chunk, chunkRecords: number, store: SlotStore, at: number): Promise<void> {
  const offsets = file.chunkOffsets as number[];
  const index = chunk.first / chunkRecords;
  const bytes = Buffer.allocUnsafe(offsets[index + 1] - offsets[index]);
  await handle.read(bytes, 0, bytes.length, offsets[index]);
  const lines = bytes.toString("utf8").split("\n");
  for (let i = 0; i < chunk.count; i++) {
    const recordIndex = chunk.first + i;
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    try {
      encodePsv(fitBinaryFields(parseTextRecord(line)), store.bytes, (at + i) * SLOT_BYTES);
    } catch (error) {
      if (!(error instanceof RecordCodecError)) throw error;
      throw new TeacherDataError(error.code, file.path, recordIndex, `line ${recordIndex + 1}: ${error.message}`);
    }
    store.formats[at + i] = SLOT_PSV;
    store.files[at + i] = fileIndex;
    store.records[at + i] = recordIndex;
  }
}

/** Clamps a text record's score and ply into the 16-bit fields of PackedSfenValue. */
function fitBinaryFields(record: TeacherRecord): TeacherRecord {
  record.score = Math.min(SCORE_MAX, Math.max(SCORE_MIN, record.score));
  record.ply = Math.min(PLY_MAX, record.ply);
  return record;
}
