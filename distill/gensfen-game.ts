// One game of teacher self-play: random moves first, then the teacher's best move at every ply,
// each searched position kept as a teacher record until the game's result is known.

import type { GameResult, TeacherRecord } from "../nn/data/record.js";
import { legalMoves } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { canDeclareWin, checkRepetition, isCheckmateOrNoMoves } from "../shogi/rules.js";
import { type Color, MOVE_NONE, move16 } from "../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../shogi/usi-move.js";
import { type PositionSpec, buildPosition } from "../usi/search-result.js";
import type { Opening } from "./gensfen-openings.js";
import { SeededRandom } from "./gensfen-random.js";
import type { Teacher, TeacherAnswer } from "./teacher.js";
import { isMateScore } from "./teacher-score.js";

/** The settings of gensfen that shape a game; plies count from the game's start (ply = move number - 1). */
export interface GameSettings {
  /** Plies after the opening played at random; positions before them are not written. */
  randomPlies: number;
  /** 0: random moves are uniform among legal moves; K >= 1: among the teacher's K best moves. */
  randomMultipv: number;
  /** The game is a draw when it reaches this ply. */
  maxPlies: number;
  /** Scores past +-evalLimit are not written, and evalLimitPlies of them in a row decide the game. */
  evalLimit: number;
  evalLimitPlies: number;
  /** Positions before this ply are not written. */
  skipFirstPlies: number;
  /** Write positions where the side to move is in check. */
  keepChecks: boolean;
}

export type GameTermination =
  | "checkmate" | "resign" | "mate-score" | "eval-limit" | "declaration"
  | "repetition" | "perpetual-check" | "max-plies";
export const GAME_TERMINATIONS: readonly GameTermination[] = [
  "checkmate", "resign", "mate-score", "eval-limit", "declaration", "repetition", "perpetual-check", "max-plies",
];

/** Searched positions not written, by reason (duplicates are counted when the game is written). */
export interface SkipCounts {
  random: number;
  check: number;
  earlyPly: number;
  evalLimit: number;
  noScore: number;
  duplicate: number;
}

export interface PlayedGame {
  /** Positions to write, with results from their side to move's view. */
  records: TeacherRecord[];
  /** The position key of each record, lo and hi words interleaved. */
  keys: Int32Array;
  /** undefined for a draw. */
  winner: Color | undefined;
  termination: GameTermination;
  /** Plies from the opening's position to the end. */
  plies: number;
  skipped: SkipCounts;
}

export function emptySkipCounts(): SkipCounts {
  return { random: 0, check: 0, earlyPly: 0, evalLimit: 0, noScore: 0, duplicate: 0 };
}

interface GameEnd {
  winner: Color | undefined;
  termination: GameTermination;
}

/** A record waiting for the game's result. */
interface PendingRecord {
  record: TeacherRecord;
  keyLo: number;
  keyHi: number;
}

/** Runs of scores past the eval limit in favour of one side. */
interface EvalStreak {
  winner: Color | undefined;
  plies: number;
}

/** Plays one game from an opening; the teacher must not be shared with another game meanwhile. */
export async function playGame(teacher: Teacher, opening: Opening, seed: number, settings: GameSettings): Promise<PlayedGame> {
  const position = buildPosition(opening);
  const moves = [...opening.moves];
  const random = new SeededRandom(seed);
  const pending: PendingRecord[] = [];
  const skipped = emptySkipCounts();
  const streak: EvalStreak = { winner: undefined, plies: 0 };
  const end = (reached: GameEnd) => finishGame(pending, reached, moves.length - opening.moves.length, skipped);
  await teacher.newGame();

  for (let randomLeft = settings.randomPlies; ; randomLeft = Math.max(0, randomLeft - 1)) {
    const ruled = ruleOnPosition(position, settings.maxPlies);
    if (ruled) return end(ruled);

    const spec = { sfen: opening.sfen, moves };
    let text: string;
    if (randomLeft > 0) {
      const choice = await randomMove(teacher, spec, position, random, settings.randomMultipv);
      if (typeof choice !== "string") return end(choice);
      if (settings.randomMultipv > 0) skipped.random++;
      text = choice;
    } else {
      const answer = await teacher.search(spec);
      if (answer.kind !== "move") return end(teacherEnd(answer, position.turn));
      keepPosition(position, answer, settings, pending, skipped);
      const decided = ruleOnScore(position.turn, answer.score, settings, streak);
      if (decided) return end(decided);
      text = answer.move;
    }
    playMove(position, moves, text);
  }
}

