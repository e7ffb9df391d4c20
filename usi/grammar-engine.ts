// Lines that a USI engine prints to its GUI: their types, parser and formatter.
//
// Parsing is tolerant: tokens may be separated by any run of whitespace, a CRLF line end is
// accepted, unknown tokens are skipped, and a malformed optional field (a `ponder` move, an option
// default) is dropped. A line becomes InvalidLine only when the field that gives it its meaning is
// missing or malformed, such as the move of `bestmove`.

import { EMPTY_OPTION_VALUE } from "./grammar-gui.js";
import { type InfoLine, formatInfo, parseInfo } from "./grammar-info.js";
import {
  type InvalidLine, LineError, TokenCursor, type UnknownLine, isMoveText, parseOrInvalid,
} from "./grammar-tokens.js";

export type OptionType = "check" | "spin" | "combo" | "button" | "string" | "filename";

/** An `option` line. A string default of `<empty>` reads as "". */
export type OptionDeclaration =
  | { kind: "option"; name: string; type: "check"; default?: boolean }
  | { kind: "option"; name: string; type: "spin"; default?: number; min?: number; max?: number }
  | { kind: "option"; name: string; type: "combo"; default?: string; vars: string[] }
  | { kind: "option"; name: string; type: "button" }
  | { kind: "option"; name: string; type: "string" | "filename"; default?: string };

/** `bestmove`: `move` is a USI move text, "resign", or "win" (an entering-king declaration). */
export interface BestMoveLine {
  kind: "bestmove";
  move: string;
  ponder?: string;
}

/** The reply to `go mate`: a mating sequence, or why there is none. */
export type CheckmateLine =
  | { kind: "checkmate"; result: "mate"; moves: string[] }
  | { kind: "checkmate"; result: "nomate" | "timeout" | "notimplemented" };

export type EngineLine =
  | { kind: "id"; field: "name" | "author"; value: string }
  | OptionDeclaration
  | { kind: "usiok" }
  | { kind: "readyok" }
  | BestMoveLine
  | CheckmateLine
  | InfoLine;

const OPTION_TYPES: readonly string[] = ["check", "spin", "combo", "button", "string", "filename"] satisfies OptionType[];
const OPTION_FIELDS = ["default", "min", "max", "var"] as const;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const BESTMOVE_WORDS: readonly string[] = ["resign", "win"];
const CHECKMATE_WORDS: readonly string[] = ["nomate", "timeout", "notimplemented"];

/** Parses one line printed by an engine. */
export function parseEngineLine(line: string): EngineLine | UnknownLine | InvalidLine {
  const cursor = new TokenCursor(line);
  const keyword = cursor.next() ?? "";
  switch (keyword) {
    case "usiok":
    case "readyok":
      return { kind: keyword };
    case "info":
      return parseInfo(cursor);
    case "bestmove":
      return parseOrInvalid(cursor, keyword, parseBestMove);
    case "id":
      return parseOrInvalid(cursor, keyword, parseId);
    case "option":
      return parseOrInvalid(cursor, keyword, parseOption);
    case "checkmate":
      return parseOrInvalid(cursor, keyword, parseCheckmate);
    default:
      return { kind: "unknown", text: cursor.text };
  }
}

function parseId(cursor: TokenCursor): EngineLine {
  const field = cursor.next();
  if (field !== "name" && field !== "author") throw new LineError(`expected 'name' or 'author', got '${field ?? ""}'`);
  return { kind: "id", field, value: cursor.rest() };
}

function parseBestMove(cursor: TokenCursor): BestMoveLine {
  const move = cursor.next();
  if (move === undefined) throw new LineError("missing move");
  if (BESTMOVE_WORDS.includes(move)) return { kind: "bestmove", move };
  if (!isMoveText(move)) throw new LineError(`malformed move '${move}'`);

  const ponder = cursor.accept("ponder") ? cursor.next() : undefined;
  if (ponder === undefined || !isMoveText(ponder)) return { kind: "bestmove", move };
  return { kind: "bestmove", move, ponder };
}

