// The one error type of the records module, with stable codes.

export type RecordErrorCode =
  /** The bytes are not valid text in any supported encoding, or contain a NUL byte. */
  | "invalid_encoding"
  /** The text is not KIF, KI2 or CSA (for example JKF, USI or an empty file). */
  | "unsupported_format"
  /** A line does not follow the format's syntax (a truncated move, a broken board row). */
  | "invalid_line"
  /** A piece name or code that the format does not define. */
  | "unknown_piece"
  /** A KIF move number that does not follow the previous one. */
  | "move_number"
  /** A move that is illegal in its position. */
  | "illegal_move"
  /** A KIF move names a piece other than the one on its origin square. */
  | "piece_mismatch"
  /** A terminal word or CSA % statement this module does not know. */
  | "unknown_ending"
  /** A 手合割 (handicap) name without a board diagram that this module does not know. */
  | "unknown_handicap"
  /** The record has no start position (a CSA file without its turn line). */
  | "missing_start_position"
  /** A record to write whose result does not fit its termination and side to move. */
  | "inconsistent_result"
  /** A record to write whose ending the target format cannot express. */
  | "unrepresentable_ending"
  /** A record to write with an invalid SFEN or USI move. */
  | "invalid_record"
  /** Text that Shift_JIS (code page 932) cannot encode. */
  | "unencodable_text";

export interface RecordErrorDetails {
  code: RecordErrorCode;
  /** Description of the problem, as a sentence without the location. */
  problem: string;
  /** Advice on how to fix or avoid the problem. */
  hint: string;
  file?: string;
  /** 1-based line number in the source text. */
  line?: number;
  /** The offending line or statement. */
  text?: string;
}

/** Maximum length of the excerpt of an offending line quoted in a message. */
const MAX_QUOTED_CHARS = 80;

/**
 * A record that cannot be read or written. The message names the file and line when they are
 * known, quotes the offending text and ends with the hint.
 */
export class RecordError extends Error {
  readonly code: RecordErrorCode;
  readonly problem: string;
  readonly hint: string;
  readonly file?: string;
  readonly line?: number;
  readonly text?: string;

  constructor(details: RecordErrorDetails) {
    super(formatMessage(details));
    this.name = "RecordError";
    this.code = details.code;
    this.problem = details.problem;
    this.hint = details.hint;
    this.file = details.file;
    this.line = details.line;
    this.text = details.text;
  }

  /** Returns a copy of this error that names the given file. */
  withFile(file: string): RecordError {
    return new RecordError({ ...this.details(), file });
  }

  private details(): RecordErrorDetails {
    const { code, problem, hint, file, line, text } = this;
    return { code, problem, hint, file, line, text };
  }
}

function formatMessage(details: RecordErrorDetails): string {
  const location = [details.file, details.line].filter((part) => part !== undefined).join(":");
  const prefix = location === "" ? "" : `${location}: `;
  const quoted = details.text === undefined ? "" : ` in "${excerpt(details.text)}"`;
  return `${prefix}${details.problem}${quoted}. ${details.hint}`;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAX_QUOTED_CHARS ? trimmed : `${trimmed.slice(0, MAX_QUOTED_CHARS)}...`;
}
