// Openings: start positions with the moves played before the engines take over. They are read
// from a text file of SFEN or USI lines or from a folder of KIF/CSA records. Each one is checked
// for legality, duplicates are dropped, and a seeded shuffle fixes the order of use.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { SeededRandom } from "./stats/index.js";
import { hasLegalMove } from "../shogi/movegen.js";
import { Position } from "../shogi/position.js";
import { readRecordFile } from "../shogi/records/index.js";
import { SENNICHITE_COUNT, checkRepetition } from "../shogi/rules.js";
import { START_SFEN } from "../shogi/sfen.js";
import { MOVE_NONE } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import { DEFAULT_RECORD_OPENING_PLIES, type OpeningOrder, type OpeningSpec } from "./plan.js";

/** A start position and the moves played before the engines take over. */
export interface Opening {
  /** Canonical SFEN of the start position; undefined for the standard one, sent as `startpos`. */
  sfen?: string;
  moves: string[];
}

/** An opening that cannot be used; the message names the file and line or record. */
export class OpeningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpeningError";
  }
}

const RECORD_EXTENSIONS: ReadonlySet<string> = new Set([".kif", ".kifu", ".ki2", ".ki2u", ".csa"]);
const COMMENT_PREFIX = "#";
const POSITION_PREFIX = /^position\s+/;
/** Board, side to move and hands; the move number is optional. */
const SFEN_MIN_FIELDS = 3;
const SFEN_MAX_FIELDS = 4;

/** The single opening used when a plan names none: the standard start position. */
export const START_OPENING: Opening = { moves: [] };

/** Formats an opening as the arguments of a USI `position` command. */
export function openingText(opening: Opening): string {
  const base = opening.sfen === undefined ? "startpos" : `sfen ${opening.sfen}`;
  return opening.moves.length === 0 ? base : `${base} moves ${opening.moves.join(" ")}`;
}

/**
 * Loads the openings of a plan, cut after `spec.plies` moves, without duplicates, in file order.
 * Returns the start position alone when `spec` is undefined. Throws OpeningError.
 */
export async function loadOpenings(spec: OpeningSpec | undefined): Promise<Opening[]> {
  if (spec === undefined) return [START_OPENING];
  let isFolder: boolean;
  try {
    isFolder = statSync(spec.path).isDirectory();
  } catch (error) {
    throw new OpeningError(`cannot read openings from ${spec.path}: ${(error as Error).message}`);
  }
  const openings = isFolder ? await readRecordFolder(spec.path, spec.plies ?? DEFAULT_RECORD_OPENING_PLIES) : readLineFile(spec.path, spec.plies);
  const unique = deduplicate(openings);
  if (unique.length === 0) throw new OpeningError(`no openings found in ${spec.path}`);
  return unique;
}

function readLineFile(path: string, plies: number | undefined): Opening[] {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const openings: Opening[] = [];
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === "" || text.startsWith(COMMENT_PREFIX)) return;
    try {
      openings.push(checkOpening(cut(parseOpeningLine(text), plies)));
    } catch (error) {
      throw new OpeningError(`${path}:${index + 1}: ${(error as Error).message}`);
    }
  });
  return openings;
}

async function readRecordFolder(folder: string, plies: number): Promise<Opening[]> {
  const files = readdirSync(folder).filter((name) => RECORD_EXTENSIONS.has(extname(name).toLowerCase())).sort();
  const openings: Opening[] = [];
  for (const name of files) {
    const path = join(folder, name);
    try {
      const record = await readRecordFile(path);
      openings.push(checkOpening(cut({ sfen: canonicalSfen(record.initialSfen), moves: record.moves }, plies)));
    } catch (error) {
      throw new OpeningError(`${path}: ${(error as Error).message}`);
    }
  }
  return openings;
}

/**
 * Parses one opening line: `[position] startpos [moves ...]`, `[position] sfen SFEN [moves ...]`,
 * a bare SFEN optionally followed by `moves ...`, or USI moves from the start position.
 */
export function parseOpeningLine(line: string): Opening {
  const words = line.replace(POSITION_PREFIX, "").trim().split(/\s+/);
  const movesAt = words.indexOf("moves");
  const head = movesAt < 0 ? words : words.slice(0, movesAt);
  const moves = movesAt < 0 ? [] : words.slice(movesAt + 1);
  if (head[0] === "startpos") {
    if (head.length > 1) throw new OpeningError(`unexpected "${head[1]}" after startpos; expected "moves"`);
    return { moves };
  }
  const sfenFields = head[0] === "sfen" ? head.slice(1) : head;
  if (sfenFields.length > 0 && sfenFields[0].includes("/")) {
    if (sfenFields.length < SFEN_MIN_FIELDS || sfenFields.length > SFEN_MAX_FIELDS) {
      throw new OpeningError(`"${sfenFields.join(" ")}" is not an SFEN: expected board, side to move, hands and an optional move number`);
    }
    return { sfen: canonicalSfen(sfenFields.join(" ")), moves };
  }
  if (movesAt >= 0) throw new OpeningError(`expected startpos or an SFEN before "moves", got "${head.join(" ")}"`);
  return { moves: words };
}

/** Returns the canonical SFEN, or undefined for the standard start position. */
function canonicalSfen(sfen: string): string | undefined {
  const canonical = Position.fromSfen(sfen).sfen();
  return canonical === START_SFEN ? undefined : canonical;
}

function cut(opening: Opening, plies: number | undefined): Opening {
  return plies === undefined ? opening : { ...opening, moves: opening.moves.slice(0, plies) };
}

/**
 * Replays the moves under our rules and returns the opening, or throws when a move is illegal
 * or the game is already over at its end (no legal move, or a fourth repetition).
 */
export function checkOpening(opening: Opening): Opening {
  const position = positionAfter(opening);
  if (!hasLegalMove(position)) throw new OpeningError("the side to move has no legal move at the end of the opening");
  if (checkRepetition(position, SENNICHITE_COUNT).kind !== "none") throw new OpeningError("the opening ends in a fourfold repetition");
  return opening;
}

/** Returns the position after the opening's moves, with its full history. Throws on an illegal move. */
export function positionAfter(opening: Opening): Position {
  const position = Position.fromSfen(opening.sfen ?? START_SFEN);
  opening.moves.forEach((text, index) => {
    const move = parseUsiMove(position, text);
    if (move === MOVE_NONE) throw new OpeningError(`move ${index + 1} "${text}" is not legal in ${position.sfen()}`);
    position.doMove(move);
  });
  return position;
}

function deduplicate(openings: readonly Opening[]): Opening[] {
  const seen = new Set<string>();
  return openings.filter((opening) => {
    const key = openingText(opening);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Returns the order in which openings are used: a Fisher-Yates shuffle seeded by `seed`, or the
 * file order. Equal arguments give equal orders.
 */
export function openingOrder(count: number, seed: number, order: OpeningOrder): number[] {
  const indices = Array.from({ length: count }, (_, index) => index);
  if (order === "sequential") return indices;
  const random = new SeededRandom(seed);
  for (let last = count - 1; last > 0; last--) {
    const pick = random.nextInt(last + 1);
    [indices[last], indices[pick]] = [indices[pick], indices[last]];
  }
  return indices;
}
