// Plays one game between two USI clients. It starts or restarts the engines and prepares them
// for the game. Each search request carries the full history from the true start position.
// Every move is checked with our rules and with shogiops, and the clock and the arena's
// adjudication apply. Engine faults end the game with a named termination, so nothing an engine
// does throws.

import { Position } from "../shogi/position.js";
import { oracleIsLegal, oraclePosition } from "../shogi/oracle.js";
import { parseUsiMove } from "../shogi/usi-move.js";
import { BLACK, type Color, WHITE } from "../shogi/types.js";
import { formatScore } from "../usi/grammar.js";
import type { EngineFailure, OptionValue, PositionSpec, SearchResult, UsiClient } from "../usi/client.js";
import { ResignTracker, type RuleSettings, adjudicateAfterMove, judgeDeclaration } from "./adjudication.js";
import { GameClock } from "./clock.js";
import { type Opening, positionAfter } from "./openings.js";
import type { ResignSettings, TimeControl } from "./plan.js";
import { type GameEnd, type Termination, lossBy } from "./termination.js";

/** One side of a game. */
export interface GamePlayer {
  name: string;
  client: UsiClient;
  /** Centipawns per unit of logit of this engine's scores, for resign adjudication. */
  scoreScale: number;
  timeControl: TimeControl;
  /** Returns options to send after each start, given the options the engine declared. */
  optionsAfterStart?: (client: UsiClient) => Record<string, OptionValue>;
}

export interface GameSettings {
  rules: RuleSettings;
  resign: ResignSettings | false;
  timeMarginMs: number;
}

/** A finished game. Times are in milliseconds. */
export interface PlayedGame {
  opening: Opening;
  /** Moves the engines played after the opening, as USI text. */
  moves: string[];
  moveTimesMs: number[];
  /** The score each engine reported for its move, as USI writes it ("cp 35", "mate 5"), or null. */
  scores: (string | null)[];
  end: GameEnd;
  /** Time used by [black, white]. */
  usedMs: [number, number];
  startedAt: Date;
  finishedAt: Date;
}

export type GameOutcome = { kind: "finished"; game: PlayedGame } | { kind: "aborted" };

/** Thrown when an engine cannot be started at all, such as a missing executable: a setup error, not a game result. */
export class EngineSpawnError extends Error {
  constructor(engine: string, reason: string) {
    super(`cannot start engine ${engine}: ${reason}`);
    this.name = "EngineSpawnError";
  }
}

/** State of a game in progress. */
interface GameState {
  position: Position;
  opening: Opening;
  clock: GameClock;
  tracker: ResignTracker | undefined;
  record: PlayedGame;
}

/**
 * Plays a game from `opening`. Resolves with "aborted" when `signal` fires; the caller should
 * then kill the clients, which ends a running search at once.
 */
export async function playGame(
  players: readonly [black: GamePlayer, white: GamePlayer],
  opening: Opening,
  settings: GameSettings,
  signal?: AbortSignal,
): Promise<GameOutcome> {
  const state = newGameState(players, opening, settings);
  const startFailure = await preparePlayers(players);
  if (signal?.aborted) return { kind: "aborted" };
  if (startFailure) return finish(state, players, startFailure);

  for (;;) {
    const turn = state.position.turn;
    const adjudicated = state.tracker?.check(turn);
    if (adjudicated) return finish(state, players, adjudicated);

    const result = await players[turn].client.go(positionSpec(state), state.clock.limits(turn), {
      allowedMs: state.clock.allowedMs(turn),
      enteringKingRule: settings.rules.enteringKingRule,
    });
    if (signal?.aborted) return { kind: "aborted" };
    const end = applySearchResult(state, turn, result, settings.rules);
    if (end) return finish(state, players, end);
  }
}

function newGameState(players: readonly [GamePlayer, GamePlayer], opening: Opening, settings: GameSettings): GameState {
  const clock = new GameClock([players[BLACK].timeControl, players[WHITE].timeControl], settings.timeMarginMs);
  const scales = [players[BLACK].scoreScale, players[WHITE].scoreScale] as const;
  const tracker = settings.resign ? new ResignTracker(settings.resign, scales) : undefined;
  const record: PlayedGame = {
    opening,
    moves: [],
    moveTimesMs: [],
    scores: [],
    // Placeholder until finish() stores the real end.
    end: lossBy(BLACK, { kind: "checkmate" }),
    usedMs: [0, 0],
    startedAt: new Date(),
    finishedAt: new Date(),
  };
  return { position: positionAfter(opening), opening, clock, tracker, record };
}

