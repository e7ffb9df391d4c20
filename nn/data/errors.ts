// Errors of the teacher-data codecs and files.
//
// Codecs work on one record in memory and throw RecordCodecError, which carries no file name. Readers
// and writers wrap it into TeacherDataError, which names the file, the 0-based record index and
// what to do next.

export type TeacherDataErrorCode =
  /** The file is empty (0 bytes). */
  | "empty_file"
  /** The file ends inside a record. */
  | "truncated"
  /** The position bits hold a code that no piece has, or run past the 256 bits of the stream. */
  | "bad_huffman"
  /** More pieces of one type than a shogi set has, or fewer than the set once the piece box is counted. */
  | "piece_count"
  /** A king square is missing (81), out of range or shared by both kings. */
  | "bad_king"
  /** The position breaks a rule: two pawns on a file, a piece that can never move, the side not to move in check. */
  | "illegal_position"
  /** The move is malformed or not legal in the record's position. */
  | "bad_move"
  /** The game result is not one the format defines. */
  | "bad_result"
  /** A score, ply or move does not fit the field it is written to, or is not an integer. */
  | "bad_field"
  /** A text line does not have the five tab-separated fields, or its SFEN is invalid. */
  | "bad_text"
  /** The file extension names no supported format. */
  | "unknown_format"
  /** The output file exists and overwriting was not allowed. */
  | "output_exists"
  /** Input and output name the same file. */
  | "same_file";

/** A record that cannot be encoded or decoded; thrown by the codecs, without file context. */
export class RecordCodecError extends Error {
  constructor(
    readonly code: TeacherDataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RecordCodecError";
  }
}

/** Next step for the user per error code, appended to every TeacherDataError message. */
const NEXT_STEP: Record<TeacherDataErrorCode, string> = {
  empty_file: "Check that the producer wrote the file, or read it with allowTruncatedTail (--allow-truncated-tail) when an empty file is expected.",
  truncated: "If the writer stopped while writing, read with allowTruncatedTail (--allow-truncated-tail) to keep the whole records.",
  bad_huffman: "The record is corrupt, or the file is in another format than its extension says (.bin = YaneuraOu PackedSfenValue, .hcpe = dlshogi hcpe).",
  piece_count: "The record is corrupt, or the file is in another format than its extension says (.bin = YaneuraOu PackedSfenValue, .hcpe = dlshogi hcpe).",
  bad_king: "Teacher data needs both kings on distinct squares; the record is corrupt or comes from a tsume (king-less) position.",
  illegal_position: "Remove the record, or read with verify \"format\" (--verify format) to skip rule checks.",
  bad_move: "Fix or remove the record, or read with verify \"format\" (--verify format) to skip the legality check of moves.",
  bad_result: "Results are -1, 0 or 1 from the side to move (PackedSfenValue, text) and 0, 1 or 2 (draw, Black win, White win) in hcpe.",
  bad_field: "Scores are 16-bit signed integers and plies 16-bit unsigned integers in both binary formats; clamp them before writing.",
  bad_text: "Each line needs five tab-separated fields: SFEN, score, USI move (or \"none\"), ply, result.",
  unknown_format: "Use the extensions .bin (PackedSfenValue), .hcpe (dlshogi hcpe) or .txt (text), or name the format explicitly.",
  output_exists: "Choose another output path, or allow overwriting (--force).",
  same_file: "Write the output to another path.",
};

/** A teacher-data file problem, naming the file and, where one applies, the 0-based record index. */
export class TeacherDataError extends Error {
  constructor(
    readonly code: TeacherDataErrorCode,
    readonly path: string,
    /** 0-based index of the record at fault, or -1 when the problem is not tied to one record. */
    readonly recordIndex: number,
    readonly detail: string,
  ) {
    const where = recordIndex >= 0 ? `${path}: record ${recordIndex} (0-based)` : path;
    super(`${where}: ${detail}. ${NEXT_STEP[code]}`);
    this.name = "TeacherDataError";
  }
}

/** Rethrows a codec error with its file and record index; other errors pass unchanged. */
export function withRecordContext(error: unknown, path: string, recordIndex: number): unknown {
  if (error instanceof RecordCodecError) return new TeacherDataError(error.code, path, recordIndex, error.message);
  return error;
}