/**
 * Picks a random move: uniform among the legal moves without MultiPV, else among the legal first
 * moves of the teacher's best lines. Returns the game's end when the teacher resigns or declares.
 */
async function randomMove(teacher: Teacher, spec: PositionSpec, position: Position, random: SeededRandom, multipv: number): Promise<string | GameEnd> {
  if (multipv === 0) return makeUsiMove(random.pick(legalMoves(position)));
  const answer = await teacher.search(spec, multipv);
  if (answer.kind !== "move") return teacherEnd(answer, position.turn);
  // The client checks bestmove, but not the moves of the `info` lines.
  const legal = answer.candidates.filter((text) => parseUsiMove(position, text) !== MOVE_NONE);
  return random.pick(legal.length > 0 ? legal : [answer.move]);
}

/** Returns the end of a game that the teacher ended: a resignation loses, a declaration (checked by the client) wins. */
function teacherEnd(answer: Exclude<TeacherAnswer, { kind: "move" }>, us: Color): GameEnd {
  return answer.kind === "win" ? { winner: us, termination: "declaration" } : { winner: opponent(us), termination: "resign" };
}

/** Ends the game when the rules do: no legal move, repetition, declaration, or the ply limit. */
function ruleOnPosition(position: Position, maxPlies: number): GameEnd | undefined {
  const us = position.turn;
  if (isCheckmateOrNoMoves(position)) return { winner: opponent(us), termination: "checkmate" };
  const repetition = checkRepetition(position);
  if (repetition.kind === "draw") return { winner: undefined, termination: "repetition" };
  if (repetition.kind === "win") return { winner: us, termination: "perpetual-check" };
  if (repetition.kind === "loss") return { winner: opponent(us), termination: "perpetual-check" };
  if (canDeclareWin(position, "csa27")) return { winner: us, termination: "declaration" };
  if (position.moveNumber - 1 >= maxPlies) return { winner: undefined, termination: "max-plies" };
  return undefined;
}

/** Ends the game on a mate score, or on evalLimitPlies scores in a row past the limit for one side. */
function ruleOnScore(us: Color, score: number | undefined, settings: GameSettings, streak: EvalStreak): GameEnd | undefined {
  if (score === undefined || Math.abs(score) <= settings.evalLimit) {
    streak.plies = 0;
    return undefined;
  }
  const winner = score > 0 ? us : opponent(us);
  if (isMateScore(score)) return { winner, termination: "mate-score" };
  streak.plies = streak.winner === winner ? streak.plies + 1 : 1;
  streak.winner = winner;
  return streak.plies >= settings.evalLimitPlies ? { winner, termination: "eval-limit" } : undefined;
}

/** Queues the searched position as a record unless a filter drops it. */
function keepPosition(
  position: Position,
  answer: Extract<TeacherAnswer, { kind: "move" }>,
  settings: GameSettings,
  pending: PendingRecord[],
  skipped: SkipCounts,
): void {
  const ply = position.moveNumber - 1;
  if (answer.score === undefined) skipped.noScore++;
  else if (ply < settings.skipFirstPlies) skipped.earlyPly++;
  else if (!settings.keepChecks && position.inCheck()) skipped.check++;
  else if (Math.abs(answer.score) > settings.evalLimit) skipped.evalLimit++;
  else {
    const move = move16(parseUsiMove(position, answer.move));
    const record: TeacherRecord = { setup: position.setup(), score: answer.score, move, ply, result: 0 };
    pending.push({ record, keyLo: position.keyLo, keyHi: position.keyHi });
  }
}

function playMove(position: Position, moves: string[], text: string): void {
  position.doMove(parseUsiMove(position, text));
  moves.push(text);
}

function finishGame(pending: PendingRecord[], end: GameEnd, plies: number, skipped: SkipCounts): PlayedGame {
  const keys = new Int32Array(pending.length * 2);
  const records = pending.map((entry, index) => {
    keys[2 * index] = entry.keyLo;
    keys[2 * index + 1] = entry.keyHi;
    return { ...entry.record, result: resultFor(entry.record.setup.turn, end.winner) };
  });
  return { records, keys, winner: end.winner, termination: end.termination, plies, skipped };
}

function resultFor(turn: Color, winner: Color | undefined): GameResult {
  if (winner === undefined) return 0;
  return turn === winner ? 1 : -1;
}

function opponent(color: Color): Color {
  return (color ^ 1) as Color;
}
