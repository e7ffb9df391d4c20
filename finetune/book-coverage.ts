// How much of a held-out set an opening book covers: the share of held-out positions (up to the
// book's ply limit) that are in the book, and how often the book's "best" move is the recorded
// move there. It sets the book beside the fine-tuned variants' best-move agreement without games.

import { bookKey, chooseBookMove, readBookFile } from "../engine/book.js";
import { openRecordReader } from "../nn/data/reader.js";
import { makeSfen } from "../shogi/sfen.js";
import { MOVE_NONE } from "../shogi/types.js";
import { makeUsiMove } from "../shogi/usi-move.js";

export interface BookCoverage {
  /** Held-out records with a move, at or before the ply limit. */
  positions: number;
  /** Of those, the positions the book contains. */
  inBook: number;
  /** Share of the book positions where the book's best move equals the recorded move; null when none is in the book. */
  agreement: number | null;
}

/** Measures a book file against a held-out data file. */
export async function bookCoverage(bookFile: string, heldout: string, maxPly?: number): Promise<BookCoverage> {
  const book = readBookFile(bookFile);
  let positions = 0;
  let inBook = 0;
  let agreed = 0;
  for await (const record of await openRecordReader(heldout)) {
    if (record.move === MOVE_NONE || (maxPly !== undefined && record.ply > maxPly)) continue;
    positions++;
    const moves = book.positions[bookKey(makeSfen(record.setup))];
    if (!moves) continue;
    inBook++;
    if (chooseBookMove(moves, "best")?.move === makeUsiMove(record.move)) agreed++;
  }
  return { positions, inBook, agreement: inBook > 0 ? agreed / inBook : null };
}
