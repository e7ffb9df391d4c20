// Opening book: positions mapped to moves with counts, teacher scores and game results, stored as
// one JSON file. The engine looks up the root position of each `go`. When BookFile is set,
// USI_OwnBook is true and the position is in the book, it plays a book move instead of searching.
//
// File layout (UTF-8 JSON):
//   { "format": "shogi-lab-book", "version": 1, "source": {...},
//     "positions": { "<SFEN without the move number>": [ { "move": "7g7f", "count": 12,
//                    "score": 35, "wins": 7, "draws": 0, "losses": 5 }, ... ] } }
// "score" is the mean teacher score of the position, in centipawns for its side to move; "wins",
// "draws" and "losses" are the game results from the side to move after which the move was played.

import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Position } from "../shogi/position.js";
import { MOVE_NONE } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import { formatEngineLine } from "../usi/grammar.js";

export const BOOK_FORMAT = "shogi-lab-book";
export const BOOK_VERSION = 1;

/** Rule by which the engine picks among a position's book moves. */
export type BookSelection = "best" | "weighted";
export const BOOK_SELECTIONS: readonly BookSelection[] = ["best", "weighted"];

export interface BookMove {
  /** USI move text. */
  move: string;
  /** Times the move was recorded in the position. */
  count: number;
  /** Mean teacher score of the position, centipawns for the side to move. */
  score: number;
  wins: number;
  draws: number;
  losses: number;
}

export interface Book {
  format: typeof BOOK_FORMAT;
  version: typeof BOOK_VERSION;
  /** Origin of the book (data files, builder settings); free-form. */
  source: Record<string, unknown>;
  /** Moves by position key (see bookKey), most frequent first. */
  positions: Record<string, BookMove[]>;
}

/** Returns the key of a position: its SFEN without the move number, so transpositions share an entry. */
export function bookKey(sfen: string): string {
  return sfen.trim().split(/\s+/).slice(0, 3).join(" ");
}

/** Checks parsed JSON against the book layout; throws Error naming the first invalid part. */
export function validateBook(value: unknown, file = "<book>"): Book {
  const book = value as Partial<Book>;
  if (typeof book !== "object" || book === null || book.format !== BOOK_FORMAT) {
    throw new Error(`${file}: not a shogi-lab book (expected "format": "${BOOK_FORMAT}")`);
  }
  if (book.version !== BOOK_VERSION) throw new Error(`${file}: book version ${JSON.stringify(book.version)} is not supported (expected ${BOOK_VERSION})`);
  if (typeof book.positions !== "object" || book.positions === null) throw new Error(`${file}: the book has no "positions" object`);
  for (const [key, moves] of Object.entries(book.positions)) {
    if (!Array.isArray(moves) || !moves.every(isBookMove)) {
      throw new Error(`${file}: position "${key}" does not hold a list of {move, count, score, wins, draws, losses} entries with count >= 1`);
    }
  }
  return { format: BOOK_FORMAT, version: BOOK_VERSION, source: book.source ?? {}, positions: book.positions };
}

function isBookMove(value: unknown): value is BookMove {
  const entry = value as Partial<BookMove>;
  const counts = [entry.wins, entry.draws, entry.losses];
  return typeof entry === "object" && entry !== null && typeof entry.move === "string" && Number.isInteger(entry.count) &&
    (entry.count as number) >= 1 && typeof entry.score === "number" && Number.isFinite(entry.score) &&
    counts.every((count) => Number.isInteger(count) && (count as number) >= 0);
}

export function readBookFile(file: string): Book {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`book file ${file} cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: the book is not valid JSON (${(error as Error).message})`);
  }
  return validateBook(value, file);
}