/** Starts stopped engines and sends `isready` and `usinewgame` to both; returns the end for a side that fails. */
async function preparePlayers(players: readonly [GamePlayer, GamePlayer]): Promise<GameEnd | undefined> {
  const failures = await Promise.all(players.map((player) => preparePlayer(player)));
  for (const color of [BLACK, WHITE] as const) {
    const failure = failures[color];
    if (failure) return lossBy(color, faultTermination(failure));
  }
  return undefined;
}

async function preparePlayer(player: GamePlayer): Promise<EngineFailure | undefined> {
  const client = player.client;
  if (client.state === "stopped") {
    const started = await client.start();
    if (started.kind !== "ready") {
      if (started.kind === "crash" && started.spawnError !== undefined) throw new EngineSpawnError(player.name, started.spawnError);
      return started;
    }
    const extra = player.optionsAfterStart?.(client) ?? {};
    if (Object.keys(extra).length > 0) client.setOptions(extra);
  }
  const ready = await client.newGame();
  return ready.kind === "readyok" ? undefined : ready;
}

function positionSpec(state: GameState): PositionSpec {
  const moves = [...state.opening.moves, ...state.record.moves];
  return state.opening.sfen === undefined ? { moves } : { sfen: state.opening.sfen, moves };
}

/** Plays the engine's reply on the board, or returns how it ends the game. */
function applySearchResult(state: GameState, turn: Color, result: SearchResult, rules: RuleSettings): GameEnd | undefined {
  switch (result.kind) {
    case "bestmove":
      state.clock.charge(turn, result.elapsedMs);
      if (result.bestmove === "resign") return lossBy(turn, { kind: "resign" });
      if (result.bestmove === "win") return judgeDeclaration(state.position, rules.enteringKingRule);
      return playMove(state, turn, result, rules);
    case "illegal-move":
      state.clock.charge(turn, result.elapsedMs);
      // The client rejects every declaration that is not a win; draws and try declarations are judged here.
      if (result.reason === "false-declaration") return judgeDeclaration(state.position, rules.enteringKingRule);
      return lossBy(turn, { kind: "illegal-move", move: result.bestmove, reason: result.reason });
    case "timeout":
      state.clock.charge(turn, result.elapsedMs);
      return lossBy(turn, { kind: "time-forfeit", move: result.bestmove, usedMs: result.elapsedMs, allowedMs: result.allowedMs });
    default:
      return lossBy(turn, faultTermination(result));
  }
}

function playMove(state: GameState, turn: Color, result: Extract<SearchResult, { kind: "bestmove" }>, rules: RuleSettings): GameEnd | undefined {
  const { position, record } = state;
  if (!oracleIsLegal(oraclePosition(position.sfen()), result.bestmove)) {
    return lossBy(turn, { kind: "illegal-move", move: result.bestmove, reason: "oracle-rejected" });
  }
  position.doMove(parseUsiMove(position, result.bestmove));
  record.moves.push(result.bestmove);
  record.moveTimesMs.push(result.elapsedMs);
  record.scores.push(result.score === undefined ? null : formatScore(result.score));
  state.tracker?.record(turn, result.score);
  return adjudicateAfterMove(position, rules);
}

/** Converts a client failure into the termination of the game. */
export function faultTermination(failure: EngineFailure): Termination {
  if (failure.kind === "crash") {
    const stderr = failure.spawnError === undefined ? failure.stderr : [...failure.stderr, failure.spawnError];
    return { kind: "crash", exitCode: failure.exit.code, signal: failure.exit.signal, stderr };
  }
  return { kind: failure.kind, waitedMs: failure.waitedMs, stderr: failure.stderr };
}

function gameResultFor(color: Color, end: GameEnd): "win" | "lose" | "draw" {
  if (end.winner === undefined) return "draw";
  return end.winner === color ? "win" : "lose";
}

/** Sends `gameover` to the engines that are still up and completes the record. */
async function finish(state: GameState, players: readonly [GamePlayer, GamePlayer], end: GameEnd): Promise<GameOutcome> {
  for (const color of [BLACK, WHITE] as const) {
    const client = players[color].client;
    if (client.state !== "idle") continue;
    await client.gameover(gameResultFor(color, end));
  }
  const record = state.record;
  record.end = end;
  record.usedMs = state.clock.totalUsedMs();
  record.finishedAt = new Date();
  return { kind: "finished", game: record };
}
