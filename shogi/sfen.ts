// SFEN text: parse into a validated setup, and make canonical text from one.
//
// Board ranks run from rank a (White's side) to rank i, and each rank lists files 9 to 1, as in
// USI. Pieces in hand are accepted in any order, repeated or counted ("SPbslpppp", "18p"); output
// is canonical: R B G S N L P for Black, then the same in lower case for White.

import {
  BLACK, FILE_NB, GOLD, KING, KNIGHT, LANCE, PAWN, PIECE_COUNT, PROMOTED, RANK_NB, SQUARE_NB, WHITE,
  type Color, canPromoteType, makePiece, makeSquare, pieceColor, pieceType, rawType, relativeRank,
} from "./types.js";

export const START_SFEN = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";

export type SfenErrorCode =
  | "empty"
  | "fields"
  | "ranks"
  | "rank_width"
  | "piece"
  | "turn"
  | "hand"
  | "move_number"
  | "piece_count"
  | "king_count"
  | "dead_piece"
  | "nifu"
  | "opponent_in_check";

export class SfenError extends Error {
  constructor(
    readonly code: SfenErrorCode,
    message: string,
    readonly sfen: string,
  ) {
    super(`invalid SFEN "${sfen}": ${message}`);
    this.name = "SfenError";
  }
}

/** A position as written in SFEN: board, hands, side to move and move number. */
export interface Setup {
  /** Piece code per square (types.ts numbering). */
  board: Uint8Array;
  /** Pieces in hand, indexed by color * 8 + piece type (PAWN..GOLD). */
  hands: Uint8Array;
  turn: Color;
  moveNumber: number;
}

const PIECE_LETTERS = " PLNSBRGK";
/** Hand order of canonical SFEN output. */
const SFEN_HAND_ORDER = [6, 5, 7, 4, 3, 2, 1];

/** Parses SFEN text (the word "startpos" included) into a validated setup; throws SfenError. */
export function parseSfen(text: string): Setup {
  const sfen = text.trim();
  if (sfen === "") throw new SfenError("empty", "the text is empty; give board, side to move and hand", text);
  if (sfen === "startpos") return parseSfen(START_SFEN);
  const fields = sfen.split(/\s+/);
  if (fields.length < 3 || fields.length > 4) {
    throw new SfenError("fields", `expected 3 or 4 space-separated fields (board, side, hand, move number), found ${fields.length}`, sfen);
  }
  const setup: Setup = {
    board: parseBoard(fields[0], sfen),
    hands: parseHands(fields[2], sfen),
    turn: parseTurn(fields[1], sfen),
    moveNumber: fields.length === 4 ? parseMoveNumber(fields[3], sfen) : 1,
  };
  validateSetup(setup, sfen);
  return setup;
}

function parseBoard(field: string, sfen: string): Uint8Array {
  const ranks = field.split("/");
  if (ranks.length !== RANK_NB) {
    throw new SfenError("ranks", `the board has ${ranks.length} ranks separated by '/', expected 9`, sfen);
  }
  const board = new Uint8Array(SQUARE_NB);
  ranks.forEach((rankText, rank) => parseRank(rankText, rank, board, sfen));
  return board;
}

function parseRank(rankText: string, rank: number, board: Uint8Array, sfen: string): void {
  let file = FILE_NB - 1;
  let promoted = false;
  for (const ch of rankText) {
    if (ch >= "1" && ch <= "9") {
      if (promoted) throw new SfenError("piece", `'+' is followed by a digit in rank ${rank + 1} ("${rankText}")`, sfen);
      file -= Number(ch);
      continue;
    }
    if (ch === "+") {
      promoted = true;
      continue;
    }
    const type = PIECE_LETTERS.indexOf(ch.toUpperCase());
    if (type <= 0) throw new SfenError("piece", `unknown piece letter '${ch}' in rank ${rank + 1} ("${rankText}")`, sfen);
    if (promoted && !canPromoteType(type)) {
      throw new SfenError("piece", `'+${ch}' in rank ${rank + 1}: this piece cannot promote`, sfen);
    }
    if (file < 0) {
      throw new SfenError("rank_width", `rank ${rank + 1} ("${rankText}") describes more than 9 squares`, sfen);
    }
    const color: Color = ch === ch.toUpperCase() ? BLACK : WHITE;
    board[makeSquare(file, rank)] = makePiece(color, promoted ? type + PROMOTED : type);
    promoted = false;
    file--;
  }
  if (file !== -1 || promoted) {
    throw new SfenError("rank_width", `rank ${rank + 1} ("${rankText}") does not describe exactly 9 squares`, sfen);
  }
}

function parseTurn(field: string, sfen: string): Color {
  if (field === "b") return BLACK;
  if (field === "w") return WHITE;
  throw new SfenError("turn", `side to move "${field}" is neither 'b' nor 'w'`, sfen);
}

