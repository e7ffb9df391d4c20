// Typed results of a search by an external engine: a move, a foul, a time-out, or an engine
// failure. This module also collects the `info` lines of a search and judges the reply against
// the position that was searched.

import { Position } from "../shogi/position.js";
import { type EnteringKingRule, canDeclareWin, isCheckmateOrNoMoves } from "../shogi/rules.js";
import { START_SFEN } from "../shogi/sfen.js";
import { BLACK, type Color, MOVE_NONE } from "../shogi/types.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import type { EngineExit } from "./engine-process.js";
import type { CheckmateLine, ClockParams, InfoLine, PositionCommand, Score } from "./grammar.js";

/** A position as USI sends it: `sfen` absent for the start position, then the moves played. */
export type PositionSpec = Omit<PositionCommand, "kind">;

/**
 * An engine that stopped working. After `stall`, `handshake-timeout` and `ready-timeout` the
 * client has killed the process. `stderr` contains the last lines the engine wrote there.
 */
export type EngineFailure =
  | { kind: "crash"; exit: EngineExit; stderr: string[]; spawnError?: string }
  | { kind: "stall"; waitedMs: number; stderr: string[] }
  | { kind: "handshake-timeout"; waitedMs: number; stderr: string[] }
  | { kind: "ready-timeout"; waitedMs: number; stderr: string[] };

/** The last `info` line with a score or PV for each `multipv` index, and times in milliseconds. */
export interface SearchReport {
  /** Ordered by `multipv`; a line without `multipv` counts as `multipv 1`. */
  infos: InfoLine[];
  /** The last score reported for the first PV. */
  score?: Score;
  /** From writing `go` to reading the reply. */
  elapsedMs: number;
  /** From writing `ponderhit` to reading the reply, for a ponder search that was hit. */
  sincePonderhitMs?: number;
}

/** Why a `bestmove` is a foul: unreadable, not legal here, or a declaration the rule rejects. */
export type IllegalMoveReason = "malformed" | "illegal" | "false-declaration";

/**
 * The end of a `go`. `bestmove` is a legal move, "resign", or a declaration ("win") that the
 * entering-king rule accepts. `ponder` is kept only when it is legal after the move. `timeout`
 * means the reply came later than the allowed time; its move is not checked.
 */
export type SearchResult =
  | ({ kind: "bestmove"; bestmove: string; ponder?: string } & SearchReport)
  | ({ kind: "illegal-move"; bestmove: string; reason: IllegalMoveReason } & SearchReport)
  | ({ kind: "timeout"; bestmove: string; allowedMs: number } & SearchReport)
  | EngineFailure;

/**
 * The end of a `go mate`. A claimed mate whose moves are not legal, or do not end in mate, gives
 * `invalid-mate`; a reply other than `checkmate` gives `protocol-error`.
 */
export type MateResult =
  | (CheckmateLine & { elapsedMs: number; infos: InfoLine[] })
  | { kind: "invalid-mate"; moves: string[]; reason: string; elapsedMs: number }
  | { kind: "protocol-error"; text: string; reason: string }
  | EngineFailure;

/** Builds the position after the moves; throws RangeError on an illegal move, SfenError on bad SFEN. */
export function buildPosition(spec: PositionSpec): Position {
  const position = Position.fromSfen(spec.sfen ?? START_SFEN);
  for (const text of spec.moves) {
    const move = parseUsiMove(position, text);
    if (move === MOVE_NONE) throw new RangeError(`move '${text}' is not legal in ${position.sfen()}`);
    position.doMove(move);
  }
  return position;
}

/** Keeps the last informative `info` line per PV while a search runs. */
export class InfoCollector {
  private readonly byPv = new Map<number, InfoLine>();
  private lastScore: Score | undefined;

  add(info: InfoLine): void {
    if (info.score === undefined && info.pv === undefined) return;
    const index = info.multipv ?? 1;
    this.byPv.set(index, info);
    if (index === 1 && info.score !== undefined) this.lastScore = info.score;
  }

  report(elapsedMs: number, sincePonderhitMs: number | undefined): SearchReport {
    const infos = [...this.byPv.entries()].sort(([a], [b]) => a - b).map(([, info]) => info);
    const report: SearchReport = { infos, elapsedMs };
    if (this.lastScore !== undefined) report.score = this.lastScore;
    if (sincePonderhitMs !== undefined) report.sincePonderhitMs = sincePonderhitMs;
    return report;
  }
}

/** Position, entering-king rule and time limit that judgeBestMove checks a reply against. */
export interface BestMoveContext {
  position: Position;
  /** Rule for `bestmove win`. */
  rule: EnteringKingRule;
  /** Allowed time in milliseconds, counted from `go`, or from `ponderhit` after one; no check when absent. */
  allowedMs?: number;
}

/** Judges a `bestmove` reply; `move` and `ponder` are texts as the engine wrote them. */
export function judgeBestMove(
  move: string,
  ponder: string | undefined,
  context: BestMoveContext,
  report: SearchReport,
): SearchResult {
  const used = report.sincePonderhitMs ?? report.elapsedMs;
  if (context.allowedMs !== undefined && used > context.allowedMs) {
    return { kind: "timeout", bestmove: move, allowedMs: context.allowedMs, ...report };
  }
  if (move === "resign") return { kind: "bestmove", bestmove: move, ...report };
  if (move === "win") {
    return canDeclareWin(context.position, context.rule)
      ? { kind: "bestmove", bestmove: move, ...report }
      : { kind: "illegal-move", bestmove: move, reason: "false-declaration", ...report };
  }

  const parsed = parseUsiMove(context.position, move);
  if (parsed === MOVE_NONE) return { kind: "illegal-move", bestmove: move, reason: "illegal", ...report };
  if (ponder === undefined) return { kind: "bestmove", bestmove: move, ...report };

  const after = context.position.clone();
  after.doMove(parsed);
  const ponderIsLegal = parseUsiMove(after, ponder) !== MOVE_NONE;
  return ponderIsLegal ? { kind: "bestmove", bestmove: move, ponder, ...report } : { kind: "bestmove", bestmove: move, ...report };
}

/** Checks that a claimed mating sequence is legal and leaves the side to move with no legal move. */
export function judgeCheckmate(reply: CheckmateLine, position: Position, elapsedMs: number, infos: InfoLine[]): MateResult {
  if (reply.result !== "mate") return { ...reply, elapsedMs, infos };
  const board = position.clone();
  for (const text of reply.moves) {
    const move = parseUsiMove(board, text);
    if (move === MOVE_NONE) return { kind: "invalid-mate", moves: reply.moves, reason: `move '${text}' is not legal`, elapsedMs };
    board.doMove(move);
  }
  if (reply.moves.length % 2 === 0 || !isCheckmateOrNoMoves(board)) {
    return { kind: "invalid-mate", moves: reply.moves, reason: "the sequence does not end in mate", elapsedMs };
  }
  return { ...reply, elapsedMs, infos };
}

/**
 * Time the side to move may use under USI clock arguments: `movetime`, or its main time plus
 * byoyomi plus its increment. Undefined when the limits carry no time.
 */
export function allowedTimeMs(limits: ClockParams & { movetime?: number }, turn: Color): number | undefined {
  if (limits.movetime !== undefined) return limits.movetime;
  const own = turn === BLACK ? limits.btime : limits.wtime;
  const increment = turn === BLACK ? limits.binc : limits.winc;
  if (own === undefined && limits.byoyomi === undefined && increment === undefined) return undefined;
  return (own ?? 0) + (limits.byoyomi ?? 0) + (increment ?? 0);
}
