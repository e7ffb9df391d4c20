// The project's game-record type, independent of the library that parses and formats KIF, KI2 and
// CSA text.

/** Record formats this module reads; KI2 is read only. */
export type RecordFormat = "kif" | "ki2" | "csa";

/** Outcome of a game from Black's (sente's, the handicap receiver's) point of view. */
export type GameResult = "black_win" | "white_win" | "draw" | "unknown";

/**
 * How a game ended. Each value lists its KIF word and CSA statement, and which side the result
 * favours. "The side to move" is the side to move after the last move of the main line.
 */
export type Termination =
  /** 投了, %TORYO: the side to move resigned. */
  | "resign"
  /** 詰み, %TSUMI: the side to move is checkmated. */
  | "checkmate"
  /** 千日手, %SENNICHITE: fourfold repetition, a draw. */
  | "repetition"
  /** Fourfold repetition by continuous check: the checking side loses. Written as an illegal move. */
  | "perpetual_check"
  /** 持将棋, %JISHOGI: impasse (both kings entered), a draw. */
  | "impasse"
  /** 入玉勝ち or 宣言勝ち, %KACHI: the side to move declared an entering-king win. */
  | "declaration"
  /** 反則勝ち, 反則負け, %ILLEGAL_MOVE, %+ILLEGAL_ACTION, %-ILLEGAL_ACTION: a foul decided the game. */
  | "illegal_move"
  /** 切れ負け, %TIME_UP: the side to move ran out of time. */
  | "time_forfeit"
  /** 中断, %CHUDAN (and %ERROR): the game stopped without a result. */
  | "abort"
  /** %MAX_MOVES: the move limit was reached, a draw. KIF writes it as 持将棋. */
  | "max_moves"
  /** %HIKIWAKE: a draw by agreement or by rule. KIF writes it as 持将棋. */
  | "draw"
  /** 不詰, %FUZUMI: a mate problem has no solution. */
  | "no_mate"
  /** 封じ手: the game was adjourned with a sealed move. CSA writes it as %CHUDAN. */
  | "adjournment"
  /** トライ: the side to move won by the try rule. KIF only. */
  | "try"
  /** 不戦勝, 不戦敗: a game won or lost by default. KIF only. */
  | "forfeit"
  /** The record has no ending, or the ending text states a winner without a reason. */
  | "unknown";

/**
 * A game: its start position, the main line as USI moves, and how it ended. Variations in the
 * source file are not kept.
 */
export interface GameRecord {
  /** Full SFEN of the start position, with the move number, e.g. "... b - 1". */
  initialSfen: string;
  /** Main line as USI moves ("7g7f", "P*5e", "8h2b+"). */
  moves: string[];
  /**
   * Seconds spent on each move, when the source states them. Writers round to whole seconds for
   * KIF and CSA 2.2, and write 0 for an entry that is undefined while others are known.
   */
  times?: (number | undefined)[];
  result: GameResult;
  termination: Termination;
  /**
   * Header fields. Fields every format knows use the keys of `STANDARD_HEADER_KEYS`
   * ("blackName", "startDatetime", ...); other fields keep the key found in the file.
   */
  headers: Record<string, string>;
}

/**
 * Header keys shared by KIF and CSA. They equal the metadata keys of tsshogi 2.2, which maps each
 * one to its KIF field (blackName is 先手, startDatetime is 開始日時) and to its CSA line.
 */
export const STANDARD_HEADER_KEYS = [
  "title",
  "blackName",
  "whiteName",
  "shitateName",
  "uwateName",
  "blackShortName",
  "whiteShortName",
  "startDatetime",
  "endDatetime",
  "date",
  "tournament",
  "strategy",
  "timeLimit",
  "blackTimeLimit",
  "whiteTimeLimit",
  "byoyomi",
  "timeSpent",
  "maxMoves",
  "jishogi",
  "place",
  "postedOn",
  "note",
  "scorekeeper",
  "opusNo",
  "opusName",
  "author",
  "publishedBy",
  "publishedAt",
  "source",
  "length",
  "integrity",
  "category",
  "award",
] as const;

export type StandardHeaderKey = (typeof STANDARD_HEADER_KEYS)[number];

/** Text encodings a record file may use. EUC-JP is read only. */
export type TextEncoding = "utf-8" | "shift_jis" | "euc-jp";
