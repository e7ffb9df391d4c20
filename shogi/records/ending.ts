// Game endings: between tsshogi's special moves and the project's (termination, result) pair.
//
// KIF and CSA write an ending as a pseudo-move in the turn of the side to move after the last
// real move, and each ending is stated relative to that side. So "122 投了" after Black's move
// 121 means that White, to move at ply 122, resigned. The CSA statements %+ILLEGAL_ACTION and
// %-ILLEGAL_ACTION and the "まで…" summaries of KI2 name a side instead.

import { Color, SpecialMoveType, anySpecialMove, specialMove, type SpecialMove } from "./tsshogi.js";
import { RecordError } from "./errors.js";
import type { GameResult, Termination } from "./types.js";

/** The side an ending favours, relative to the side to move. */
type Outcome = "side_to_move_wins" | "side_to_move_loses" | "draw" | "none";

interface EndingRule {
  termination: Termination;
  outcome: Outcome;
}

export interface Ending {
  termination: Termination;
  result: GameResult;
}

const SPECIAL_MOVE_RULES: Readonly<Record<SpecialMoveType, EndingRule | undefined>> = {
  [SpecialMoveType.START]: undefined,
  [SpecialMoveType.INTERRUPT]: { termination: "abort", outcome: "none" },
  [SpecialMoveType.RESIGN]: { termination: "resign", outcome: "side_to_move_loses" },
  [SpecialMoveType.MAX_MOVES]: { termination: "max_moves", outcome: "draw" },
  [SpecialMoveType.IMPASS]: { termination: "impasse", outcome: "draw" },
  [SpecialMoveType.DRAW]: { termination: "draw", outcome: "draw" },
  [SpecialMoveType.REPETITION_DRAW]: { termination: "repetition", outcome: "draw" },
  [SpecialMoveType.MATE]: { termination: "checkmate", outcome: "side_to_move_loses" },
  [SpecialMoveType.NO_MATE]: { termination: "no_mate", outcome: "none" },
  [SpecialMoveType.TIMEOUT]: { termination: "time_forfeit", outcome: "side_to_move_loses" },
  // 反則勝ち: the previous move was a foul, so the side to move wins.
  [SpecialMoveType.FOUL_WIN]: { termination: "illegal_move", outcome: "side_to_move_wins" },
  [SpecialMoveType.FOUL_LOSE]: { termination: "illegal_move", outcome: "side_to_move_loses" },
  [SpecialMoveType.ENTERING_OF_KING]: { termination: "declaration", outcome: "side_to_move_wins" },
  [SpecialMoveType.WIN_BY_DEFAULT]: { termination: "forfeit", outcome: "side_to_move_wins" },
  [SpecialMoveType.LOSE_BY_DEFAULT]: { termination: "forfeit", outcome: "side_to_move_loses" },
  [SpecialMoveType.TRY]: { termination: "try", outcome: "side_to_move_wins" },
};

/** Terminal words that tsshogi 2.2 keeps as unnamed special moves. */
const NAMED_SPECIAL_RULES: Readonly<Record<string, EndingRule>> = {
  /** The sealed move of an adjourned game. */
  封じ手: { termination: "adjournment", outcome: "none" },
  /** tsshogi writes a try-rule win as トライ but does not read the word back. */
  トライ: { termination: "try", outcome: "side_to_move_wins" },
  /** 81Dojo's word for a loss on time by the side to move. */
  "Time-up": { termination: "time_forfeit", outcome: "side_to_move_loses" },
};
const SEALED_MOVE = "封じ手";
/** KI2 mate-problem summaries such as "まで61手詰", which tsshogi keeps as "61手詰". */
const MATE_SUMMARY = /^(?:[0-9]+手)?詰み?$/;
/** CSA statements (without "%") that name the side that committed a foul, which then loses. */
const CSA_ILLEGAL_ACTION: Readonly<Record<string, GameResult>> = {
  "+ILLEGAL_ACTION": "white_win",
  "-ILLEGAL_ACTION": "black_win",
};
/** %ERROR: the game stopped because of an error. */
const CSA_ERROR = "ERROR";

/**
 * Returns the ending a tsshogi special move states, or undefined for a name this module does not
 * know. `sideToMove` is the side to move when the special move was written.
 */
export function endingOfSpecialMove(move: SpecialMove, sideToMove: Color): Ending | undefined {
  if (move.type !== "any") {
    const rule = SPECIAL_MOVE_RULES[move.type];
    return rule === undefined ? undefined : applyRule(rule, sideToMove);
  }
  const namedRule = NAMED_SPECIAL_RULES[move.name];
  if (namedRule !== undefined) return applyRule(namedRule, sideToMove);
  if (MATE_SUMMARY.test(move.name)) {
    return applyRule({ termination: "checkmate", outcome: "side_to_move_loses" }, sideToMove);
  }
  return undefined;
}

/**
 * Returns the ending of a CSA % statement (given without "%"), or undefined for an unknown one.
 * "%+ILLEGAL_ACTION" means that Black committed the foul, regardless of the side to move. tsshogi
 * 2.2 reads it relative to the side to move, so this module maps it itself.
 */
export function endingOfCsaStatement(name: string, move: SpecialMove, sideToMove: Color): Ending | undefined {
  const illegalActionResult = CSA_ILLEGAL_ACTION[name];
  if (illegalActionResult !== undefined) {
    return { termination: "illegal_move", result: illegalActionResult };
  }
  if (name === CSA_ERROR) return { termination: "abort", result: "unknown" };
  return endingOfSpecialMove(move, sideToMove);
}

