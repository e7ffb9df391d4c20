// The surroundings arm: an opening book built from the same data a fine-tuning run would use, so
// the unchanged base model can play the data's moves at the root instead of learning them.
// Positions map to the recorded moves (the teacher's best move in teacher data, the move played in
// game records) with their counts, the mean teacher score and the game results.

import path from "node:path";
import { type Book, type BookMove, BOOK_FORMAT, BOOK_VERSION, bookKey, compareText, writeBookFile } from "../engine/book.js";
import { openRecordReader } from "../nn/data/reader.js";
import type { TeacherRecord } from "../nn/data/record.js";
import { makeSfen } from "../shogi/sfen.js";
import { MOVE_NONE } from "../shogi/types.js";
import { makeUsiMove } from "../shogi/usi-move.js";

export interface BookOptions {
  /** Teacher-data files (.bin, .hcpe, .txt). */
  data: string[];
  /** Output book file (JSON). */
  out: string;
  /** Only positions at or before this ply enter the book; default: no limit. */
  maxPly?: number;
  /** Moves recorded fewer times than this in a position are left out; default 1. */
  minCount?: number;
}

export interface BookSummary {
  out: string;
  /** Records read, and those without a move or past maxPly that were skipped. */
  records: number;
  skipped: number;
  positions: number;
  moves: number;
}

/** Moves of one position while the book is built: sums instead of means. */
interface MoveTally {
  count: number;
  scoreSum: number;
  wins: number;
  draws: number;
  losses: number;
}

/** Builds a book from teacher data and writes it; throws TeacherDataError on unreadable data. */
export async function buildBook(options: BookOptions): Promise<BookSummary> {
  const tallies = new Map<string, Map<string, MoveTally>>();
  let records = 0;
  let skipped = 0;
  for (const file of options.data) {
    for await (const record of await openRecordReader(file)) {
      records++;
      if (record.move === MOVE_NONE || (options.maxPly !== undefined && record.ply > options.maxPly)) {
        skipped++;
        continue;
      }
      addRecord(tallies, record);
    }
  }
  const book = makeBook(tallies, options);
  writeBookFile(options.out, book);
  const moves = Object.values(book.positions).reduce((sum, list) => sum + list.length, 0);
  return { out: options.out, records, skipped, positions: Object.keys(book.positions).length, moves };
}

function addRecord(tallies: Map<string, Map<string, MoveTally>>, record: TeacherRecord): void {
  const key = bookKey(makeSfen(record.setup));
  let moves = tallies.get(key);
  if (!moves) tallies.set(key, (moves = new Map()));
  const move = makeUsiMove(record.move);
  let tally = moves.get(move);
  if (!tally) moves.set(move, (tally = { count: 0, scoreSum: 0, wins: 0, draws: 0, losses: 0 }));
  tally.count++;
  tally.scoreSum += record.score;
  if (record.result > 0) tally.wins++;
  else if (record.result < 0) tally.losses++;
  else tally.draws++;
}

function makeBook(tallies: Map<string, Map<string, MoveTally>>, options: BookOptions): Book {
  const minCount = options.minCount ?? 1;
  const positions: Record<string, BookMove[]> = {};
  const sorted = [...tallies].sort(([a], [b]) => compareText(a, b));
  for (const [key, moves] of sorted) {
    const entries = [...moves]
      .filter(([, tally]) => tally.count >= minCount)
      .map(([move, tally]): BookMove => ({
        move, count: tally.count, score: Math.round(tally.scoreSum / tally.count), wins: tally.wins, draws: tally.draws, losses: tally.losses,
      }))
      .sort((a, b) => b.count - a.count || compareText(a.move, b.move));
    if (entries.length > 0) positions[key] = entries;
  }
  const source = { data: options.data.map((file) => path.basename(file)), maxPly: options.maxPly ?? null, minCount };
  return { format: BOOK_FORMAT, version: BOOK_VERSION, source, positions };
}
