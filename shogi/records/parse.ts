// Reading KIF, KI2 and CSA records into GameRecords.

import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { checkKifBoardRows, normalizeCsaBoardRows } from "./board-rows.js";
import { decodeRecordBytes } from "./encoding.js";
import { RecordError, type RecordErrorCode } from "./errors.js";
import { toGameRecord } from "./from-tsshogi.js";
import { expandHandicap } from "./handicap.js";
import { findLine, mapCsaLines, mapKi2Lines, mapKifLines } from "./source-lines.js";
import {
  RecordFormatType,
  detectRecordFormat,
  importCSA,
  importKI2,
  importKIF,
  type ParseError,
  type Record as TsshogiRecord,
} from "./tsshogi.js";
import type { GameRecord, RecordFormat, TextEncoding } from "./types.js";

export interface ParseOptions {
  /** File name for error messages. */
  fileName?: string;
  /** Encoding of byte input, skipping detection. */
  encoding?: TextEncoding;
}

/** Formats chosen by file extension; ".kifu" and ".ki2u" are the UTF-8 variants. */
const EXTENSION_FORMATS: Readonly<Record<string, RecordFormat>> = {
  ".kif": "kif",
  ".kifu": "kif",
  ".ki2": "ki2",
  ".ki2u": "ki2",
  ".csa": "csa",
};
const UTF8_EXTENSIONS: ReadonlySet<string> = new Set([".kifu", ".ki2u"]);
const BYTE_ORDER_MARK = "\ufeff";
const LINE_BREAK = /\r?\n/;

/** Lines that only a KIF or KI2 record has: a handicap, a board row, a move or a summary. */
const KAKINOKI_CONTENT = /^(?:手合割[：:]|\||手数-|[ \u3000]*[▲△▼▽☗☖]|まで| *[0-9]+ +\S)/;
/** The CSA statement that fixes the side to move and starts the moves. */
const CSA_TURN_STATEMENT = /^[-+]$/;

/**
 * Parses a KIF, KI2 or CSA record. Bytes are decoded as described in `decodeRecordBytes`; the
 * format is detected from the content when not given. Throws RecordError when the record is
 * malformed, with the line number and text whenever the problem sits on one line.
 */
export function parseRecord(data: Uint8Array | string, format?: RecordFormat, options: ParseOptions = {}): GameRecord {
  try {
    const text = typeof data === "string" ? stripByteOrderMark(data) : decodeRecordBytes(data, options.encoding).text;
    return parseText(text, format ?? detectFormat(text));
  } catch (error) {
    if (error instanceof RecordError && options.fileName !== undefined) throw error.withFile(options.fileName);
    throw error;
  }
}

/**
 * Reads a record file, choosing the format by extension (.kif, .kifu, .ki2, .ki2u, .csa) and
 * detecting it from the content for other names. ".kifu" and ".ki2u" files must be UTF-8.
 */
export async function readRecordFile(path: string): Promise<GameRecord> {
  const bytes = await readFile(path);
  const extension = extname(path).toLowerCase();
  const encoding = UTF8_EXTENSIONS.has(extension) ? "utf-8" : undefined;
  return parseRecord(bytes, EXTENSION_FORMATS[extension], { fileName: path, encoding });
}

/** Returns the format of a record text. Throws RecordError("unsupported_format") for JKF, USI and SFEN. */
export function detectFormat(text: string): RecordFormat {
  const type = detectRecordFormat(text.trim());
  if (type === RecordFormatType.KIF) return "kif";
  if (type === RecordFormatType.KI2) return "ki2";
  if (type === RecordFormatType.CSA) return "csa";
  throw new RecordError({
    code: "unsupported_format",
    problem: "The text is not a KIF, KI2 or CSA record (it looks like JKF, USI or SFEN)",
    hint: "Convert it to KIF or CSA first, or pass a USI position to the rules core instead",
  });
}

function parseText(text: string, format: RecordFormat): GameRecord {
  const lines = text.split(LINE_BREAK);
  switch (format) {
    case "kif":
    case "ki2":
      return parseKakinoki(lines, format);
    case "csa":
      return parseCsa(lines);
  }
}

/** Parses KIF or KI2, the two formats of Kakinoki (柿木) that share headers and board diagrams. */
function parseKakinoki(lines: readonly string[], format: "kif" | "ki2"): GameRecord {
  if (!lines.some((line) => KAKINOKI_CONTENT.test(line))) {
    throw new RecordError({
      code: "unsupported_format",
      problem: `The text has no ${format.toUpperCase()} content: no handicap line, board diagram or moves`,
      hint: "Check that the file is a game record and that the format given matches it",
    });
  }
  checkKifBoardRows(lines);
  const map = format === "kif" ? mapKifLines(lines) : mapKi2Lines(lines);
  const expanded = expandHandicap(lines).join("\n");
  const parsed = format === "kif" ? importKIF(expanded) : importKI2(expanded);
  return toGameRecord(checkParsed(parsed, lines, format), { format, map });
}

function parseCsa(lines: readonly string[]): GameRecord {
  const statements = lines.filter((line) => !line.startsWith("'")).flatMap((line) => line.split(","));
  if (!statements.some((statement) => CSA_TURN_STATEMENT.test(statement))) {
    throw new RecordError({
      code: "missing_start_position",
      problem: 'The CSA text has no "+" or "-" line, so its start position and side to move are unknown',
      hint: 'Add the start position (PI, or P1 to P9) followed by a line "+" (Black to move) or "-"',
    });
  }
  const map = mapCsaLines(lines);
  const parsed = importCSA(normalizeCsaBoardRows(lines).join("\n"));
  return toGameRecord(checkParsed(parsed, lines, "csa"), { format: "csa", map });
}

/** Error codes for tsshogi's parse errors, by error class name. */
const PARSE_ERROR_CODES: Readonly<Record<string, RecordErrorCode>> = {
  InvalidPieceNameError: "unknown_piece",
  InvalidHandPieceError: "unknown_piece",
  InvalidMoveError: "illegal_move",
  PieceNotExistsError: "illegal_move",
  InvalidTurnError: "illegal_move",
  InvalidDestinationError: "illegal_move",
};

const PARSE_ERROR_PROBLEMS: Readonly<Partial<Record<RecordErrorCode, string>>> = {
  unknown_piece: "A piece name is not defined by the format",
  illegal_move: "The move does not fit the position: no piece of the side to move can make it",
};

/** Returns the parsed record, or throws a RecordError that locates tsshogi's parse error. */
function checkParsed(parsed: TsshogiRecord | ParseError, lines: readonly string[], format: RecordFormat): TsshogiRecord {
  if (!(parsed instanceof Error)) return parsed;
  const code = PARSE_ERROR_CODES[parsed.name] ?? "invalid_line";
  const fragment = parsed.data ?? parsed.message;
  const line = findLine(lines, fragment);
  throw new RecordError({
    code,
    problem: PARSE_ERROR_PROBLEMS[code] ?? `The line does not follow the ${format.toUpperCase()} syntax`,
    hint: `Correct or remove the line; tsshogi reported "${parsed.message}"`,
    line,
    text: line === undefined ? fragment : lines[line - 1],
  });
}

function stripByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
}
