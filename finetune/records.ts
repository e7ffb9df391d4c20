// Game records (KIF, KI2, CSA) as fine-tuning data labelled by results only. Every position of a
// game's main line becomes a PackedSfenValue record with score 0, the move played in it and the
// game's result from its side to move. Train on such data with lambda 0, so the score is unused.
//
// Games can be split into a fine-tuning part and a held-out part by game, so no game has positions
// in both parts.

import { stat } from "node:fs/promises";
import { findRecordFiles, isRecordFile } from "../distill/gensfen-openings.js";
import type { GameResult as RecordResult } from "../shogi/records/types.js";
import { readRecordFile } from "../shogi/records/index.js";
import type { GameResult, TeacherRecord } from "../nn/data/record.js";
import { type RecordWriter, openRecordWriter } from "../nn/data/writer.js";
import { Position } from "../shogi/position.js";
import { BLACK, MOVE_NONE, move16 } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";

export interface RecordsOptions {
  /** Record files and folders (searched recursively for .kif, .kifu, .ki2, .ki2u, .csa). */
  inputs: string[];
  out: string;
  /** Second output for the held-out games; needs heldoutEvery. */
  heldoutOut?: string;
  /** Every n-th game (in path order, counting from 1) goes to heldoutOut. */
  heldoutEvery?: number;
  /** Positions before this ply are not written; default 0. */
  skipFirstPlies?: number;
  /** Replace existing outputs; default false. */
  overwrite?: boolean;
}

export interface RecordsSummary {
  games: number;
  /** Games left out because the record states no winner and no draw. */
  skippedGames: number;
  records: number;
  heldoutGames: number;
  heldoutRecords: number;
  results: { blackWins: number; whiteWins: number; draws: number };
}

/** Lists the record files of the inputs, folders expanded and sorted by path. */
async function recordFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new Error(`record input ${input} not found`);
    if (info.isDirectory()) files.push(...(await findRecordFiles(input)));
    else if (isRecordFile(input)) files.push(input);
    else throw new Error(`record input ${input} is not a KIF, KI2 or CSA file (.kif .kifu .ki2 .ki2u .csa) nor a folder`);
  }
  if (files.length === 0) throw new Error(`no record files found in ${inputs.join(", ")}`);
  return files;
}

/** Converts a record's result to Black's side: 1 Black won, 0 draw, -1 White won; undefined when the record states none. */
function resultForBlack(result: RecordResult): GameResult | undefined {
  if (result === "black_win") return 1;
  if (result === "white_win") return -1;
  if (result === "draw") return 0;
  return undefined;
}

/** Converts the positions of one game into teacher records (score 0). */
export function gameRecords(initialSfen: string, moves: readonly string[], blackResult: GameResult, skipFirstPlies = 0): TeacherRecord[] {
  const pos = Position.fromSfen(initialSfen);
  const firstPly = pos.setup().moveNumber - 1;
  const records: TeacherRecord[] = [];
  moves.forEach((text, index) => {
    const move = parseUsiMove(pos, text);
    if (move === MOVE_NONE) throw new Error(`illegal move ${text} at ply ${firstPly + index + 1} in ${pos.sfen()}`);
    const ply = firstPly + index;
    if (ply >= skipFirstPlies) {
      const result = (pos.turn === BLACK ? blackResult : -blackResult) as GameResult;
      records.push({ setup: pos.setup(), score: 0, move: move16(move), ply, result });
    }
    pos.doMove(move);
  });
  return records;
}

/** Converts record files into result-labelled teacher data; throws on unreadable records. */
export async function convertRecords(options: RecordsOptions): Promise<RecordsSummary> {
  if ((options.heldoutOut === undefined) !== (options.heldoutEvery === undefined)) {
    throw new Error("give both a held-out output and a held-out interval (every n-th game), or neither");
  }
  if (options.heldoutEvery !== undefined && (!Number.isInteger(options.heldoutEvery) || options.heldoutEvery < 2)) {
    throw new Error(`invalid held-out interval ${options.heldoutEvery}: expected an integer of 2 or more`);
  }
  const files = await recordFiles(options.inputs);
  const writer = await openRecordWriter(options.out, { overwrite: options.overwrite ?? false });
  const heldout = options.heldoutOut ? await openRecordWriter(options.heldoutOut, { overwrite: options.overwrite ?? false }) : undefined;
  const summary: RecordsSummary = { games: 0, skippedGames: 0, records: 0, heldoutGames: 0, heldoutRecords: 0, results: { blackWins: 0, whiteWins: 0, draws: 0 } };
  try {
    for (const file of files) await convertGame(file, options, summary, writer, heldout);
    await writer.close();
    await heldout?.close();
  } catch (error) {
    await writer.abort();
    await heldout?.abort();
    throw error;
  }
  return summary;
}

async function convertGame(file: string, options: RecordsOptions, summary: RecordsSummary, writer: RecordWriter, heldout: RecordWriter | undefined): Promise<void> {
  const record = await readRecordFile(file);
  const blackResult = resultForBlack(record.result);
  if (blackResult === undefined) {
    summary.skippedGames++;
    return;
  }
  let records: TeacherRecord[];
  try {
    records = gameRecords(record.initialSfen, record.moves, blackResult, options.skipFirstPlies ?? 0);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const counted = summary.games + 1;
  const toHeldout = heldout !== undefined && options.heldoutEvery !== undefined && counted % options.heldoutEvery === 0;
  const target = toHeldout ? heldout : writer;
  for (const entry of records) await target.write(entry);
  summary.games = counted;
  if (toHeldout) {
    summary.heldoutGames++;
    summary.heldoutRecords += records.length;
  } else {
    summary.records += records.length;
  }
  if (blackResult === 1) summary.results.blackWins++;
  else if (blackResult === -1) summary.results.whiteWins++;
  else summary.results.draws++;
}
