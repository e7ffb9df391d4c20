// Opening sets for teacher self-play: a text file of positions (SFEN or USI `position` lines), a
// KIF/CSA record, or a folder of records cut after a number of plies.

import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { readRecordFile } from "../shogi/records/index.js";
import { START_SFEN } from "../shogi/sfen.js";
import { type PositionSpec, buildPosition } from "../usi/search-result.js";
import { TeacherError } from "./teacher-errors.js";

/** A game's starting point: a position and the moves played from it. */
export interface Opening extends PositionSpec {
  /** File and line (or record file) it came from, for messages. */
  source: string;
}

/** File extensions read as game records. */
export const RECORD_EXTENSIONS: readonly string[] = [".kif", ".kifu", ".ki2", ".ki2u", ".csa"];
/** The start position as the first three SFEN fields, to send `startpos` for it. */
const START_POSITION_FIELDS = START_SFEN.split(" ").slice(0, 3).join(" ");

/**
 * Loads openings from a text file, a record file, or a folder searched recursively for records
 * (sorted by path). Records are cut after `recordPlies` plies. Throws TeacherError "invalid_input"
 * on a line or record that does not give a legal position, and on an empty set.
 */
export async function loadOpenings(path: string, recordPlies: number): Promise<Opening[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new TeacherError("invalid_input", `opening file ${path} not found`);
  const openings = info.isDirectory()
    ? await Promise.all((await findRecordFiles(path)).map((file) => recordOpening(file, recordPlies)))
    : isRecordFile(path)
      ? [await recordOpening(path, recordPlies)]
      : parseOpeningLines(await readFile(path, "utf8"), path);
  if (openings.length === 0) throw new TeacherError("invalid_input", `opening set ${path} contains no position; give SFEN or USI position lines, or KIF/CSA records`);
  return openings;
}

export function isRecordFile(path: string): boolean {
  return RECORD_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Lists the record files under a folder, recursively, sorted by path. */
export async function findRecordFiles(folder: string): Promise<string[]> {
  return (await listFiles(folder)).filter(isRecordFile).sort();
}

/** Lists the files under a folder, recursively (Dirent.parentPath needs Node 20.12, so no readdir recursion). */
export async function listFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Parses opening lines: `position startpos [moves ...]`, `position sfen SFEN [moves ...]`, the
 * same without the word `position`, or a bare SFEN with optional moves. Blank lines and lines
 * starting with # are skipped.
 */
export function parseOpeningLines(text: string, source: string): Opening[] {
  const openings: Opening[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `${source}:${index + 1}`;
    openings.push(checkedOpening({ ...parsePositionText(line), source: where }));
  }
  return openings;
}

/** Splits one position line into its SFEN (undefined for the start position) and moves. */
export function parsePositionText(line: string): PositionSpec {
  const words = line.split(/\s+/);
  if (words[0] === "position") words.shift();
  if (words[0] === "sfen") words.shift();
  const movesAt = words.indexOf("moves");
  const base = (movesAt < 0 ? words : words.slice(0, movesAt)).join(" ");
  const moves = movesAt < 0 ? [] : words.slice(movesAt + 1);
  return { sfen: base === "startpos" || isStartPosition(base) ? undefined : base, moves };
}

async function recordOpening(file: string, recordPlies: number): Promise<Opening> {
  let record;
  try {
    record = await readRecordFile(file);
  } catch (error) {
    throw new TeacherError("invalid_input", `opening record ${file} cannot be read: ${(error as Error).message}`);
  }
  const sfen = isStartPosition(record.initialSfen) ? undefined : record.initialSfen;
  return checkedOpening({ sfen, moves: record.moves.slice(0, recordPlies), source: file });
}

function isStartPosition(sfen: string): boolean {
  return sfen.split(/\s+/).slice(0, 3).join(" ") === START_POSITION_FIELDS;
}

function checkedOpening(opening: Opening): Opening {
  try {
    buildPosition(opening);
  } catch (error) {
    throw new TeacherError("invalid_input", `${opening.source}: not a legal position: ${(error as Error).message}`);
  }
  return opening;
}
