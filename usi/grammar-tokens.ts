// Token reading shared by the USI parsers. A line is split on runs of whitespace, and each token
// remembers where it starts, so that fields running to the end of the line (`setoption ... value`,
// `info string`) keep their inner spacing.

import { MOVE_NONE } from "../shogi/types.js";
import { parseUsiMoveText } from "../shogi/usi-move.js";

const INTEGER_PATTERN = /^[+-]?\d+$/;
const TOKEN_PATTERN = /\S+/g;

/** A trimmed line and its tokens, read left to right. */
export class TokenCursor {
  readonly text: string;
  private readonly words: string[] = [];
  private readonly starts: number[] = [];
  private index = 0;

  /** Trims the line, which also drops the `\r` of a CRLF line end. */
  constructor(line: string) {
    this.text = line.trim();
    for (const match of this.text.matchAll(TOKEN_PATTERN)) {
      this.words.push(match[0]);
      this.starts.push(match.index ?? 0);
    }
  }

  get done(): boolean {
    return this.index >= this.words.length;
  }

  /** Returns the next token without consuming it, or undefined at the end of the line. */
  peek(): string | undefined {
    return this.words[this.index];
  }

  /** Consumes and returns the next token, or undefined at the end of the line. */
  next(): string | undefined {
    const word = this.words[this.index];
    if (word !== undefined) this.index += 1;
    return word;
  }

  /** Consumes the next token if it equals `word`. */
  accept(word: string): boolean {
    if (this.words[this.index] !== word) return false;
    this.index += 1;
    return true;
  }

  /** Consumes the next token if it is an integer and returns its value. */
  integer(): number | undefined {
    const word = this.words[this.index];
    if (word === undefined || !INTEGER_PATTERN.test(word)) return undefined;
    this.index += 1;
    return Number(word);
  }

  /** Consumes tokens while `keep` accepts them and returns them. */
  takeWhile(keep: (word: string) => boolean): string[] {
    const taken: string[] = [];
    while (!this.done && keep(this.words[this.index])) taken.push(this.words[this.index++]);
    return taken;
  }

  /** Consumes the rest of the line and returns it as written, or "" at the end of the line. */
  rest(): string {
    if (this.done) return "";
    const text = this.text.slice(this.starts[this.index]);
    this.index = this.words.length;
    return text;
  }
}

/** Tells whether text is a well-formed USI move ("7g7f", "8h2b+", "P*5e"); legality is not checked. */
export function isMoveText(text: string): boolean {
  return parseUsiMoveText(text) !== MOVE_NONE;
}

/** Clamps a time or count read from a line to zero or more. */
export function nonNegative(value: number): number {
  return Math.max(0, value);
}

/** A line whose first token is no command of the grammar, such as a blank keep-alive line. */
export interface UnknownLine {
  kind: "unknown";
  text: string;
}

/** A line whose first token names a command but whose rest cannot mean that command. */
export interface InvalidLine {
  kind: "invalid";
  /** The trimmed line. */
  text: string;
  /** The first token, such as "bestmove". */
  keyword: string;
  reason: string;
}

/** Raised inside the parsers for a line that cannot mean what its first token announces. */
export class LineError extends Error {}

/** Runs a parser over the rest of a line, turning a LineError into an InvalidLine. */
export function parseOrInvalid<T>(cursor: TokenCursor, keyword: string, parse: (cursor: TokenCursor) => T): T | InvalidLine {
  try {
    return parse(cursor);
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    return { kind: "invalid", text: cursor.text, keyword, reason: error.message };
  }
}
