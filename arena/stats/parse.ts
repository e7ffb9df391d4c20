// Parsing of result counts typed by a user, such as "136,111,96".
import { pentanomial, trinomial, type CountsKind, type ResultCounts } from "./counts.js";

export type CountsErrorCode = "wrong-length" | "not-a-number" | "negative" | "not-an-integer" | "all-zero";

export interface CountsError {
  readonly code: CountsErrorCode;
  readonly message: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CountsError };

const LAYOUTS: Record<CountsKind, { names: string; length: number }> = {
  trinomial: { names: "W,D,L (wins, draws, losses)", length: 3 },
  pentanomial: { names: "LL,LD,WL+DD,WD,WW (pair counts)", length: 5 },
};

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses comma-separated counts, W,D,L for trinomial or LL,LD,WL+DD,WD,WW for pentanomial. */
export function parseCounts(text: string, kind: CountsKind): ParseResult<ResultCounts> {
  const layout = LAYOUTS[kind];
  const parts = text.split(",").map((part) => part.trim());
  if (parts.length !== layout.length) {
    const message =
      `"${text}" has ${parts.length} counts; ` +
      `expected ${layout.length} comma-separated counts ${layout.names}`;
    return failure("wrong-length", message);
  }

  const counts: number[] = [];
  for (const part of parts) {
    const parsed = parseCount(part, text);
    if (!parsed.ok) return parsed;
    counts.push(parsed.value);
  }
  if (counts.every((count) => count === 0)) {
    return failure("all-zero", `all counts in "${text}" are zero; give the results of at least one game`);
  }

  const value =
    kind === "trinomial"
      ? trinomial(counts[0], counts[1], counts[2])
      : pentanomial([counts[0], counts[1], counts[2], counts[3], counts[4]]);
  return { ok: true, value };
}

function parseCount(part: string, text: string): ParseResult<number> {
  if (!DECIMAL.test(part)) {
    return failure("not-a-number", `count "${part}" in "${text}" is not a number; give whole numbers such as 12`);
  }
  const count = Number(part);
  if (count < 0) {
    return failure("negative", `count "${part}" in "${text}" is negative; counts must be 0 or more`);
  }
  if (!Number.isSafeInteger(count)) {
    return failure("not-an-integer", `count "${part}" in "${text}" is not a whole number`);
  }
  return { ok: true, value: count };
}

function failure(code: CountsErrorCode, message: string): { ok: false; error: CountsError } {
  return { ok: false, error: { code, message } };
}
