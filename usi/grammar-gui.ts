// Commands that a GUI or arena sends to a USI engine: their types, parser and formatter.
//
// Parsing is tolerant in the way GUIs and engines expect: tokens may be separated by any run of
// whitespace, a CRLF line end is accepted, unknown tokens are skipped, and a numeric field whose
// value is missing is skipped. Times and counts below zero are read as zero.

import {
  type InvalidLine, LineError, TokenCursor, type UnknownLine, isMoveText, nonNegative, parseOrInvalid,
} from "./grammar-tokens.js";

/** Clock fields of `go` and of the `ponderhit` extension, all in milliseconds. */
export interface ClockParams {
  /** Remaining main time of Black (sente). */
  btime?: number;
  /** Remaining main time of White (gote). */
  wtime?: number;
  byoyomi?: number;
  /** Fischer increment of Black, not included in `btime`. */
  binc?: number;
  winc?: number;
}

/** Arguments of `go`. A bare `go mate` reads as `mate: "infinite"`. */
export interface GoParams extends ClockParams {
  ponder?: true;
  movetime?: number;
  nodes?: number;
  depth?: number;
  infinite?: true;
  /** Time limit of a mate search in milliseconds (not a mate length), or no limit. */
  mate?: number | "infinite";
  searchmoves?: string[];
}

export type GameResult = "win" | "lose" | "draw";

/** `position`: `sfen` is absent for `startpos`; `moves` are USI move texts, checked for form only. */
export interface PositionCommand {
  kind: "position";
  sfen?: string;
  moves: string[];
}

export type GuiCommand =
  | { kind: "usi" }
  | { kind: "isready" }
  | { kind: "usinewgame" }
  | { kind: "stop" }
  | { kind: "quit" }
  /** `value` is absent for a button; "" stands for both an empty value and `<empty>`. */
  | { kind: "setoption"; name: string; value?: string }
  | PositionCommand
  | ({ kind: "go" } & GoParams)
  | ({ kind: "ponderhit" } & ClockParams)
  | { kind: "gameover"; result: GameResult };

export type GoCommand = Extract<GuiCommand, { kind: "go" }>;

const CLOCK_FIELDS = ["btime", "wtime", "byoyomi", "binc", "winc"] as const;
const GO_NUMBER_FIELDS = [...CLOCK_FIELDS, "movetime", "nodes", "depth"] as const;
type GoNumberField = (typeof GO_NUMBER_FIELDS)[number];
/** The literal that some GUIs send, and engines print, for an empty string option. */
export const EMPTY_OPTION_VALUE = "<empty>";
/** SFEN fields after `position sfen`: board, side to move, hands, and an optional move number. */
const SFEN_MIN_FIELDS = 3;
const SFEN_MAX_FIELDS = 4;
const GAME_RESULTS: readonly string[] = ["win", "lose", "draw"] satisfies GameResult[];

const SIMPLE_COMMANDS = ["usi", "isready", "usinewgame", "stop", "quit"] as const;
type SimpleCommand = (typeof SIMPLE_COMMANDS)[number];

/** Parses one line sent to an engine. */
export function parseGuiCommand(line: string): GuiCommand | UnknownLine | InvalidLine {
  const cursor = new TokenCursor(line);
  const keyword = cursor.next() ?? "";
  if ((SIMPLE_COMMANDS as readonly string[]).includes(keyword)) return { kind: keyword as SimpleCommand };

  switch (keyword) {
    case "setoption":
      return parseOrInvalid(cursor, keyword, parseSetOption);
    case "position":
      return parseOrInvalid(cursor, keyword, parsePosition);
    case "go":
      return { kind: "go", ...parseGoParams(cursor) };
    case "ponderhit":
      return { kind: "ponderhit", ...parseClockParams(cursor) };
    case "gameover":
      return parseOrInvalid(cursor, keyword, parseGameOver);
    default:
      return { kind: "unknown", text: cursor.text };
  }
}

function parseSetOption(cursor: TokenCursor): GuiCommand {
  if (!cursor.accept("name")) throw new LineError("expected 'name' after 'setoption'");
  const name = cursor.takeWhile((word) => word !== "value").join(" ");
  if (name === "") throw new LineError("missing option name");
  if (!cursor.accept("value")) return { kind: "setoption", name };

  const value = cursor.rest();
  return { kind: "setoption", name, value: value === EMPTY_OPTION_VALUE ? "" : value };
}

