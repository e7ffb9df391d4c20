// Writing GameRecords as KIF (UTF-8 or Shift_JIS) and CSA (V2.2 or V3.0).

import { encodeShiftJis } from "./encoding.js";
import { RecordError } from "./errors.js";
import { toTsshogiRecord } from "./to-tsshogi.js";
import { exportCSA, exportKIF } from "./tsshogi.js";
import type { GameRecord, Termination } from "./types.js";

export interface KifOptions {
  encoding: "utf-8" | "shift_jis";
}

export interface CsaOptions {
  version: "2.2" | "3.0";
}

/** Kifu for Windows' first line, which names the encoding for readers that look for it. */
const KIF_ENCODING_NAMES = { "utf-8": "UTF-8", shift_jis: "Shift_JIS" } as const;
/** Shift_JIS files are for Windows programs, which write CRLF line ends. */
const KIF_LINE_ENDS = { "utf-8": "\n", shift_jis: "\r\n" } as const;
/** The " ( 0:03/00:00:03)" time column that tsshogi writes on every KIF move line. */
const KIF_TIME_COLUMN = /^( *[0-9]+ .*?) *\( *[0-9]+:[0-9]{2}\/[0-9]+:[0-9]{2}:[0-9]{2}\)/gm;
const TRAILING_SPACES = / +(?=\r?$)/gm;
const CSA_TIME_LINE = /^T[0-9.]+\n/gm;
const CSA_POSITION_LINE = /^(?:P|[-+]$)/;
/** A weekday in brackets, as in the KIF date "1999/07/15(木) 19:07:12". */
const BRACKETED_WEEKDAY = /\([^)]*\)/;

/** Header keys whose CSA lines this module writes itself; see `csaDateLines`. */
const DATE_HEADERS = ["startDatetime", "endDatetime", "date"] as const;
/** Terminations CSA has no statement for. An adjournment is written as %CHUDAN. */
const CSA_MISSING_TERMINATIONS: ReadonlySet<Termination> = new Set(["try", "forfeit"]);

/**
 * Formats a record as KIF. Moves are checked with tsshogi's legality check first. The time
 * column is written only when the record has times. max_moves and draw endings are written as
 * 持将棋, the only KIF word for a drawn game other than 千日手, and read back as impasse.
 * Throws RecordError for an invalid record or, with Shift_JIS, for text that it cannot encode.
 */
export function makeKif(game: GameRecord, options: KifOptions = { encoding: "utf-8" }): Uint8Array {
  const record = toTsshogiRecord(game);
  const returnCode = KIF_LINE_ENDS[options.encoding];
  const comment = `KIF version=2.0 encoding=${KIF_ENCODING_NAMES[options.encoding]}`;
  let text = exportKIF(record, { returnCode, comment });
  if (game.times === undefined) text = text.replace(KIF_TIME_COLUMN, "$1").replace(TRAILING_SPACES, "");
  return options.encoding === "utf-8" ? new TextEncoder().encode(text) : encodeShiftJis(text);
}

/**
 * Formats a record as CSA text. V3.0 writes times with milliseconds; V2.2 writes whole seconds.
 * T lines are written only when the record has times. An adjournment is written as %CHUDAN.
 * Throws RecordError for an invalid record and for the try and forfeit endings.
 */
export function makeCsa(game: GameRecord, options: CsaOptions = { version: "2.2" }): string {
  const record = toTsshogiRecord(csaExpressible(game), { omitHeaders: DATE_HEADERS });
  const v3 = options.version === "3.0" ? { encoding: "UTF-8" as const, milliseconds: true } : undefined;
  const text = insertBeforePosition(exportCSA(record, { v3 }), csaDateLines(game.headers));
  return game.times === undefined ? text.replace(CSA_TIME_LINE, "") : text;
}

function csaExpressible(game: GameRecord): GameRecord {
  if (game.termination === "adjournment") return { ...game, termination: "abort" };
  if (!CSA_MISSING_TERMINATIONS.has(game.termination)) return game;
  throw new RecordError({
    code: "unrepresentable_ending",
    problem: `CSA has no statement for the ending ${game.termination}`,
    hint: "Write the record as KIF, or record the game as abort (%CHUDAN) with an unknown result",
  });
}

/**
 * Returns the $START_TIME and $END_TIME lines. tsshogi 2.2 writes them itself but drops the date
 * part of the value, so this module writes them in the CSA form "YYYY/MM/DD HH:MM:SS".
 */
function csaDateLines(headers: Readonly<Record<string, string>>): string[] {
  const lines: string[] = [];
  const start = headers.startDatetime ?? headers.date;
  if (start !== undefined) lines.push(`$START_TIME:${csaDate(start)}`);
  if (headers.endDatetime !== undefined) lines.push(`$END_TIME:${csaDate(headers.endDatetime)}`);
  return lines;
}

function csaDate(value: string): string {
  return value.replace(BRACKETED_WEEKDAY, "").trim();
}

function insertBeforePosition(text: string, headerLines: readonly string[]): string {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => CSA_POSITION_LINE.test(line));
  lines.splice(index, 0, ...headerLines);
  return lines.join("\n");
}
