// Game records: KIF (UTF-8 and Shift_JIS) and CSA read and write, KI2 read.

export { RecordError, type RecordErrorCode, type RecordErrorDetails } from "./errors.js";
export { decodeRecordBytes, encodeShiftJis, type DecodedText } from "./encoding.js";
export { detectFormat, parseRecord, readRecordFile, type ParseOptions } from "./parse.js";
export {
  STANDARD_HEADER_KEYS,
  type GameRecord,
  type GameResult,
  type RecordFormat,
  type StandardHeaderKey,
  type Termination,
  type TextEncoding,
} from "./types.js";
export { makeCsa, makeKif, type CsaOptions, type KifOptions } from "./write.js";
