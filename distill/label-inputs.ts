// Positions to label, read from game records (KIF, KI2, CSA), teacher-data files (.bin, .hcpe,
// teacher-data .txt) and position lists (SFEN or USI `position` lines), given as files or folders.

import { open, readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { openRecordReader } from "../nn/data/reader.js";
import type { GameResult } from "../nn/data/record.js";
import { type GameRecord, readRecordFile } from "../shogi/records/index.js";
import { makeSfen, parseSfen } from "../shogi/sfen.js";
import { BLACK, type Color } from "../shogi/types.js";
import type { PositionSpec } from "../usi/search-result.js";
import { isRecordFile, listFiles, parseOpeningLines } from "./gensfen-openings.js";
import { TeacherError } from "./teacher-errors.js";

/** One position to label, with the fields its record keeps. */
export interface LabelItem {
  /** The position as sent to the teacher; record positions keep their moves, for repetition. */
  position: PositionSpec;
  ply: number;
  /** Game result from the side to move's view; 0 where the source has none. */
  result: GameResult;
}

export type InputKind = "record" | "psv" | "hcpe" | "text" | "positions";

/** Extensions of files taken from folders; other files in a folder are skipped. */
const FOLDER_EXTENSIONS: readonly string[] = [".kif", ".kifu", ".ki2", ".ki2u", ".csa", ".bin", ".hcpe", ".sfen"];
const TAB = "\t";
const SNIFF_BYTES = 4096;

/** Expands folders (recursively, sorted) into files and checks that every input exists. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new TeacherError("invalid_input", `input ${input} not found`);
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const found = (await listFiles(input)).filter((file) => FOLDER_EXTENSIONS.includes(extname(file).toLowerCase())).sort();
    if (found.length === 0) throw new TeacherError("invalid_input", `folder ${input} contains no ${FOLDER_EXTENSIONS.join(", ")} file`);
    files.push(...found);
  }
  return files;
}

/**
 * Returns how a file is read. Records, .bin and .hcpe go by extension. A .txt file whose first
 * line has a tab is teacher-data text, and any other file is a list of positions.
 */
export async function inputKind(file: string): Promise<InputKind> {
  const extension = extname(file).toLowerCase();
  if (isRecordFile(file)) return "record";
  if (extension === ".bin") return "psv";
  if (extension === ".hcpe") return "hcpe";
  if (extension === ".txt" && (await firstLine(file)).includes(TAB)) return "text";
  return "positions";
}

/** Yields the positions of one input file in file order. Throws TeacherError "invalid_input". */
export async function* readLabelItems(file: string): AsyncGenerator<LabelItem> {
  const kind = await inputKind(file);
  if (kind === "record") yield* recordItems(await readRecord(file));
  else if (kind === "positions") yield* positionItems(await readFile(file, "utf8"), file);
  else yield* teacherDataItems(file, kind);
}

async function readRecord(file: string): Promise<GameRecord> {
  try {
    return await readRecordFile(file);
  } catch (error) {
    throw new TeacherError("invalid_input", `record ${file} cannot be read: ${(error as Error).message}`);
  }
}

/** Every position of the main line, the start and the final one included, with the record's result. */
function* recordItems(record: GameRecord): Generator<LabelItem> {
  const setup = parseSfen(record.initialSfen);
  for (let index = 0; index <= record.moves.length; index++) {
    const turn = (setup.turn ^ (index & 1)) as Color;
    yield {
      position: { sfen: record.initialSfen, moves: record.moves.slice(0, index) },
      ply: setup.moveNumber - 1 + index,
      result: recordResult(record.result, turn),
    };
  }
}

function recordResult(result: GameRecord["result"], turn: Color): GameResult {
  if (result === "black_win") return turn === BLACK ? 1 : -1;
  if (result === "white_win") return turn === BLACK ? -1 : 1;
  return 0;
}

function* positionItems(text: string, file: string): Generator<LabelItem> {
  for (const opening of parseOpeningLines(text, file)) {
    const moveNumber = opening.sfen === undefined ? 1 : parseSfen(opening.sfen).moveNumber;
    yield { position: { sfen: opening.sfen, moves: opening.moves }, ply: moveNumber - 1 + opening.moves.length, result: 0 };
  }
}

async function* teacherDataItems(file: string, format: "psv" | "hcpe" | "text"): AsyncGenerator<LabelItem> {
  const reader = await openRecordReader(file, { format, verify: "format" });
  for await (const batch of reader.batches()) {
    for (const record of batch) yield { position: { sfen: makeSfen(record.setup), moves: [] }, ply: record.ply, result: record.result };
  }
}

async function firstLine(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").split("\n")[0];
  } finally {
    await handle.close();
  }
}