/** Writes a book as FILE.tmp and renames it over FILE. */
export function writeBookFile(file: string, book: Book): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(book)}\n`);
  renameSync(temporary, file);
}

/**
 * Picks a book move. "best" takes the most frequent move, and breaks ties by the higher win share,
 * then by USI text order. "weighted" draws one with probability proportional to its count, using
 * `random`, which returns numbers in [0, 1).
 */
export function chooseBookMove(moves: readonly BookMove[], selection: BookSelection, random: () => number = Math.random): BookMove | undefined {
  if (moves.length === 0) return undefined;
  if (selection === "weighted") {
    const total = moves.reduce((sum, entry) => sum + entry.count, 0);
    let draw = random() * total;
    for (const entry of moves) {
      draw -= entry.count;
      if (draw < 0) return entry;
    }
    return moves[moves.length - 1];
  }
  return [...moves].sort(compareBookMoves)[0];
}

function winShare(entry: BookMove): number {
  return (entry.wins + entry.draws / 2) / Math.max(1, entry.wins + entry.draws + entry.losses);
}

/** Compares strings in code-unit order, as Array.prototype.sort does by default. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareBookMoves(a: BookMove, b: BookMove): number {
  return b.count - a.count || winShare(b) - winShare(a) || compareText(a.move, b.move);
}

/** The book settings of the engine (a subset of EngineSettings). */
export interface BookSettings {
  /** Book file; "" for none. */
  bookFile: string;
  ownBook: boolean;
  bookSelection: BookSelection;
}

/** Lines a probe sends: `info` lines, then a `bestmove` line when the position is in the book. */
export interface BookAnswer {
  info: string[];
  bestmove: string | null;
}

/**
 * The engine's book. It loads the BookFile on first use, and again when the path or the file's
 * modification time changes, then looks up root positions. A book that cannot be loaded is reported
 * in an `info string` once, and the engine searches as if it had no book.
 */
export class BookProbe {
  /** Folder that relative BookFile paths resolve against (the engine's package root). */
  root = process.cwd();
  private loaded: { file: string; modified: number; book: Book | null } | undefined;

  probe(pos: Position, settings: BookSettings): BookAnswer {
    const none: BookAnswer = { info: [], bestmove: null };
    if (settings.bookFile === "" || !settings.ownBook) return none;
    const { book, warning } = this.load(path.resolve(this.root, settings.bookFile));
    if (book === null) return { info: warning ? [infoString(warning)] : [], bestmove: null };
    const moves = (book.positions[bookKey(pos.sfen())] ?? []).filter((entry) => parseUsiMove(pos, entry.move) !== MOVE_NONE);
    const chosen = chooseBookMove(moves, settings.bookSelection);
    if (!chosen) return none;
    const line = `book move ${chosen.move} (${settings.bookSelection} of ${moves.length}: played ${chosen.count} times, ` +
      `results ${chosen.wins}-${chosen.draws}-${chosen.losses}, teacher score ${Math.round(chosen.score)})`;
    const pv = formatEngineLine({ kind: "info", depth: 0, score: { kind: "cp", value: Math.round(chosen.score) }, pv: [chosen.move] });
    return { info: [infoString(line), pv], bestmove: formatEngineLine({ kind: "bestmove", move: chosen.move }) };
  }

  private load(file: string): { book: Book | null; warning?: string } {
    let modified: number;
    try {
      modified = statSync(file).mtimeMs;
    } catch {
      return this.remember(file, -1, null, `book file ${file} not found; searching without a book`);
    }
    if (this.loaded?.file === file && this.loaded.modified === modified) return { book: this.loaded.book };
    try {
      return this.remember(file, modified, readBookFile(file));
    } catch (error) {
      return this.remember(file, modified, null, `${(error as Error).message}; searching without a book`);
    }
  }

  /** Caches a load's outcome; the warning is returned only the first time for this file state. */
  private remember(file: string, modified: number, book: Book | null, warning?: string): { book: Book | null; warning?: string } {
    const repeated = this.loaded?.file === file && this.loaded.modified === modified;
    this.loaded = { file, modified, book };
    return { book, warning: repeated ? undefined : warning };
  }
}

function infoString(text: string): string {
  return formatEngineLine({ kind: "info", string: text });
}
