// The `info` line that an engine prints while it searches: its type, parser and formatter.

import { TokenCursor, isMoveText, nonNegative } from "./grammar-tokens.js";

export type ScoreBound = "lower" | "upper";

/**
 * Score from the side to move's point of view. A mate distance is in plies: positive when the
 * engine mates, negative when it is mated, -0 when it is already mated, and "+" or "-" when the
 * engine reports who mates but not in how many plies.
 */
export type Score =
  | { kind: "cp"; value: number; bound?: ScoreBound }
  | { kind: "mate"; plies: number | "+" | "-"; bound?: ScoreBound };

/** Numeric fields of `info`. Times are in milliseconds; `hashfull` and `cpuload` in permille. */
export interface InfoNumbers {
  depth?: number;
  seldepth?: number;
  time?: number;
  nodes?: number;
  nps?: number;
  hashfull?: number;
  /** 1-based index of the principal variation that this line reports. */
  multipv?: number;
  currmovenumber?: number;
  cpuload?: number;
}

/**
 * One `info` line. `pv` and `string` each run to the end of the line, so a line carries at most
 * one of them.
 */
export type InfoLine = InfoFields & ({ pv?: string[]; string?: undefined } | { string: string; pv?: undefined });

/** The fields of an `info` line other than `pv` and `string`, for building one field by field. */
export type InfoFields = { kind: "info"; score?: Score; currmove?: string } & InfoNumbers;

const NUMBER_FIELDS = [
  "depth", "seldepth", "time", "nodes", "nps", "hashfull", "multipv", "currmovenumber", "cpuload",
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
const MATE_SIGNS: readonly string[] = ["+", "-"];
const BOUND_WORDS: Record<string, ScoreBound> = { lowerbound: "lower", upperbound: "upper" };

/** Parses the tokens after `info`. Unknown fields such as `tbhits` are skipped with their values. */
export function parseInfo(cursor: TokenCursor): InfoLine {
  const info: InfoFields = { kind: "info" };
  while (!cursor.done) {
    const word = cursor.next() as string;
    if ((NUMBER_FIELDS as readonly string[]).includes(word)) {
      const value = cursor.integer();
      if (value !== undefined) info[word as NumberField] = nonNegative(value);
    } else if (word === "score") {
      const score = parseScore(cursor);
      if (score) info.score = score;
    } else if (word === "currmove") {
      if (isMoveText(cursor.peek() ?? "")) info.currmove = cursor.next();
    } else if (word === "pv") {
      return { ...info, pv: cursor.takeWhile(() => true) };
    } else if (word === "string") {
      return { ...info, string: cursor.rest() };
    }
  }
  return info;
}

/** Reads `cp <n>` or `mate <n|+|->`, then an optional bound; returns undefined when malformed. */
function parseScore(cursor: TokenCursor): Score | undefined {
  const unit = cursor.peek();
  if (unit !== "cp" && unit !== "mate") return undefined;
  cursor.next();

  let score: Score;
  const value = cursor.integer();
  if (value !== undefined) {
    // Adding 0 turns a centipawn -0 into 0; only a mate distance keeps the sign of zero.
    score = unit === "cp" ? { kind: "cp", value: value + 0 } : { kind: "mate", plies: value };
  } else if (unit === "mate" && MATE_SIGNS.includes(cursor.peek() ?? "")) {
    score = { kind: "mate", plies: cursor.next() as "+" | "-" };
  } else {
    return undefined;
  }

  const bound = BOUND_WORDS[cursor.peek() ?? ""];
  if (bound !== undefined) {
    cursor.next();
    score.bound = bound;
  }
  return score;
}

/** Formats an `info` line; `pv` or `string` comes last, because each runs to the end of the line. */
export function formatInfo(info: InfoLine): string {
  const words = ["info"];
  for (const field of NUMBER_FIELDS) {
    const value = info[field];
    if (value !== undefined) words.push(field, String(value));
  }
  if (info.score) words.push("score", formatScore(info.score));
  if (info.currmove !== undefined) words.push("currmove", info.currmove);
  if (info.pv !== undefined) words.push("pv", ...info.pv);
  if (info.string !== undefined) words.push("string", ...(info.string === "" ? [] : [info.string]));
  return words.join(" ");
}

/** Formats a score as written after `score`; a mate already delivered is written `mate -0`. */
export function formatScore(score: Score): string {
  const value = score.kind === "cp" ? String(score.value) : formatMatePlies(score.plies);
  const bound = score.bound === undefined ? "" : ` ${score.bound}bound`;
  return `${score.kind} ${value}${bound}`;
}

function formatMatePlies(plies: number | "+" | "-"): string {
  return Object.is(plies, -0) ? "-0" : String(plies);
}
