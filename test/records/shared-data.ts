// Access to the shared public record collection beside the project checkout, and the expected
// values that the collection's index table states for each file.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GameResult, RecordFormat, Termination } from "../../shogi/records/index.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_DATA = path.resolve(PROJECT_ROOT, "../shared/data");
const SOURCES_FILE = path.join(SHARED_DATA, "SOURCES.md");

export const sharedDataMissing = !existsSync(SOURCES_FILE);
export const SKIP_REASON = `shared record data not found at ${SHARED_DATA}; record data tests are skipped`;

export interface DataFile {
  /** Path relative to the data folder, as "owner__repo/path/in/repo". */
  id: string;
  absolutePath: string;
  format: RecordFormat;
  /** Encoding column: "utf-8", "utf-8 (BOM)", "cp932", "ascii" or "euc-jp". */
  encoding: string;
  plies: number;
  /** The terminal word or CSA statement the file ends with, such as "投了" or "%TORYO". */
  ending?: string;
  /** The "まで…" summary quoted from the file. */
  summary?: string;
  /** The whole contents column, for rows that need more than the fields above. */
  contents: string;
}

const SECTION_DIR = /^- local dir: `data\/([^`]+)\/`/;
const TABLE_ROW = /^\| `([^`]+)` \| ([^|]+) \| [^|]+ \| [0-9]+ \| (.*) \|$/;
const ROW_FORMAT = /^(KIF|KI2|CSA)\b/;
const ROW_PLIES = /([0-9]+) plies/;
const ROW_ENDING = /; ends ([^;—\s]+)/;
const ROW_SUMMARY = /file says「([^」]+)」/;

/** Returns every KIF, KI2 and CSA file that the index table lists, with its stated values. */
export function listRecordFiles(): DataFile[] {
  const files: DataFile[] = [];
  let directory: string | undefined;
  for (const line of readFileSync(SOURCES_FILE, "utf8").split("\n")) {
    directory = SECTION_DIR.exec(line)?.[1] ?? directory;
    const row = TABLE_ROW.exec(line);
    const format = row === null ? null : ROW_FORMAT.exec(row[3]);
    if (row === null || format === null || directory === undefined) continue;
    const [, relativePath, encoding, contents] = row;
    files.push({
      id: `${directory}/${relativePath}`,
      absolutePath: path.join(SHARED_DATA, directory, relativePath),
      format: format[1].toLowerCase() as RecordFormat,
      encoding: encoding.trim(),
      plies: Number(ROW_PLIES.exec(contents)?.[1]),
      ending: ROW_ENDING.exec(contents)?.[1],
      summary: ROW_SUMMARY.exec(contents)?.[1],
      contents,
    });
  }
  return files;
}

/** Terminations of KIF terminal words and CSA statements, as the formats define them. */
export const ENDING_TERMINATIONS: Readonly<Record<string, readonly Termination[]>> = {
  投了: ["resign"],
  詰み: ["checkmate"],
  千日手: ["repetition"],
  持将棋: ["impasse"],
  入玉勝ち: ["declaration"],
  反則勝ち: ["illegal_move", "perpetual_check"],
  反則負け: ["illegal_move", "perpetual_check"],
  切れ負け: ["time_forfeit"],
  中断: ["abort"],
  封じ手: ["adjournment"],
  "%TORYO": ["resign"],
  "%CHUDAN": ["abort"],
  "%SENNICHITE": ["repetition"],
  "%JISHOGI": ["impasse"],
  "%KACHI": ["declaration"],
  "%TSUMI": ["checkmate"],
  "%TIME_UP": ["time_forfeit"],
  "%MAX_MOVES": ["max_moves"],
  "%ILLEGAL_MOVE": ["illegal_move", "perpetual_check"],
  "%+ILLEGAL_ACTION": ["illegal_move", "perpetual_check"],
  "%-ILLEGAL_ACTION": ["illegal_move", "perpetual_check"],
};

/**
 * Who each ending favours relative to the side to move when it is written: a KIF terminal line
 * and a CSA % statement are in the turn of that side.
 */
export const ENDING_OUTCOMES: Readonly<Record<string, "mover_wins" | "mover_loses" | "draw" | "none" | "by_name">> = {
  投了: "mover_loses",
  詰み: "mover_loses",
  切れ負け: "mover_loses",
  反則負け: "mover_loses",
  反則勝ち: "mover_wins",
  入玉勝ち: "mover_wins",
  千日手: "draw",
  持将棋: "draw",
  中断: "none",
  封じ手: "none",
  "%TORYO": "mover_loses",
  "%TSUMI": "mover_loses",
  "%TIME_UP": "mover_loses",
  "%ILLEGAL_MOVE": "mover_loses",
  "%KACHI": "mover_wins",
  "%SENNICHITE": "draw",
  "%JISHOGI": "draw",
  "%MAX_MOVES": "draw",
  "%CHUDAN": "none",
  "%+ILLEGAL_ACTION": "by_name",
  "%-ILLEGAL_ACTION": "by_name",
};

/** Reads the ending of a "まで…" summary: its termination and, when it names one, the winner. */
export function summaryEnding(summary: string): { termination: Termination; result?: GameResult } | undefined {
  const blackWord = /(先手|下手)/;
  const whiteWord = /(後手|上手)/;
  if (/反則負け$/.test(summary)) {
    return { termination: "illegal_move", result: blackWord.test(summary) ? "white_win" : "black_win" };
  }
  if (/の勝ち$/.test(summary)) {
    return { termination: "resign", result: blackWord.test(summary) ? "black_win" : whiteWord.test(summary) ? "white_win" : undefined };
  }
  if (/千日手$/.test(summary)) return { termination: "repetition", result: "draw" };
  if (/持将棋$/.test(summary)) return { termination: "impasse", result: "draw" };
  if (/中断$/.test(summary)) return { termination: "abort", result: "unknown" };
  if (/封じ手$/.test(summary)) return { termination: "adjournment", result: "unknown" };
  if (/詰み?$/.test(summary)) return { termination: "checkmate" };
  return undefined;
}