const NAMED_WINNER = /(先手|下手|後手|上手)の(?:反則)?勝ち$/;
const NAMED_LOSER = /(先手|下手|後手|上手)の(?:反則)?負け$/;
/** Side names of summaries: 先手 and 下手 (the handicap receiver) are Black. */
const BLACK_NAMES: ReadonlySet<string> = new Set(["先手", "下手"]);

/**
 * Returns the result a "まで…" summary states by naming a side, as in "まで64手で後手の勝ち" or
 * "まで2手で先手の反則負け", or undefined when it names none.
 */
export function namedSummaryResult(summary: string): GameResult | undefined {
  const text = summary.trim();
  const winner = NAMED_WINNER.exec(text)?.[1];
  if (winner !== undefined) return BLACK_NAMES.has(winner) ? "black_win" : "white_win";
  const loser = NAMED_LOSER.exec(text)?.[1];
  if (loser !== undefined) return BLACK_NAMES.has(loser) ? "white_win" : "black_win";
  return undefined;
}

/** Returns the result in which `color` wins. */
export function winFor(color: Color): GameResult {
  return color === Color.BLACK ? "black_win" : "white_win";
}

/** Returns the winner of a result, or undefined for a draw or an unknown result. */
export function winnerOf(result: GameResult): Color | undefined {
  if (result === "black_win") return Color.BLACK;
  if (result === "white_win") return Color.WHITE;
  return undefined;
}

/** Tells whether an ending states that the side that made the last move lost by a foul. */
export function isFoulByLastMove(ending: Ending, sideToMove: Color): boolean {
  const foul = ending.termination === "illegal_move" || ending.termination === "perpetual_check";
  return foul && winnerOf(ending.result) === sideToMove;
}

function applyRule(rule: EndingRule, sideToMove: Color): Ending {
  return { termination: rule.termination, result: resultOf(rule.outcome, sideToMove) };
}

function resultOf(outcome: Outcome, sideToMove: Color): GameResult {
  switch (outcome) {
    case "side_to_move_wins":
      return winFor(sideToMove);
    case "side_to_move_loses":
      return winFor(sideToMove === Color.BLACK ? Color.WHITE : Color.BLACK);
    case "draw":
      return "draw";
    case "none":
      return "unknown";
  }
}

/** Terminations whose result is fixed, and those that have no result at all. */
const DRAW_ENDINGS: Readonly<Partial<Record<Termination, SpecialMoveType>>> = {
  repetition: SpecialMoveType.REPETITION_DRAW,
  impasse: SpecialMoveType.IMPASS,
  max_moves: SpecialMoveType.MAX_MOVES,
  draw: SpecialMoveType.DRAW,
};
const NO_RESULT_ENDINGS: Readonly<Partial<Record<Termination, SpecialMove>>> = {
  abort: specialMove(SpecialMoveType.INTERRUPT),
  no_mate: specialMove(SpecialMoveType.NO_MATE),
  adjournment: anySpecialMove(SEALED_MOVE),
};
/** Decisive terminations, with the special move to write when the side to move wins or loses. */
const DECISIVE_ENDINGS: Readonly<Partial<Record<Termination, { wins?: SpecialMoveType; loses?: SpecialMoveType }>>> = {
  resign: { loses: SpecialMoveType.RESIGN },
  checkmate: { loses: SpecialMoveType.MATE },
  time_forfeit: { loses: SpecialMoveType.TIMEOUT },
  declaration: { wins: SpecialMoveType.ENTERING_OF_KING },
  try: { wins: SpecialMoveType.TRY },
  illegal_move: { wins: SpecialMoveType.FOUL_WIN, loses: SpecialMoveType.FOUL_LOSE },
  perpetual_check: { wins: SpecialMoveType.FOUL_WIN, loses: SpecialMoveType.FOUL_LOSE },
  forfeit: { wins: SpecialMoveType.WIN_BY_DEFAULT, loses: SpecialMoveType.LOSE_BY_DEFAULT },
};

/**
 * Returns the special move that writes an ending after the last move, or undefined when the
 * record has no ending. Throws RecordError("inconsistent_result") when the result cannot follow
 * from the termination with this side to move, such as a resignation won by the side to move.
 */
export function specialMoveOfEnding(ending: Ending, sideToMove: Color): SpecialMove | undefined {
  const { termination, result } = ending;
  if (termination === "unknown") {
    if (result === "unknown") return undefined;
    throw inconsistent(ending, "a result needs a termination to be written in KIF or CSA");
  }
  const drawMove = DRAW_ENDINGS[termination];
  if (drawMove !== undefined) {
    if (result !== "draw") throw inconsistent(ending, `${termination} is always a draw`);
    return specialMove(drawMove);
  }
  const noResultMove = NO_RESULT_ENDINGS[termination];
  if (noResultMove !== undefined) {
    if (result !== "unknown") throw inconsistent(ending, `${termination} has no winner`);
    return noResultMove;
  }
  return decisiveSpecialMove(ending, sideToMove);
}

function decisiveSpecialMove(ending: Ending, sideToMove: Color): SpecialMove {
  const moves = DECISIVE_ENDINGS[ending.termination]!;
  const winner = winnerOf(ending.result);
  if (winner === undefined) throw inconsistent(ending, `${ending.termination} needs a winner`);
  const type = winner === sideToMove ? moves.wins : moves.loses;
  if (type === undefined) {
    const role = winner === sideToMove ? "win" : "lose";
    throw inconsistent(ending, `the side to move (${sideToMove}) cannot ${role} by ${ending.termination}`);
  }
  return specialMove(type);
}

function inconsistent(ending: Ending, reason: string): RecordError {
  return new RecordError({
    code: "inconsistent_result",
    problem: `The ending ${ending.termination} with result ${ending.result} cannot be written: ${reason}`,
    hint: "Set a result that matches the termination and the side to move after the last move",
  });
}
