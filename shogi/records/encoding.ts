// Text encoding of record files: detection and decoding on read, Shift_JIS encoding on write.
//
// KIF and KI2 files from Windows programs (Kifu for Windows, ShogiGUI, Shogidokoro) are
// Shift_JIS; ".kifu"/".ki2u" files and newer CSA files are UTF-8; some old CSA files are EUC-JP.
// Shift_JIS here always means Microsoft code page 932, which WHATWG's "shift_jis" decoder and
// iconv-lite's "cp932" both implement.

import iconv from "iconv-lite";
import { RecordError } from "./errors.js";
import type { TextEncoding } from "./types.js";

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const NUL = 0x00;
const LINE_FEED = 0x0a;
const REPLACEMENT_CHARACTER = "\ufffd";
const ASCII_MAX = 0x7f;
/**
 * Text that fails strict UTF-8 decoding but decodes to at least this many valid non-ASCII
 * characters per replacement character is taken as damaged UTF-8, not as Shift_JIS. Shift_JIS
 * text read as UTF-8 yields almost no valid non-ASCII characters.
 */
const DAMAGED_UTF8_RATIO = 2;
/** Detection order when neither a BOM nor the caller fixes the encoding. */
const DETECTION_ORDER: readonly TextEncoding[] = ["utf-8", "shift_jis", "euc-jp"];

/**
 * Decodes the bytes of a record file. A UTF-8 BOM or valid UTF-8 means UTF-8; otherwise the
 * bytes must be valid Shift_JIS, or failing that EUC-JP. `required` skips detection.
 * Throws RecordError("invalid_encoding") naming the first line that does not decode.
 */
export function decodeRecordBytes(bytes: Uint8Array, required?: TextEncoding): DecodedText {
  rejectNulBytes(bytes);
  if (hasUtf8Bom(bytes)) {
    return { text: decodeOrThrow(bytes.subarray(UTF8_BOM.length), "utf-8"), encoding: "utf-8" };
  }
  if (required !== undefined) {
    return { text: decodeOrThrow(bytes, required), encoding: required };
  }
  for (const encoding of DETECTION_ORDER) {
    const text = tryDecode(bytes, encoding);
    if (text !== undefined) return { text, encoding };
  }
  const suspected = looksLikeDamagedUtf8(bytes) ? "utf-8" : "shift_jis";
  throw undecodableLine(bytes, suspected, "The data is neither UTF-8, Shift_JIS nor EUC-JP text");
}

/**
 * Encodes text as Shift_JIS (code page 932). Characters that differ only between JIS and
 * code page 932 mappings (the wave dash and a few others) are first changed to their code page
 * 932 forms. Throws RecordError("unencodable_text") naming the first line with a character that
 * code page 932 lacks, such as an emoji.
 */
export function encodeShiftJis(text: string): Uint8Array {
  const normalized = toCp932Forms(text);
  const bytes = iconv.encode(normalized, "cp932");
  const roundTrip = iconv.decode(bytes, "cp932");
  if (roundTrip !== normalized) {
    throw unencodableLine(normalized, roundTrip);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Unicode characters of JIS X 0208 mappings and their code page 932 replacements. */
const CP932_FORMS: ReadonlyMap<string, string> = new Map([
  ["\u301c", "\uff5e"], // WAVE DASH -> FULLWIDTH TILDE
  ["\u2016", "\u2225"], // DOUBLE VERTICAL LINE -> PARALLEL TO
  ["\u2212", "\uff0d"], // MINUS SIGN -> FULLWIDTH HYPHEN-MINUS
  ["\u00a2", "\uffe0"], // CENT SIGN -> FULLWIDTH CENT SIGN
  ["\u00a3", "\uffe1"], // POUND SIGN -> FULLWIDTH POUND SIGN
  ["\u00ac", "\uffe2"], // NOT SIGN -> FULLWIDTH NOT SIGN
]);

function toCp932Forms(text: string): string {
  return text.replace(/[\u301c\u2016\u2212\u00a2\u00a3\u00ac]/g, (char) => CP932_FORMS.get(char) ?? char);
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, index) => bytes[index] === byte);
}

function tryDecode(bytes: Uint8Array, encoding: TextEncoding): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeOrThrow(bytes: Uint8Array, encoding: TextEncoding): string {
  const text = tryDecode(bytes, encoding);
  if (text === undefined) throw undecodableLine(bytes, encoding, `The data is not valid ${encoding} text`);
  return text;
}

function looksLikeDamagedUtf8(bytes: Uint8Array): boolean {
  const text = new TextDecoder("utf-8").decode(bytes);
  let replaced = 0;
  let valid = 0;
  for (const char of text) {
    if (char === REPLACEMENT_CHARACTER) replaced += 1;
    else if (char.codePointAt(0)! > ASCII_MAX) valid += 1;
  }
  return valid >= replaced * DAMAGED_UTF8_RATIO;
}

function rejectNulBytes(bytes: Uint8Array): void {
  const index = bytes.indexOf(NUL);
  if (index < 0) return;
  const line = lineNumberAt(bytes, index);
  throw new RecordError({
    code: "invalid_encoding",
    problem: `Line ${line} contains a NUL byte, so the data is binary, not a game record`,
    hint: "Check that the file is a KIF, KI2 or CSA text file and was not truncated or overwritten",
    line,
  });
}

/** Builds the error for bytes that do not decode, locating the first bad line in `encoding`. */
function undecodableLine(bytes: Uint8Array, encoding: TextEncoding, problem: string): RecordError {
  const lines = splitLines(bytes);
  const index = lines.findIndex((line) => tryDecode(line, encoding) === undefined);
  const lineNumber = index < 0 ? undefined : index + 1;
  const text = index < 0 ? undefined : new TextDecoder(encoding).decode(lines[index]);
  return new RecordError({
    code: "invalid_encoding",
    problem: lineNumber === undefined ? problem : `${problem}: line ${lineNumber} is not valid ${encoding}`,
    hint: "Save the record as UTF-8 or Shift_JIS text, or repair the damaged line",
    line: lineNumber,
    text,
  });
}

function unencodableLine(text: string, roundTrip: string): RecordError {
  const lines = text.split("\n");
  const returned = roundTrip.split("\n");
  const index = lines.findIndex((line, i) => line !== returned[i]);
  return new RecordError({
    code: "unencodable_text",
    problem: `Line ${index + 1} of the record has characters that Shift_JIS cannot encode`,
    hint: "Write the record as UTF-8, or remove those characters from names and comments",
    line: index + 1,
    text: lines[index],
  });
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i += 1) {
    if (i === bytes.length || bytes[i] === LINE_FEED) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return lines;
}

function lineNumberAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) {
    if (bytes[i] === LINE_FEED) line += 1;
  }
  return line;
}