function parseHands(field: string, sfen: string): Uint8Array {
  const hands = new Uint8Array(16);
  if (field === "-") return hands;
  const pattern = /(\d*)([A-Za-z])/gy;
  let consumed = 0;
  for (const match of field.matchAll(pattern)) {
    const type = PIECE_LETTERS.indexOf(match[2].toUpperCase());
    if (type <= 0 || type === KING) {
      throw new SfenError("hand", `'${match[2]}' cannot be held in hand (in "${field}")`, sfen);
    }
    const count = match[1] === "" ? 1 : Number(match[1]);
    if (count < 1) throw new SfenError("hand", `count ${match[1]} of '${match[2]}' in hand is not positive`, sfen);
    const color = match[2] === match[2].toUpperCase() ? BLACK : WHITE;
    hands[color * 8 + type] += Math.min(count, 255 - hands[color * 8 + type]);
    consumed += match[0].length;
  }
  if (consumed !== field.length) {
    throw new SfenError("hand", `hand "${field}" is not '-' or a list of [count]letter`, sfen);
  }
  return hands;
}

function parseMoveNumber(field: string, sfen: string): number {
  // Some GUIs send 0 (and Shogidokoro always 1 in analysis), so the number is taken as written.
  if (!/^\d+$/.test(field)) {
    throw new SfenError("move_number", `move number "${field}" is not a whole number`, sfen);
  }
  return Number(field);
}

/**
 * Checks a setup against the rules that SFEN text alone cannot break: piece counts, kings, pieces
 * on ranks where they could never move, and two unpromoted pawns of one side on a file.
 */
export function validateSetup(setup: Setup, sfen = makeSfen(setup)): void {
  const counts = new Array<number>(9).fill(0);
  const kings = [0, 0];
  const pawnFiles = [new Set<number>(), new Set<number>()];
  for (let sq = 0; sq < SQUARE_NB; sq++) {
    const piece = setup.board[sq];
    if (piece === 0) continue;
    const color = pieceColor(piece);
    const type = pieceType(piece);
    counts[rawType(type)]++;
    if (type === KING) kings[color]++;
    checkPieceCanMove(color, type, sq, sfen);
    if (type === PAWN) {
      const file = (sq / 9) | 0;
      if (pawnFiles[color].has(file)) {
        throw new SfenError("nifu", `two unpromoted ${colorName(color)} pawns on file ${file + 1}`, sfen);
      }
      pawnFiles[color].add(file);
    }
  }
  for (const color of [BLACK, WHITE] as Color[]) {
    if (kings[color] > 1) throw new SfenError("king_count", `${colorName(color)} has ${kings[color]} kings`, sfen);
  }
  for (let type = PAWN; type <= GOLD; type++) counts[type] += setup.hands[type] + setup.hands[8 + type];
  for (let type = PAWN; type <= GOLD; type++) {
    if (counts[type] > PIECE_COUNT[type]) {
      throw new SfenError("piece_count", `${counts[type]} pieces of type '${PIECE_LETTERS[type]}' exceed the set's ${PIECE_COUNT[type]}`, sfen);
    }
  }
}

function checkPieceCanMove(color: Color, type: number, sq: number, sfen: string): void {
  const rank = relativeRank(color, sq % 9);
  const dead = ((type === PAWN || type === LANCE) && rank === 0) || (type === KNIGHT && rank <= 1);
  if (dead) {
    throw new SfenError("dead_piece", `${colorName(color)} '${PIECE_LETTERS[type]}' on a rank where it can never move`, sfen);
  }
}

export function colorName(color: Color): string {
  return color === BLACK ? "Black" : "White";
}

/** Makes canonical SFEN text of a setup. */
export function makeSfen(setup: Setup): string {
  return `${makeBoard(setup.board)} ${setup.turn === BLACK ? "b" : "w"} ${makeHands(setup.hands)} ${setup.moveNumber}`;
}

export function pieceLetter(piece: number): string {
  const type = pieceType(piece);
  const letter = PIECE_LETTERS[rawType(type)];
  const text = type > KING ? `+${letter}` : letter;
  return pieceColor(piece) === BLACK ? text : text.toLowerCase();
}

function makeBoard(board: Uint8Array): string {
  const ranks: string[] = [];
  for (let rank = 0; rank < RANK_NB; rank++) {
    let text = "";
    let empty = 0;
    for (let file = FILE_NB - 1; file >= 0; file--) {
      const piece = board[makeSquare(file, rank)];
      if (piece === 0) {
        empty++;
        continue;
      }
      if (empty > 0) text += String(empty);
      empty = 0;
      text += pieceLetter(piece);
    }
    if (empty > 0) text += String(empty);
    ranks.push(text);
  }
  return ranks.join("/");
}

function makeHands(hands: Uint8Array): string {
  let text = "";
  for (const color of [BLACK, WHITE]) {
    for (const type of SFEN_HAND_ORDER) {
      const count = hands[color * 8 + type];
      if (count === 0) continue;
      const letter = PIECE_LETTERS[type];
      text += `${count > 1 ? count : ""}${color === BLACK ? letter : letter.toLowerCase()}`;
    }
  }
  return text === "" ? "-" : text;
}