function parseCheckmate(cursor: TokenCursor): CheckmateLine {
  const first = cursor.peek();
  if (first === undefined) throw new LineError("missing moves or result");
  if (CHECKMATE_WORDS.includes(first)) {
    return { kind: "checkmate", result: first as "nomate" | "timeout" | "notimplemented" };
  }
  const moves = cursor.takeWhile(() => true);
  const malformed = moves.find((move) => !isMoveText(move));
  if (malformed !== undefined) throw new LineError(`malformed move '${malformed}'`);
  return { kind: "checkmate", result: "mate", moves };
}

/** Reads `name <id> type <t>` and then `default`, `min`, `max` and `var` fields in any order. */
function parseOption(cursor: TokenCursor): OptionDeclaration {
  if (!cursor.accept("name")) throw new LineError("expected 'name' after 'option'");
  const name = cursor.takeWhile((word) => word !== "type").join(" ");
  if (name === "") throw new LineError("missing option name");
  if (!cursor.accept("type")) throw new LineError(`missing type of option '${name}'`);
  const type = cursor.next() ?? "";
  if (!OPTION_TYPES.includes(type)) throw new LineError(`unknown type '${type}' of option '${name}'`);

  const fields = readOptionFields(cursor);
  return typedOption(name, type as OptionType, fields);
}

interface OptionFields {
  default?: string;
  min?: string;
  max?: string;
  vars: string[];
}

/** Reads each field value up to the next field keyword, so a value may contain spaces. */
function readOptionFields(cursor: TokenCursor): OptionFields {
  const fields: OptionFields = { vars: [] };
  const isValueWord = (word: string) => !(OPTION_FIELDS as readonly string[]).includes(word);
  while (!cursor.done) {
    const word = cursor.next() as string;
    if (!(OPTION_FIELDS as readonly string[]).includes(word)) continue;
    const value = cursor.takeWhile(isValueWord).join(" ");
    if (word === "var") fields.vars.push(value);
    else fields[word as "default" | "min" | "max"] = value;
  }
  return fields;
}

function typedOption(name: string, type: OptionType, fields: OptionFields): OptionDeclaration {
  const text = fields.default === EMPTY_OPTION_VALUE ? "" : fields.default;
  switch (type) {
    case "check": {
      const option: OptionDeclaration = { kind: "option", name, type };
      if (text === "true" || text === "false") option.default = text === "true";
      return option;
    }
    case "spin":
      return withIntegers({ kind: "option", name, type }, fields);
    case "combo":
      return text === undefined
        ? { kind: "option", name, type, vars: fields.vars }
        : { kind: "option", name, type, default: text, vars: fields.vars };
    case "button":
      return { kind: "option", name, type };
    default:
      return text === undefined ? { kind: "option", name, type } : { kind: "option", name, type, default: text };
  }
}

function withIntegers(
  option: Extract<OptionDeclaration, { type: "spin" }>,
  fields: OptionFields,
): OptionDeclaration {
  for (const field of ["default", "min", "max"] as const) {
    const text = fields[field];
    if (text !== undefined && INTEGER_PATTERN.test(text)) option[field] = Number(text);
  }
  return option;
}

/** Formats a line as an engine prints it, without a line end. */
export function formatEngineLine(line: EngineLine): string {
  switch (line.kind) {
    case "id":
      return `id ${line.field} ${line.value}`;
    case "option":
      return formatOption(line);
    case "bestmove":
      return line.ponder === undefined ? `bestmove ${line.move}` : `bestmove ${line.move} ponder ${line.ponder}`;
    case "checkmate":
      return line.result === "mate" ? `checkmate ${line.moves.join(" ")}` : `checkmate ${line.result}`;
    case "info":
      return formatInfo(line);
    default:
      return line.kind;
  }
}

/** Writes an empty string default as `<empty>`, because GUIs split option lines on spaces. */
function formatOption(option: OptionDeclaration): string {
  const words = ["option", "name", option.name, "type", option.type];
  if ("default" in option && option.default !== undefined) {
    words.push("default", option.default === "" ? EMPTY_OPTION_VALUE : String(option.default));
  }
  if (option.type === "spin") {
    if (option.min !== undefined) words.push("min", String(option.min));
    if (option.max !== undefined) words.push("max", String(option.max));
  }
  if (option.type === "combo") for (const value of option.vars) words.push("var", value);
  return words.join(" ");
}