function parsePosition(cursor: TokenCursor): PositionCommand {
  const base = cursor.next();
  const fields = cursor.takeWhile((word) => word !== "moves");
  let sfen: string | undefined;
  if (base === "sfen") {
    if (fields.length < SFEN_MIN_FIELDS || fields.length > SFEN_MAX_FIELDS) {
      throw new LineError(`SFEN needs ${SFEN_MIN_FIELDS} or ${SFEN_MAX_FIELDS} fields, got ${fields.length}`);
    }
    sfen = fields.join(" ");
  } else if (base !== "startpos") {
    throw new LineError(`expected 'startpos' or 'sfen', got '${base ?? ""}'`);
  }

  cursor.accept("moves");
  const moves = cursor.takeWhile(() => true);
  const malformed = moves.find((move) => !isMoveText(move));
  if (malformed !== undefined) throw new LineError(`malformed move '${malformed}'`);
  return sfen === undefined ? { kind: "position", moves } : { kind: "position", sfen, moves };
}

/** Reads `go` arguments in any order; tokens that start no argument are skipped. */
function parseGoParams(cursor: TokenCursor): GoParams {
  const params: GoParams = {};
  while (!cursor.done) {
    const word = cursor.next() as string;
    if ((GO_NUMBER_FIELDS as readonly string[]).includes(word)) {
      const value = cursor.integer();
      if (value !== undefined) params[word as GoNumberField] = nonNegative(value);
    } else if (word === "ponder") {
      params.ponder = true;
    } else if (word === "infinite") {
      params.infinite = true;
    } else if (word === "mate") {
      const limit = cursor.integer();
      if (limit === undefined) cursor.accept("infinite");
      params.mate = limit === undefined ? "infinite" : nonNegative(limit);
    } else if (word === "searchmoves") {
      params.searchmoves = cursor.takeWhile(isMoveText);
    }
  }
  return params;
}

function parseClockParams(cursor: TokenCursor): ClockParams {
  const params: ClockParams = {};
  while (!cursor.done) {
    const word = cursor.next() as string;
    if (!(CLOCK_FIELDS as readonly string[]).includes(word)) continue;
    const value = cursor.integer();
    if (value !== undefined) params[word as (typeof CLOCK_FIELDS)[number]] = nonNegative(value);
  }
  return params;
}

function parseGameOver(cursor: TokenCursor): GuiCommand {
  const result = cursor.next() ?? "";
  if (!GAME_RESULTS.includes(result)) throw new LineError(`expected win, lose or draw, got '${result}'`);
  return { kind: "gameover", result: result as GameResult };
}

/** Formats a command as one line without a line end. */
export function formatGuiCommand(command: GuiCommand): string {
  switch (command.kind) {
    case "setoption":
      return formatSetOption(command.name, command.value);
    case "position":
      return formatPosition(command);
    case "go":
      return ["go", ...formatGoParams(command)].join(" ");
    case "ponderhit":
      return ["ponderhit", ...formatNumbers(command, CLOCK_FIELDS)].join(" ");
    case "gameover":
      return `gameover ${command.result}`;
    default:
      return command.kind;
  }
}

/** Writes an empty value as a bare `value`, which engines read as the empty string. */
function formatSetOption(name: string, value: string | undefined): string {
  if (value === undefined) return `setoption name ${name}`;
  return value === "" ? `setoption name ${name} value` : `setoption name ${name} value ${value}`;
}

/** Writes `position startpos` with no `moves` token when there are no moves, as GUIs do. */
function formatPosition(command: PositionCommand): string {
  const base = command.sfen === undefined ? "position startpos" : `position sfen ${command.sfen}`;
  return command.moves.length === 0 ? base : `${base} moves ${command.moves.join(" ")}`;
}

/** Puts `ponder` first and `searchmoves` last, where engines expect them. */
function formatGoParams(params: GoParams): string[] {
  const words: string[] = [];
  if (params.ponder) words.push("ponder");
  words.push(...formatNumbers(params, GO_NUMBER_FIELDS));
  if (params.infinite) words.push("infinite");
  if (params.mate !== undefined) words.push("mate", String(params.mate));
  if (params.searchmoves !== undefined) words.push("searchmoves", ...params.searchmoves);
  return words;
}

function formatNumbers<Field extends string>(params: Partial<Record<Field, number>>, fields: readonly Field[]): string[] {
  const words: string[] = [];
  for (const field of fields) {
    const value = params[field];
    if (value !== undefined) words.push(field, String(value));
  }
  return words;
}
