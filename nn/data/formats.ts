// The teacher-data file formats and how a file name selects one.

import path from "node:path";
import { TeacherDataError } from "./errors.js";
import { HCPE_RECORD_BYTES, decodeHcpe, encodeHcpe } from "./hcpe.js";
import { PSV_RECORD_BYTES, decodePsv, encodePsv } from "./psv.js";
import type { TeacherRecord } from "./record.js";

/** "psv": YaneuraOu PackedSfenValue (.bin); "hcpe": dlshogi hcpe (.hcpe); "text": tab-separated lines (.txt). */
export type DataFormat = "psv" | "hcpe" | "text";
export type BinaryFormat = Exclude<DataFormat, "text">;
export const DATA_FORMATS: readonly DataFormat[] = ["psv", "hcpe", "text"];

/** File extension of each format. */
export const FORMAT_EXTENSIONS: Readonly<Record<DataFormat, string>> = { psv: ".bin", hcpe: ".hcpe", text: ".txt" };

/** Fixed-size record codec of a binary format. */
export interface BinaryRecordCodec {
  readonly recordBytes: number;
  /** Throws RecordCodecError when the record does not fit the format. */
  encode(record: TeacherRecord, out: Uint8Array, offset: number): void;
  /** Throws RecordCodecError when the bytes are not a valid record. */
  decode(bytes: Uint8Array, offset: number): TeacherRecord;
}

export const BINARY_CODECS: Readonly<Record<BinaryFormat, BinaryRecordCodec>> = {
  psv: { recordBytes: PSV_RECORD_BYTES, encode: encodePsv, decode: decodePsv },
  hcpe: { recordBytes: HCPE_RECORD_BYTES, encode: encodeHcpe, decode: decodeHcpe },
};

/** Returns the format named by a file's extension; throws TeacherDataError "unknown_format". */
export function formatFromPath(file: string): DataFormat {
  const extension = path.extname(file).toLowerCase();
  for (const format of DATA_FORMATS) if (FORMAT_EXTENSIONS[format] === extension) return format;
  throw new TeacherDataError("unknown_format", file, -1, `the extension "${extension}" names no teacher-data format`);
}

/** Record fields that a conversion from one format to another cannot carry. */
export function missingFields(from: DataFormat, to: DataFormat): string[] {
  // hcpe has no ply field: ply is dropped on writing and read as 0.
  return (from === "hcpe") !== (to === "hcpe") ? ["ply"] : [];
}
